"""The ``fundflow`` command: serve, migrate, load the demo, manage users, write the spec."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from fundflow.accounts.models import Language
from fundflow.core.roles import Role

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.engine import Engine

    from fundflow.core.config import Settings

app = typer.Typer(
    help="fundflow: the funding cycle of cooperation federations.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(help="Port (default: $PORT or 8000)")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes")] = False,
) -> None:
    """Serve the HTTP API with uvicorn. Behind a reverse proxy, set
    FUNDFLOW_FORWARDED_ALLOW_IPS to its address so that clients' own addresses are seen."""
    import tempfile

    import uvicorn

    from fundflow.core.config import get_settings
    from fundflow.core.logs import logging_config

    settings = get_settings()
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # The workers add their metrics up through files in one directory of their own.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="fundflow-metrics-")
    uvicorn.run(
        "fundflow.main:app",
        host=host,
        port=port or int(os.environ.get("PORT", 8000)),
        workers=workers,
        reload=reload,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        server_header=False,
        # The standard loop serves every connection in turn when the process is busy; under
        # uvloop (uvicorn's default) a few requests in a hundred waited ten times the rest.
        loop="asyncio",
        log_config=logging_config(settings.effective_log_format, settings.log_level),
        # Our own access line (fundflow.access) carries the route, duration and request id.
        access_log=False,
    )


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Migrate the database to the latest schema (or to REVISION)."""
    from sqlmodel import Session

    from fundflow.core.config import get_settings
    from fundflow.core.database import get_engine, upgrade_database
    from fundflow.proposals.similarity.index import index_missing

    url = get_settings().database_url
    upgrade_database(url, revision)
    typer.echo(f"database migrated to {revision}")
    if revision == "head":
        # Proposals written before similar-request detection existed have no fingerprint.
        with Session(get_engine()) as session:
            if done := index_missing(session):
                typer.echo(f"fingerprinted {done} proposal(s) for similar-request detection")


@db_app.command("reindex")
def db_reindex() -> None:
    """Fingerprint again the proposals whose similar-request fingerprint is stale (after a
    change of the word rules or MinHash settings)."""
    from sqlmodel import Session

    import fundflow.models  # noqa: F401 - every table, so that relationships resolve
    from fundflow.core.database import ensure_migrated, get_engine
    from fundflow.proposals.similarity.index import reindex

    engine = get_engine()
    with _clear_errors():
        ensure_migrated(engine)
    with Session(engine) as session:
        changed = reindex(session)
    typer.echo(f"fingerprinted {changed} proposal(s) again")


@db_app.command("purge")
def db_purge() -> None:
    """Forget idempotency keys older than FUNDFLOW_IDEMPOTENCY_TTL_HOURS, failed sign-ins
    older than FUNDFLOW_LOGIN_LOCKOUT_MINUTES and sessions ended a month ago (run daily)."""
    from datetime import timedelta

    from sqlmodel import Session

    from fundflow.accounts import throttle
    from fundflow.accounts.sessions import purge_ended
    from fundflow.core.config import get_settings
    from fundflow.core.database import ensure_migrated, get_engine
    from fundflow.core.dbtypes import utcnow
    from fundflow.core.idempotency import purge_expired

    engine = get_engine()
    with _clear_errors():
        ensure_migrated(engine)
    settings = get_settings()
    hours = settings.idempotency_ttl_hours
    with _once_across_the_fleet(engine, "purge"), Session(engine) as session, session.begin():
        removed = purge_expired(session, older_than=timedelta(hours=hours))
        failures = throttle.purge(session, now=utcnow(), settings=settings)
        ended = purge_ended(session, older_than=timedelta(days=30))
    typer.echo(f"forgot {removed} idempotency key(s) older than {hours} h")
    typer.echo(f"forgot the failed sign-ins of {failures} address(es)")
    typer.echo(f"forgot {ended} session(s) ended or expired over 30 days ago")


@app.command()
def check() -> None:
    """Check the money invariants (commitments, envelopes, disbursements); exit 1 on any
    violation."""
    from sqlmodel import Session

    from fundflow.cofinancing.invariants import violations
    from fundflow.core.database import ensure_migrated, get_engine

    engine = get_engine()
    with _clear_errors():
        ensure_migrated(engine)
    with Session(engine) as session:
        found = violations(session)
    for line in found:
        typer.echo(f"violation: {line}")
    if found:
        raise typer.Exit(code=1)
    typer.echo("money invariants hold: no violation")


@app.command()
def remind(
    today: Annotated[str | None, typer.Option(help="Date to act as of (YYYY-MM-DD)")] = None,
) -> None:
    """E-mail reports due soon or overdue to the associations, and the overdue digest to
    the secretariat; tell the nominees of new award nominations; run daily (a reminder is
    never sent twice the same day, a nominee is told once)."""
    from datetime import date

    from fundflow.core.config import get_settings
    from fundflow.core.database import ensure_migrated, get_engine
    from fundflow.core.dbtypes import utcnow

    settings = get_settings()
    engine = get_engine()
    with _clear_errors():
        ensure_migrated(engine)
    day = date.fromisoformat(today) if today else utcnow().date()
    with _once_across_the_fleet(engine, "remind"):
        nominees_missed = _tell_nominees(engine, settings)
        _remind(engine, settings, day)
    if nominees_missed:
        raise typer.Exit(code=1)


def _remind(engine: "Engine", settings: "Settings", day: "date") -> None:
    from sqlmodel import Session

    from fundflow.monitoring.reminders import (
        plan_reminders,
        send,
        unreachable_reports,
        withdraw,
    )

    with Session(engine) as session, session.begin():
        messages = plan_reminders(session, today=day, days_ahead=settings.remind_days_ahead)
        for missed in unreachable_reports(
            session, today=day, days_ahead=settings.remind_days_ahead
        ):
            typer.echo(
                f"no one to remind at {missed.organisation} (no active account) of the "
                f"{missed.report.kind} report of {missed.project.title!r}, due "
                f"{missed.report.due_on}"
            )
    undelivered = send(settings, messages)  # after the commit: recorded once, sent once
    if undelivered:
        with Session(engine) as session, session.begin():
            withdraw(session, undelivered)
        typer.echo(
            f"sent {len(messages) - len(undelivered)} reminder(s); "
            f"{len(undelivered)} could not be sent through "
            f"{settings.smtp_host}:{settings.smtp_port} and will be retried",
            err=True,
        )
        raise typer.Exit(code=1)
    typer.echo(f"sent {len(messages)} reminder(s)")


def _tell_nominees(engine: "Engine", settings: "Settings") -> int:
    """The nominees of newly submitted nominations, told by e-mail; how many were not."""
    from sqlmodel import Session

    from fundflow.lifecycle.nominations import plan_notices
    from fundflow.monitoring.reminders import send
    from fundflow.proposals.nominations import forget_notices

    with Session(engine) as session, session.begin():
        planned = plan_notices(session, settings)
    undelivered = {id(message) for message in send(settings, [m for _, m in planned])}
    if undelivered:
        with Session(engine) as session, session.begin():
            forget_notices(session, [n for n, m in planned if id(m) in undelivered])
        typer.echo(f"{len(undelivered)} nominee(s) could not be told and will be retried", err=True)
    typer.echo(f"told {len(planned) - len(undelivered)} nominee(s) of their nomination")
    return len(undelivered)


@app.command()
def tick(
    today: Annotated[str | None, typer.Option(help="Date to act as of (YYYY-MM-DD)")] = None,
) -> None:
    """Move active projects whose end date has passed to final reporting; run daily."""
    from datetime import date

    from sqlmodel import Session

    from fundflow.core.database import ensure_migrated, get_engine
    from fundflow.core.dbtypes import utcnow
    from fundflow.lifecycle.daily import end_finished_projects

    engine = get_engine()
    with _clear_errors():
        ensure_migrated(engine)
    day = date.fromisoformat(today) if today else utcnow().date()
    with _once_across_the_fleet(engine, "tick"), Session(engine) as session, session.begin():
        ended = end_finished_projects(session, today=day)
    typer.echo(f"{len(ended)} project(s) moved to final reporting")


@app.command()
def demo(
    password: Annotated[
        str | None,
        typer.Option(help="Password for every demo user (default: a new random one, printed)"),
    ] = None,
) -> None:
    """Load the demo federation (idempotent) and print the demo logins."""
    from fundflow.core.config import get_settings
    from fundflow.demo import load_demo

    if get_settings().environment == "production":
        typer.echo("refusing to load demo users into a production database", err=True)
        raise typer.Exit(code=2)
    with _clear_errors():
        logins, password_used = load_demo(password=password)
    port = os.environ.get("PORT", "8000")
    typer.echo(
        f"\nDemo data loaded. Sign in on the pages at http://127.0.0.1:{port}/connexion"
        f" (the API: http://127.0.0.1:{port}/docs) with:"
    )
    for role, email in logins:
        typer.echo(f"  {role:<12} {email}")
    typer.echo(f"  password     {password_used}   (same for every demo user)")
    typer.echo(
        "  The roles that require a second factor may sign in without one for "
        f"{get_settings().two_factor_grace_days} days;\n  set it up on the page "
        "Second facteur (/compte/double-authentification).\n"
    )


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    role: Annotated[list[Role], typer.Option(help="Repeat for several roles")],
    full_name: Annotated[str, typer.Option()] = "",
    organisation_id: Annotated[int | None, typer.Option()] = None,
    funder_id: Annotated[int | None, typer.Option()] = None,
    language: Annotated[Language, typer.Option()] = Language.FR,
) -> None:
    """Create a user (the first admin is made this way)."""
    from pydantic import ValidationError
    from sqlmodel import Session

    from fundflow.core.database import ensure_migrated, get_engine
    from fundflow.core.errors import DomainError
    from fundflow.users.schemas import UserCreate
    from fundflow.users.service import create_user

    engine = get_engine()
    with _clear_errors():
        ensure_migrated(engine)
    try:
        data = UserCreate(
            email=email,
            password=password,
            roles=role,
            full_name=full_name,
            organisation_id=organisation_id,
            funder_id=funder_id,
            language=language,
        )
        with Session(engine) as session, session.begin():
            user = create_user(session, data=data)
            typer.echo(f"created user {user.id} <{user.email}> with roles {', '.join(user.roles)}")
    except ValidationError as exc:
        for detail in exc.errors():
            typer.echo(f"error: {'.'.join(map(str, detail['loc']))}: {detail['msg']}", err=True)
        raise typer.Exit(code=2) from None
    except DomainError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        for error in exc.errors:
            typer.echo(f"  - {error.get('message')}", err=True)
        raise typer.Exit(code=2) from None


@contextmanager
def _once_across_the_fleet(engine: "Engine", job: str) -> Iterator[None]:
    """Runs the job here unless another host is running it now (see core.jobs)."""
    from fundflow.core.jobs import exclusive

    with exclusive(engine, job) as mine:
        if not mine:
            typer.echo(f"`{job}` is running on another host; nothing done here")
            raise typer.Exit(code=0)
        yield


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Operator mistakes end with one line of explanation, not a traceback."""
    from fundflow.core.database import SchemaNotMigrated

    try:
        yield
    except SchemaNotMigrated as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from None


@app.command()
def spec(
    output: Annotated[Path, typer.Option(help="Where to write the OpenAPI document")] = Path(
        "api_spec/openapi.json"
    ),
) -> None:
    """Write the OpenAPI document generated from the code."""
    from fundflow.openapi import openapi_document

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(openapi_document())
    typer.echo(f"wrote {output}")


if __name__ == "__main__":
    app()
