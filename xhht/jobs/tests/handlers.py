"""Job handlers the process tests run in a real ``xhht worker`` (importable by dotted path)."""

from __future__ import annotations

import time
from typing import Any


def sleepy(*, job: Any, report: Any) -> dict[str, Any]:
    """Report progress ``steps`` times, ``pause`` seconds apart; fail when asked to."""
    steps, pause = int(job.params.get("steps", 10)), float(job.params.get("pause", 0.2))
    for step in range(1, steps + 1):
        time.sleep(pause)
        report(step, "sleeping")
    if job.params.get("fail"):
        raise RuntimeError("thất bại theo yêu cầu")
    return {"attempt": job.attempts}
