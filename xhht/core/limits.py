"""Run a parser in a child process whose memory is capped (issue 12, hole 2).

A request that must read a workbook whole forks a child, caps its address space with
``resource.setrlimit(RLIMIT_AS)`` at what it already maps plus a budget, and gets back a plain,
picklable result. A file that needs more memory than the budget kills only the child: the web
worker keeps its memory and answers with a clear refusal.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class LimitExceeded(Exception):
    """The child ran out of its memory budget or time, or died."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _mapped_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(conn: Any, budget: int, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    try:
        limit = _mapped_bytes() + budget
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            result: tuple[str, Any] = ("ok", func(*args, **kwargs))
        except MemoryError:
            result = ("memory", None)
        except BaseException as exc:  # handed to the parent, which re-raises it (e.g. Rejected)
            result = ("error", exc)
        try:
            conn.send_bytes(pickle.dumps(result))
        except MemoryError:
            conn.send_bytes(pickle.dumps(("memory", None)))
    finally:
        conn.close()
        os._exit(0)


def run_limited(func: Callable[..., T], *args: Any, memory_bytes: int, timeout: float, **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` in a forked child with ``memory_bytes`` of address space beyond what the
    process maps already, and ``timeout`` seconds. Exceptions raised by ``func`` are re-raised here;
    running out of memory or time raises :class:`LimitExceeded`."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, memory_bytes, func, args, kwargs), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise LimitExceeded("time")
        try:
            status, value = pickle.loads(parent.recv_bytes())
        except EOFError:
            raise LimitExceeded("memory") from None  # killed before it could answer (e.g. by the kernel)
    finally:
        parent.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status == "memory":
        raise LimitExceeded("memory")
    if status == "error":
        raise value
    return value  # type: ignore[no-any-return]
