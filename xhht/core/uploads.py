"""An uploaded file, kept on disk while an import reads it (the readers of ``core.tabular`` take a path)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def upload_on_disk(upload: Any) -> Iterator[Path]:
    """Write ``upload`` to a temporary file with its extension (the reader tells CSV from XLSX by it) and
    yield its path; the file is removed afterwards, whatever happens."""
    suffix = Path(upload.name or "").suffix.lower()[:6] or ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name)
