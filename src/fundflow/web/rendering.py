"""Pages from templates, in the reader's language.

One Jinja2 environment per language, each with its catalogue and its formats installed:
a template never chooses a language, and a string outside the catalogue is easy to find
(``tests/web/test_catalogues.py`` fails on it).
"""

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from fundflow.core.config import get_settings
from fundflow.core.messages import worded
from fundflow.web import labels, nested_forms
from fundflow.web.i18n import LANGUAGE_NAMES, LANGUAGES, Formats, translations

TEMPLATES_DIR = Path(__file__).parent / "templates"


@cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    catalogue = translations(language)
    env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    formats = Formats(language)
    env.filters.update(
        money=formats.money,
        number=formats.number,
        rate=formats.rate,
        percent=formats.percent,
        date=formats.date,
        datetime=formats.moment,
        time=formats.time,
        say=lambda text: worded(text, catalogue.gettext),
    )
    env.globals.update(
        language=language,
        languages=LANGUAGES,
        language_names=LANGUAGE_NAMES,
        labels=labels,
        nested=nested_forms,
    )
    return env


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """``template`` in the request's language, with what every page shows (who is signed
    in, the CSRF token for its forms, the path for the language switch)."""
    language: str = request.state.language
    page = environment(language).get_template(template)
    csrf = request.scope.get("csrftoken")
    settings = get_settings()
    html = page.render(
        request=request,
        sign_in=getattr(request.state, "sign_in", None),
        csrf_token=csrf() if csrf else "",
        idle_minutes=settings.browser_idle_minutes,
        barrier_address=settings.accessibility_contact,
        **(context or {}),
    )
    return HTMLResponse(html, status_code=status_code, headers={"content-language": language})
