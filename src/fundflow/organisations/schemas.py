from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from fundflow.core.inputs import Id, NonBlank, Patch, Version
from fundflow.core.reference import CantonCode, CountryCode
from fundflow.organisations.models import MembershipStatus, OrganisationKind, PartnerKind

Year = Annotated[int, Field(ge=1900, le=2100)]


class OrganisationFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seat_canton: CantonCode | None = None
    seat_city: str | None = Field(default=None, max_length=120)
    is_diaspora_led: bool = False
    diaspora_origins: list[CountryCode] = Field(default_factory=list)
    membership_since: date | None = None
    audited_accounts_years: list[Year] = Field(default_factory=list)
    zewo_certified: bool = False
    email: str | None = Field(default=None, max_length=254)
    website: str | None = Field(default=None, max_length=300)


class OrganisationCreate(OrganisationFields):
    name: NonBlank = Field(min_length=2, max_length=200)
    kind: OrganisationKind = OrganisationKind.ASSOCIATION
    country: CountryCode = "CH"
    membership_status: MembershipStatus = MembershipStatus.NONE


class OrganisationUpdate(Patch):
    clearable = frozenset({"seat_canton", "seat_city", "membership_since", "email", "website"})

    name: NonBlank | None = Field(default=None, min_length=2, max_length=200)
    kind: OrganisationKind | None = None
    seat_canton: CantonCode | None = None
    seat_city: str | None = Field(default=None, max_length=120)
    country: CountryCode | None = None
    is_diaspora_led: bool | None = None
    diaspora_origins: list[CountryCode] | None = None
    membership_status: MembershipStatus | None = None
    membership_since: date | None = None
    audited_accounts_years: list[Year] | None = None
    zewo_certified: bool | None = None
    email: str | None = Field(default=None, max_length=254)
    website: str | None = Field(default=None, max_length=300)
    version: Version | None = None


class OrganisationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: OrganisationKind
    seat_canton: str | None
    seat_city: str | None
    country: str
    is_diaspora_led: bool
    diaspora_origins: list[str]
    membership_status: MembershipStatus
    membership_since: date | None
    audited_accounts_years: list[int]
    zewo_certified: bool
    email: str | None
    website: str | None
    version: int
    created_at: datetime


class PartnerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: NonBlank = Field(min_length=2, max_length=200)
    country: CountryCode
    locality: str | None = Field(default=None, max_length=120)
    kind: PartnerKind = PartnerKind.NGO
    legal_registration: str | None = Field(default=None, max_length=200)
    # The secretariat may register a partner for an association, or for everyone (null);
    # an applicant's partner always belongs to its own organisation.
    organisation_id: Id | None = None


class PartnerUpdate(Patch):
    clearable = frozenset({"locality", "legal_registration"})

    name: NonBlank | None = Field(default=None, min_length=2, max_length=200)
    country: CountryCode | None = None
    locality: str | None = Field(default=None, max_length=120)
    kind: PartnerKind | None = None
    legal_registration: str | None = Field(default=None, max_length=200)


class PartnerPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: Id | None
    name: str
    country: str
    locality: str | None
    kind: PartnerKind
    legal_registration: str | None


Theme = Annotated[str, Field(pattern=r"^[a-z0-9_]{2,60}$")]


class InitiativeIn(BaseModel):
    """Something an association does besides its funded projects."""

    model_config = ConfigDict(extra="forbid")

    title: NonBlank = Field(min_length=3, max_length=200)
    country: CountryCode
    locality: str | None = Field(default=None, max_length=120)
    theme: Theme | None = None


class DirectoryEntryIn(BaseModel):
    """An association's entry in the public directory: what it chooses to show."""

    model_config = ConfigDict(extra="forbid")

    listed: bool = False
    presentation: str | None = Field(default=None, max_length=2000)
    themes: list[Theme] = Field(default_factory=list, max_length=20)
    initiatives: list[InitiativeIn] = Field(default_factory=list, max_length=30)
    show_city: bool = True
    show_origins: bool = True
    show_website: bool = True
    version: int | None = Field(default=None, description="The version you read (409 if stale)")


class DirectoryEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    organisation_id: Id
    listed: bool
    presentation: str | None
    themes: list[str]
    initiatives: list[dict[str, Any]]
    show_city: bool
    show_origins: bool
    show_website: bool
    version: int
