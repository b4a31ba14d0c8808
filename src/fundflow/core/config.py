"""One validated settings object, read from the environment (prefix ``FUNDFLOW_``)."""

import hashlib
import hmac
import logging
import math
import secrets
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from fundflow.core.roles import Role

log = logging.getLogger("fundflow")


class Settings(BaseSettings):
    # hide_input_in_errors: a refused setting must never be echoed (the secret key).
    model_config = SettingsConfigDict(
        env_prefix="FUNDFLOW_", env_file=".env", extra="ignore", hide_input_in_errors=True
    )

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./fundflow.db"
    secret_key: SecretStr | None = None
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    access_token_minutes: int = 60
    # Browser sessions end after this long without a request, and at the latest after
    # browser_session_hours; pages warn before the idle end.
    browser_idle_minutes: int = Field(default=30, ge=2)
    browser_session_hours: int = Field(default=12, ge=1)
    # The address people reach the service at, for the links sent by e-mail.
    public_url: str = "http://127.0.0.1:8000"
    # Where the accessibility statement asks people to report a barrier.
    accessibility_contact: str = "secretariat@localhost"
    max_body_bytes: int = 1024 * 1024
    # Attachments (proposals, reports): where they are kept and how large they may be.
    documents_dir: str = "./var/documents"
    # ... or, for several replicas, in an S3-compatible bucket (AWS S3, MinIO, Exoscale,
    # Infomaniak): documents_store=s3 and the bucket's address and credentials.
    documents_store: Literal["directory", "s3"] = "directory"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_prefix: str = "documents/"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    max_upload_bytes: int = 10 * 1024 * 1024
    # Reminders (`fundflow remind`): the SMTP server and the sender.
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str = "fundflow@localhost"
    remind_days_ahead: int = 14
    # The federation as IATI reporting organisation (identifier prefix of every activity).
    iati_org_ref: str = "XI-IATI-FUNDFLOW"
    iati_org_name: str = "fundflow federation"
    # Idempotency keys older than this are forgotten by `fundflow db purge` (run it daily).
    idempotency_ttl_hours: int = 24
    # Sign-in: this many failures for one account from one client address within the
    # lockout period lock them for that period, so that a password cannot be found by trying
    login_max_failures: int = 5
    # ... and this many failures from one client address, whatever the accounts tried.
    login_max_failures_per_address: int = 30
    login_lockout_minutes: int = 15
    # A second factor (an authenticator app's code) is required of these roles; someone
    # holding one who has not set it up may still sign in for this many days after their
    # account was created, then only to set it up.
    two_factor_required_roles: list[Role] = [Role.SECRETARIAT, Role.ADMIN, Role.AUTHORITY]
    two_factor_grace_days: int = Field(default=14, ge=0)
    # A conversion takes the latest rate of the pair dated on or before its day, if it is
    # at most this old (a monthly average stays usable through the next month); older or
    # none, the conversion is refused (422) rather than guessed.
    exchange_rate_max_age_days: int = Field(default=62, ge=1)
    # Client addresses of the reverse proxies whose X-Forwarded-For is believed (the real
    # client's address then counts for the sign-in throttle); comma-separated, or "*".
    forwarded_allow_ips: str = "127.0.0.1"
    sql_echo: bool = False
    # Log lines as JSON objects (for a log collector) or text; JSON in production unless set.
    log_format: Literal["text", "json"] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # GET /metrics (Prometheus) answers only a scraper presenting this bearer token; without
    # one configured the endpoint does not exist.
    metrics_token: SecretStr | None = None
    # The interactive documentation (/docs, /redoc) and /openapi.json; may be switched off
    # in production.
    api_docs: bool = True

    @model_validator(mode="after")
    def _require_secret_in_production(self) -> "Settings":
        if self.secret_key is None:
            if self.environment == "production":
                raise ValueError(
                    "FUNDFLOW_SECRET_KEY must be set in production "
                    "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
                )
            # Outside production a key generated once and kept beside the SQLite file keeps
            # a newcomer's `make run` working, and tokens valid across restarts.
            self.secret_key = SecretStr(_local_development_key())
        elif len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("FUNDFLOW_SECRET_KEY must be at least 32 characters long")
        elif self.environment == "production" and (
            estimated_entropy_bits(self.secret_key.get_secret_value()) < MIN_KEY_ENTROPY_BITS
        ):
            raise ValueError(
                "FUNDFLOW_SECRET_KEY is too predictable (repeated or few distinct characters); "
                "generate one with `python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )
        return self

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        # `FUNDFLOW_METRICS_TOKEN=` (empty) must not open the metrics to an empty bearer.
        return None if value == "" else value

    @model_validator(mode="after")
    def _require_bucket_for_s3(self) -> "Settings":
        if self.documents_store == "s3" and not self.s3_bucket:
            raise ValueError("FUNDFLOW_S3_BUCKET must be set when FUNDFLOW_DOCUMENTS_STORE=s3")
        return self

    def derived_key(self, purpose: str) -> str:
        """A key for one purpose (signing CSRF tokens…), derived from the secret key so
        that no two uses share the same key."""
        assert self.secret_key is not None  # set by the validator
        secret = self.secret_key.get_secret_value().encode()
        return hmac.new(secret, purpose.encode(), hashlib.sha256).hexdigest()

    @property
    def effective_log_format(self) -> Literal["text", "json"]:
        if self.log_format is not None:
            return self.log_format
        return "json" if self.environment == "production" else "text"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


MIN_KEY_ENTROPY_BITS = 96


def estimated_entropy_bits(key: str) -> float:
    """A generous estimate of the key's randomness: the Shannon entropy of its characters
    times the length of its repeating unit ("password" * 5 counts as "password"). A
    generated key scores far above the bar (token_urlsafe(48): about 340 bits; token_hex(32):
    about 250), "a" * 32 or a word repeated far below."""
    counts = Counter(key)
    per_character = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_character * _repeating_unit(key)


def _repeating_unit(key: str) -> int:
    return next(
        (p for p in range(1, len(key)) if all(c == key[i % p] for i, c in enumerate(key))),
        len(key),
    )


DEV_KEY_FILE = Path(".fundflow-secret")


def _local_development_key() -> str:
    try:
        key = DEV_KEY_FILE.read_text().strip()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    key = secrets.token_urlsafe(48)
    try:
        DEV_KEY_FILE.write_text(key)
        DEV_KEY_FILE.chmod(0o600)
    except OSError:
        log.warning(
            "could not keep the development key in %s; tokens end with the process", DEV_KEY_FILE
        )
    return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
