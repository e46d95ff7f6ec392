"""The job worker yields the cores to page views: it runs (and LibreOffice under it) at a lower priority."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CODE = ("import django; django.setup(); from xhht.jobs.runner import worker_priority_lower; "
        "import os, subprocess; print(worker_priority_lower(), subprocess.run(['nice'], capture_output=True, text=True).stdout.strip())")


@pytest.mark.parametrize(("setting", "expected"), [(None, "10 10"), ("0", "0 0"), ("5", "5 5")])
def test_the_worker_and_what_it_starts_run_at_the_configured_niceness(setting: str | None, expected: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xhht.settings"}
    env.pop("XHHT_WORKER_NICE", None)
    if setting is not None:
        env["XHHT_WORKER_NICE"] = setting
    before = os.nice(0)
    out = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True, timeout=60, check=True).stdout
    want = " ".join(str(int(n) + before) for n in expected.split())
    assert out.strip().splitlines()[-1] == want
