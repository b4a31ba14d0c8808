"""Messages written once in English and shown in the reader's language.

A message keeps its English text, which is also its key in the catalogues, apart from the
values put into it, so a page or a problem can translate it after the rule that wrote it
has run. ``N_`` marks texts for extraction (``make messages``) where they are written.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Translate = Callable[[str], str]


def N_(message: str) -> str:  # noqa: N802 (the name extraction tools look for)
    """Marks ``message`` for the catalogues; it is translated when shown."""
    return message


def _english(text: str) -> str:
    return text


@dataclass(frozen=True)
class Message:
    """``text`` with ``%(name)s`` places for ``values``. A value that is a tuple is a list
    of catalogue texts (the parts still missing, say), translated one by one."""

    text: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def in_language(self, translate: Translate = _english) -> str:
        if not self.values:
            return translate(self.text)
        filled = {
            name: ", ".join(translate(part) for part in value)
            if isinstance(value, tuple)
            else value
            for name, value in self.values.items()
        }
        return translate(self.text) % filled

    def __str__(self) -> str:
        return self.in_language()


def worded(text: "str | Message", translate: Translate = _english) -> str:
    """A text kept to be shown later, in the reader's language (``translate``)."""
    return text.in_language(translate) if isinstance(text, Message) else translate(text)
