"""Every use of JWT lives here, so a change of library touches one file."""

from datetime import timedelta

from jose import JWTError, jwt

from fundflow.core.config import Settings
from fundflow.core.dbtypes import utcnow
from fundflow.core.errors import Unauthenticated


def issue_access_token(settings: Settings, *, user_id: int) -> tuple[str, int]:
    """Return the token and its lifetime in seconds."""
    lifetime = timedelta(minutes=settings.access_token_minutes)
    now = utcnow()
    claims = {"sub": str(user_id), "iat": now, "exp": now + lifetime, "typ": "access"}
    assert settings.secret_key is not None
    token = jwt.encode(
        claims, settings.secret_key.get_secret_value(), algorithm=settings.jwt_algorithm
    )
    return token, int(lifetime.total_seconds())


def read_access_token(settings: Settings, token: str) -> int:
    """Return the user id the token was issued to, or raise ``Unauthenticated``."""
    assert settings.secret_key is not None
    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[settings.jwt_algorithm],
            options={"require_exp": True, "require_sub": True},
        )
    except JWTError:
        raise Unauthenticated("The access token is invalid or has expired.") from None
    if claims.get("typ") != "access":
        raise Unauthenticated("The token is not an access token.")
    try:
        return int(claims["sub"])
    except (KeyError, ValueError):
        raise Unauthenticated("The access token names no user.") from None
