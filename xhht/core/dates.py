from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


def parse_as_of(text: str | None) -> date:
    """The "as of" date of a page: ``?on=31/12/2019`` (or 2019-12-31, :func:`date_from_text`); today when absent or unreadable."""
    try:
        return date_from_text(text or "")
    except ValueError:
        return timezone.localdate()


def date_from_text(text: str) -> date:
    """A date typed day first (31/12/2019, 31-12-2019, 31.12.2019) or ISO (2019-12-31): :data:`DATE_INPUT_FORMATS`.
    ValueError when it is none (blank, 31/02/2019, 12/31/2019)."""
    text = text.strip()
    for pattern in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"«{text[:20]}» không phải một ngày có thật dạng dd/mm/yyyy")


# Typed as Vietnamese readers write a date, day first; also with "-" or "." (a phone's number keys have no "/"), and
# ISO 8601 (what a script or a browser's own date box sends).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class VietnameseDateField(forms.DateField):
    """A date in a plain text box, read and shown back as dd/mm/yyyy. Not ``<input type=date>``: a browser's own date
    box writes the date in the order of the phone's or computer's locale, often mm/dd/yyyy, where 01/07 reads as
    7 January. A date that is not one (31/02/2027, 2027/31/12, "mai") is refused naming the field and what was typed."""

    def __init__(self, *, label: str, required: bool = True, **kwargs: Any) -> None:
        widget = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off", "size": 10, "maxlength": 10})
        super().__init__(label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=widget, **kwargs)

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, str):
            value = value.strip()  # blanks alone are no date (an optional field left empty), not a wrong one
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(f"«{self.label}»: «{str(value).strip()[:20]}» không phải một ngày có thật; hãy nhập ngày dạng "
                                  "dd/mm/yyyy, ví dụ 31/12/2027.", code="invalid") from None
