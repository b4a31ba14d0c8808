"""A proposal's content stamp: a number the database moves whenever anything a proposal's
representation shows changes (its row, its lists, its project, its call's currency or
priorities), so that a rendered proposal can be kept and reused while it holds.

Revision ID: 6b0c1e3f9a27
Revises: 53c11102075b
Create Date: 2026-12-01 10:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6b0c1e3f9a27"
down_revision: str | None = "53c11102075b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = "UPDATE proposal SET content_stamp = content_stamp + 1 WHERE id IN ({ids})"

# Per table whose rows a proposal shows: the columns the rule reads, and the ids of the
# proposals that rows ``r`` belong to.
CHILDREN = {
    "proposal_priority": (("proposal_id",), "SELECT r.proposal_id FROM {rows}"),
    "budget_line": (("proposal_id",), "SELECT r.proposal_id FROM {rows}"),
    "financing_line": (("proposal_id",), "SELECT r.proposal_id FROM {rows}"),
    "outcome": (("proposal_id",), "SELECT r.proposal_id FROM {rows}"),
    "output": (
        ("outcome_id",),
        "SELECT o.proposal_id FROM {rows} JOIN outcome o ON o.id = r.outcome_id",
    ),
    "indicator": (("proposal_id",), "SELECT r.proposal_id FROM {rows}"),
    "project": (("proposal_id",), "SELECT r.proposal_id FROM {rows}"),
}
# Tables a proposal shows columns of (rows ``n``), and those columns.
SHOWN_COLUMNS = {
    "call": (("currency",), "SELECT p.id FROM proposal p JOIN {rows} ON p.call_id = n.id"),
    "call_priority": (
        ("code", "position"),
        "SELECT pp.proposal_id FROM proposal_priority pp JOIN {rows} ON pp.priority_id = n.id",
    ),
}


def upgrade() -> None:
    op.add_column(
        "proposal",
        sa.Column("content_stamp", sa.Integer(), server_default="0", nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


SQLITE_SIDES = (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",)))


def _sqlite_triggers() -> None:
    # Row by row (SQLite has no statement triggers). The proposal's own trigger skips
    # updates that already moved the stamp, its children's among them.
    op.execute(
        "CREATE TRIGGER proposal_content_stamp AFTER UPDATE ON proposal "
        "WHEN NEW.content_stamp = OLD.content_stamp BEGIN "
        "UPDATE proposal SET content_stamp = OLD.content_stamp + 1 WHERE id = NEW.id; END"
    )
    for table, (columns, ids) in CHILDREN.items():
        for event, sides in (
            ("INSERT", ("NEW",)),
            ("UPDATE", ("OLD", "NEW")),
            ("DELETE", ("OLD",)),
        ):
            bumps = " ".join(
                BUMP.format(ids=ids.format(rows=_sqlite_row(side, columns))) + ";" for side in sides
            )
            op.execute(
                f"CREATE TRIGGER {table}_content_stamp_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {bumps} END"
            )
    for table, (columns, ids) in SHOWN_COLUMNS.items():
        changed = " OR ".join(f"NEW.{name} IS NOT OLD.{name}" for name in columns)
        rows = "(SELECT NEW.id AS id) n"
        op.execute(
            f"CREATE TRIGGER {table}_content_stamp AFTER UPDATE ON {table} WHEN {changed} "
            f"BEGIN {BUMP.format(ids=ids.format(rows=rows))}; END"
        )


def _sqlite_row(side: str, columns: tuple[str, ...]) -> str:
    return "(SELECT " + ", ".join(f"{side}.{name} AS {name}" for name in columns) + ") r"


def _postgresql_triggers() -> None:
    op.execute(
        "CREATE FUNCTION proposal_content_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN NEW.content_stamp := OLD.content_stamp + 1; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER proposal_content_stamp BEFORE UPDATE ON proposal "
        "FOR EACH ROW EXECUTE FUNCTION proposal_content_stamp()"
    )
    # Once per statement over its transition tables: a bulk insert of lines moves each
    # proposal's stamp once, not once per line.
    for table, (_columns, ids) in CHILDREN.items():
        new_ids = ids.format(rows="new_rows r")
        old_ids = ids.format(rows="old_rows r")
        op.execute(
            f"CREATE FUNCTION {table}_content_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN "
            f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {BUMP.format(ids=new_ids)}; END IF; "
            f"IF TG_OP IN ('DELETE', 'UPDATE') THEN {BUMP.format(ids=old_ids)}; END IF; "
            "RETURN NULL; END $$"
        )
        for event, transitions in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            op.execute(
                f"CREATE TRIGGER {table}_content_stamp_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {transitions} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {table}_content_stamp()"
            )
    for table, (columns, ids) in SHOWN_COLUMNS.items():
        changed = " OR ".join(f"n.{name} IS DISTINCT FROM o.{name}" for name in columns)
        rows = f"new_rows n JOIN old_rows o ON o.id = n.id AND ({changed})"
        op.execute(
            f"CREATE FUNCTION {table}_content_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {BUMP.format(ids=ids.format(rows=rows))}; RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_content_stamp AFTER UPDATE ON {table} "
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {table}_content_stamp()"
        )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    tables = ["proposal", *CHILDREN, *SHOWN_COLUMNS]
    for table in tables:
        events = ("insert", "update", "delete") if table in CHILDREN else (None,)
        for event in events:
            name = f"{table}_content_stamp" + (f"_{event}" if event else "")
            op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION IF EXISTS {table}_content_stamp()")
    if postgresql:
        op.drop_column("proposal", "content_stamp")
    else:
        op.execute("ALTER TABLE proposal DROP COLUMN content_stamp")
