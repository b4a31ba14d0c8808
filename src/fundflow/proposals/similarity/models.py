from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from fundflow.core.dbtypes import created_at_field, enum_column


class ProposalFingerprint(SQLModel, table=True):
    """The MinHash signature of a proposal's text, kept current on every edit."""

    __tablename__ = "proposal_fingerprint"

    proposal_id: int = Field(foreign_key="proposal.id", primary_key=True, ondelete="CASCADE")
    # Of the sorted distinctive words: an edit that changes none of them recomputes nothing.
    digest: str = Field(max_length=64)
    words: int
    # NUM_PERM little-endian uint32 values; null when the text is too short to compare.
    signature: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary()))


class ProposalTextBand(SQLModel, table=True):
    """One LSH band key of a proposal's signature; the primary key is the lookup index."""

    __tablename__ = "proposal_text_band"

    band: int = Field(primary_key=True, sa_type=sa.SmallInteger)
    bucket: int = Field(primary_key=True, sa_type=sa.BigInteger)
    proposal_id: int = Field(
        foreign_key="proposal.id", primary_key=True, index=True, ondelete="CASCADE"
    )


class Verdict(StrEnum):
    SAME_PROJECT = "same_project"
    DIFFERENT_PROJECT = "different_project"


class SimilarityVerdict(SQLModel, table=True):
    """The secretariat's word on a pair of similar proposals, whichever was screened.

    ``different_project`` takes the pair out of warnings and lifts the double-funding
    block: the score is a heuristic, and a person who looked has the last word.
    """

    __tablename__ = "similarity_verdict"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id", "other_proposal_id"),
        sa.CheckConstraint("proposal_id < other_proposal_id", name="pair_in_order"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The pair in id order, so that a verdict reads the same from either side; the unique
    # constraint's index serves lookups by proposal_id.
    proposal_id: int = Field(foreign_key="proposal.id", ondelete="CASCADE")
    other_proposal_id: int = Field(foreign_key="proposal.id", index=True, ondelete="CASCADE")
    verdict: Verdict = Field(sa_column=enum_column(Verdict))
    comment: str = Field(max_length=2_000)
    decided_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    decided_at: datetime = created_at_field()
