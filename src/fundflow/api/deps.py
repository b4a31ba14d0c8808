"""Who is calling (bearer token to user, user to actor, role requirements) and the
request-scoped helpers that need to know it, such as ``Idempotency-Key``."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import OAuth2PasswordBearer

from fundflow.accounts import sessions
from fundflow.accounts.models import SessionRestriction
from fundflow.core.actor import Actor
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.errors import Forbidden, TwoFactorRequired, Unauthenticated
from fundflow.core.idempotency import Idempotency
from fundflow.core.messages import N_
from fundflow.core.request_sessions import run_on
from fundflow.core.roles import Role
from fundflow.core.tokens import read_access_token

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    session_id: int
    restriction: SessionRestriction | None = None

    @property
    def user_id(self) -> int:
        assert self.actor.id is not None  # a signed-in actor is a user
        return self.actor.id


async def signed_in_at_any_stage(
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> SignedIn:
    if not token:
        raise Unauthenticated(N_("Send a bearer token (POST /api/v1/auth/token to get one)."))
    claims = read_access_token(settings, token)
    found = await run_on(
        session,
        sessions.signed_in_actor,
        session,
        user_id=claims.user_id,
        session_id=claims.session_id,
    )
    if found is None:
        raise Unauthenticated(
            N_(
                "This token's session has ended (signed out, password changed or account "
                "deactivated); sign in again."
            )
        )
    actor, restriction = found
    return SignedIn(actor, claims.session_id, restriction)


# For the few endpoints open to a session that must first set up a second factor: the
# second factor's own, and signing out.
SignInAtAnyStage = Annotated[SignedIn, Depends(signed_in_at_any_stage)]


async def signed_in(sign_in: SignInAtAnyStage) -> SignedIn:
    if sign_in.restriction is not None:
        raise TwoFactorRequired(
            N_(
                "Your role requires a second factor: set it up first "
                "(POST /api/v1/me/two-factor, then POST /api/v1/me/two-factor/confirm)."
            )
        )
    return sign_in


CurrentSignIn = Annotated[SignedIn, Depends(signed_in)]


# The dependencies that only compute are async: a plain function costs a thread-pool hop.
async def current_actor(sign_in: CurrentSignIn) -> Actor:
    return sign_in.actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def require_roles(*roles: Role) -> Callable[[Actor], Awaitable[Actor]]:
    """A dependency that admits only actors holding one of ``roles``."""

    async def dependency(actor: CurrentActor) -> Actor:
        if not actor.has(*roles):
            raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
        return actor

    return dependency


SecretariatActor = Annotated[Actor, Depends(require_roles(Role.SECRETARIAT))]
AdminActor = Annotated[Actor, Depends(require_roles(Role.ADMIN))]


async def _body(request: Request) -> bytes:
    return await request.body()


def idempotency(
    session: SessionDep,
    actor: CurrentActor,
    request: Request,
    body: Annotated[bytes, Depends(_body)],
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="Retrying with the same key creates nothing new."),
    ] = None,
) -> Idempotency:
    return Idempotency(session, actor, request, idempotency_key, body)


IdempotencyDep = Annotated[Idempotency, Depends(idempotency)]
