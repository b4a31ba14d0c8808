"""The roles a person acts in; every permission in the service names one of them."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    COMMISSION = "commission"
    APPLICANT = "applicant"
    AUTHORITY = "authority"
