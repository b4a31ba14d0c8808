"""Password hashing with argon2 (pwdlib's recommended parameters)."""

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    return _hasher.verify(password, password_hash)


# Verifying against this when the e-mail is unknown keeps response times alike, so the
# token endpoint does not reveal which e-mails have accounts.
DUMMY_HASH = hash_password("not-a-real-password-0")
