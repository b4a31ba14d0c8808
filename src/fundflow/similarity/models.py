import sqlalchemy as sa
from sqlmodel import Field, SQLModel


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
