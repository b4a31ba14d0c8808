"""The OpenAPI document as committed in ``api_spec/openapi.json``."""

import json

from fundflow.main import create_app


def openapi_document() -> str:
    return (
        json.dumps(
            create_app(check_migrations=False).openapi(),
            indent=2,
            sort_keys=True,
            ensure_ascii=False,
        )
        + "\n"
    )
