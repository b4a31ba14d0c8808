"""What a form says went wrong, field by field, for the error summary and the fields.

Messages are catalogue keys (marked with ``N_`` where they are written, so extraction
finds them), translated when the page is rendered.
"""

from dataclasses import dataclass, field

from fundflow.core.messages import N_, Message

__all__ = ["N_", "FieldError", "FormErrors"]


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str | Message


@dataclass
class FormErrors:
    items: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, message: str | Message) -> None:
        self.items.append(FieldError(field_name, message))

    def of(self, field_name: str) -> str | Message | None:
        for item in self.items:
            if item.field == field_name:
                return item.message
        return None

    def __bool__(self) -> bool:
        return bool(self.items)
