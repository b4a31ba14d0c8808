"""The CSRF check of upload forms, which asgi-csrf lets through unread (see ``app.py``).

The same double-submit token as asgi-csrf's: the form's ``csrftoken`` field must equal the
``csrftoken`` cookie, and the cookie must carry our signature.
"""

import secrets

from fastapi import Request
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import FormData

from fundflow.core.config import get_settings

COOKIE = FIELD = NAMESPACE = "csrftoken"


class CsrfRefused(Exception):
    """Answered with the page that asks to send the form again from a fresh page."""


def require_token(request: Request, form: FormData) -> None:
    cookie = request.cookies.get(COOKIE, "")
    sent = form.get(FIELD)
    if not cookie or not isinstance(sent, str) or not secrets.compare_digest(cookie, sent):
        raise CsrfRefused
    try:
        URLSafeSerializer(get_settings().derived_key("csrf")).loads(cookie, NAMESPACE)
    except BadSignature:
        raise CsrfRefused from None
