"""The test suite's settings: ``xhht.settings`` with two changes that only make the suite faster.

* Passwords hashed with MD5: Django's PBKDF2 (1,000,000 iterations) costs 0.4 s of CPU per hash or check, and
  the suite creates and logs in users hundreds of times. Production keeps Django's default hashers.
* Under pytest-xdist (``make test`` runs ``pytest -n 2``) each worker gets its own data folder
  (``$XHHT_DATA_DIR/<worker>``: media, logs, job uploads), so that two workers never share a file. Each worker
  already has its own test database (pytest-django adds the worker's name to it).

Processes started by the tests with their own data folder (xhht/core/tests/instance.py) use ``xhht.settings``.
"""

from __future__ import annotations

import os
from pathlib import Path

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("XHHT_TEST_WORKER") != _worker:
    # Once per worker: a process the worker starts inherits the folder already chosen.
    _base = Path(os.environ.get("XHHT_DATA_DIR", Path.home() / ".local" / "share" / "xhht"))
    os.environ["XHHT_DATA_DIR"] = str(_base / _worker)
    os.environ["XHHT_TEST_WORKER"] = _worker

from xhht.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
