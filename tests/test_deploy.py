"""deploy/: the fleet described in compose.yaml is one the settings accept, with two app
replicas, documents in the S3-compatible store and two cron hosts (no daemon is needed to
check what it says; the lock and the S3 store themselves are tested elsewhere)."""

import re
import secrets
from pathlib import Path
from typing import Any

import pytest
import yaml

from fundflow.core.config import Settings

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "compose.yaml").read_text()))


def resolved(environment: dict[str, str]) -> dict[str, str]:
    """The values compose would pass, with each ${VAR...} given a long enough stand-in."""
    stand_in = secrets.token_urlsafe(48)
    return {key: re.sub(r"\$\{[^}]+\}", stand_in, str(value)) for key, value in environment.items()}


def test_every_fundflow_variable_is_a_setting_and_the_settings_accept_them(compose):
    for name in ("app", "jobs"):
        environment = resolved(compose["services"][name]["environment"])
        unknown = {
            key
            for key in environment
            if key.startswith("FUNDFLOW_")
            and key.removeprefix("FUNDFLOW_").lower() not in Settings.model_fields
            and key != "FUNDFLOW_MIGRATE_ON_START"
        }
        assert not unknown, f"{name}: not settings: {unknown}"
        settings = Settings(
            **{
                key.removeprefix("FUNDFLOW_").lower(): value
                for key, value in environment.items()
                if key.startswith("FUNDFLOW_") and key != "FUNDFLOW_MIGRATE_ON_START"
            }
        )
        assert settings.environment == "production"
        assert settings.documents_store == "s3" and settings.s3_bucket == "fundflow-documents"
        assert settings.effective_log_format == "json"


def test_two_replicas_behind_the_proxy_two_cron_hosts_and_an_s3_store(compose):
    services = compose["services"]
    assert services["app"]["deploy"]["replicas"] == 2
    assert services["jobs"]["deploy"]["replicas"] == 2
    assert "minio" in services and "fundflow-documents" in " ".join(services["bucket"]["command"])
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert "server app:8000" in nginx and "location = /metrics" in nginx
    for job in ("fundflow tick", "fundflow remind", "fundflow db purge"):
        assert job in " ".join(services["jobs"]["command"])


def test_an_empty_metrics_token_keeps_the_metrics_closed():
    assert Settings(metrics_token="").metrics_token is None
