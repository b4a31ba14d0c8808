from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel

from fundflow.core.dbtypes import created_at_field, enum_column, json_field


class OrganisationKind(StrEnum):
    ASSOCIATION = "association"
    UMBRELLA = "umbrella"
    FEDERATION = "federation"
    COMMUNE = "commune"
    OTHER = "other"


class MembershipStatus(StrEnum):
    NONE = "none"
    APPLICANT = "applicant"
    MEMBER = "member"
    SUSPENDED = "suspended"
    LEFT = "left"


class PartnerKind(StrEnum):
    NGO = "ngo"
    COMMUNITY_BASED = "community_based"
    COOPERATIVE = "cooperative"
    LOCAL_AUTHORITY = "local_authority"
    PUBLIC_INSTITUTION = "public_institution"
    SCHOOL = "school"
    HEALTH_CENTRE = "health_centre"
    OTHER = "other"


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    kind: OrganisationKind = Field(sa_column=enum_column(OrganisationKind))
    seat_canton: str | None = Field(default=None, max_length=2)
    seat_city: str | None = Field(default=None, max_length=120)
    country: str = Field(default="CH", max_length=2)
    is_diaspora_led: bool = False
    diaspora_origins: list[str] = json_field()
    membership_status: MembershipStatus = Field(
        default=MembershipStatus.NONE, sa_column=enum_column(MembershipStatus)
    )
    membership_since: date | None = None
    audited_accounts_years: list[int] = json_field()
    zewo_certified: bool = False
    email: str | None = Field(default=None, max_length=254)
    website: str | None = Field(default=None, max_length=300)
    version: int = 1
    created_at: datetime = created_at_field()


class Partner(SQLModel, table=True):
    """A local partner organisation in the beneficiary territory."""

    id: int | None = Field(default=None, primary_key=True)
    # The association that registered the partner; null for partners the secretariat
    # keeps for everyone.
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)
    country: str = Field(max_length=2)
    locality: str | None = Field(default=None, max_length=120)
    kind: PartnerKind = Field(sa_column=enum_column(PartnerKind))
    legal_registration: str | None = Field(default=None, max_length=200)
    created_at: datetime = created_at_field()


class DirectoryEntry(SQLModel, table=True):
    """An association's entry in the public directory of associations and initiatives:
    listed only if it opts in, showing only what it chooses; nothing personal (no person's
    name or e-mail is ever part of it)."""

    __tablename__ = "directory_entry"

    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    listed: bool = False
    presentation: str | None = Field(default=None, max_length=2000)
    # The calls' priority codes the association works on.
    themes: list[str] = json_field()
    # What it does besides funded projects: {"title", "country", "locality", "theme"}.
    initiatives: list[dict[str, Any]] = json_field()
    show_city: bool = True
    show_origins: bool = True
    show_website: bool = True
    version: int = 1
    updated_at: datetime = created_at_field()
