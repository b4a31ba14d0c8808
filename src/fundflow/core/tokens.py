"""Every use of JWT lives here, so a change of library touches one file; and the opaque
tokens of browser sessions and one-time links, of which the database keeps a digest."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from jose import JWTError, jwt

from fundflow.core.config import Settings
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Unauthenticated
from fundflow.core.inputs import MAX_ID
from fundflow.core.messages import N_


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def digest_of(token: str) -> str:
    """What the database keeps of an opaque token: a copy of it lets nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    session_id: int


def access_token_lifetime(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.access_token_minutes)


def issue_access_token(settings: Settings, *, user_id: int, session_id: int) -> tuple[str, int]:
    """Return the token and its lifetime in seconds."""
    lifetime = access_token_lifetime(settings)
    now = utcnow()
    claims = {
        "sub": str(user_id),
        "sid": str(session_id),
        "iat": now,
        "exp": now + lifetime,
        "typ": "access",
    }
    assert settings.secret_key is not None
    token = jwt.encode(
        claims, settings.secret_key.get_secret_value(), algorithm=settings.jwt_algorithm
    )
    return token, int(lifetime.total_seconds())


def read_access_token(settings: Settings, token: str) -> AccessClaims:
    """Return the user and session the token was issued for, or raise ``Unauthenticated``."""
    assert settings.secret_key is not None
    claims, expires = _verified(
        settings.secret_key.get_secret_value(), settings.jwt_algorithm, token
    )
    if expires <= utcnow().timestamp():
        raise Unauthenticated(N_("The access token is invalid or has expired."))
    return claims


# A client sends the same token with every request: its signature is checked once, then
# only its expiry (and the session, by the caller, on every request). Only tokens we signed
# get in, so the cache holds at most a few thousand live clients.
@lru_cache(maxsize=4096)
def _verified(key: str, algorithm: str, token: str) -> tuple[AccessClaims, float]:
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            options={"require_exp": True, "require_sub": True},
        )
    except JWTError:
        raise Unauthenticated(N_("The access token is invalid or has expired.")) from None
    if claims.get("typ") != "access":
        raise Unauthenticated(N_("The token is not an access token."))
    try:
        found = AccessClaims(user_id=int(claims["sub"]), session_id=int(claims["sid"]))
        expires = float(claims["exp"])
    except (KeyError, ValueError, TypeError):
        raise Unauthenticated(N_("The access token names no user or session.")) from None
    if not (1 <= found.user_id <= MAX_ID and 1 <= found.session_id <= MAX_ID):
        raise Unauthenticated(N_("The access token names no user or session."))
    return found, expires
