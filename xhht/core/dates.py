from __future__ import annotations

from datetime import date

from django.utils import timezone


def parse_as_of(text: str | None) -> date:
    """The "as of" date of a page: ``?on=2019-12-31`` or dd/mm/yyyy; today when absent or unreadable."""
    if text:
        for parse in (date.fromisoformat, lambda t: date(int(t[6:10]), int(t[3:5]), int(t[0:2]))):
            try:
                return parse(text)
            except (ValueError, IndexError):
                continue
    return timezone.localdate()
