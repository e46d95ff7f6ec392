"""The one number reader lives in xhht/core/numbers.py (every app reads numbers the same way); this name
is kept for the reporting code and tests that import it from here."""

from xhht.core.numbers import NumberError, parse_number

__all__ = ["NumberError", "parse_number"]
