"""Helpers shared by the management commands behind ``xhht``."""

from __future__ import annotations

from django.core.management.base import CommandError

from xhht.core.tabular import Rejected


def rejected_as_command_error(exc: Rejected) -> CommandError:
    """Every problem on its own line, then a last line saying nothing was written."""
    lines = [f"  - {p}" for p in exc.problems]
    return CommandError("Tệp bị từ chối, không ghi dữ liệu nào. Các lỗi:\n" + "\n".join(lines))
