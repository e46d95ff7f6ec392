"""The ``xhht`` command.

    xhht serve [--host H] [--port N]   web server (gunicorn; static files by WhiteNoise)
    xhht demo                           create/refresh the database and load the Hòa An demo
    xhht import units FILE              import administrative units (format 1)
    xhht import unit-changes FILE       import mergers, splits, renames, re-parenting, abolition (format 4)
    xhht import <kind> …                any other importer (``import_<kind>`` command)
    xhht createuser NAME --role R …     create a user
    xhht <command> …                    any other Django management command
"""

from __future__ import annotations

import argparse
import os
import sys


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht.settings")
    import django

    django.setup()


def _serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="xhht serve", description="Chạy máy chủ web XHHT.")
    parser.add_argument("--host", default=os.environ.get("XHHT_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("XHHT_WORKERS", "3")))
    args = parser.parse_args(argv)
    _django()
    from django.core.management import call_command

    # Idempotent and quick: a fresh data folder works at once.
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    shown = "127.0.0.1" if args.host in {"0.0.0.0", "::"} else args.host
    print(f"XHHT đang chạy tại http://{shown}:{args.port}/  (Ctrl+C để dừng)", flush=True)
    os.execv(
        sys.executable,
        [sys.executable, "-m", "gunicorn", "xhht.wsgi:application", "--bind", f"{args.host}:{args.port}",
         "--workers", str(args.workers), "--timeout", "300", "--access-logfile", "-", "--log-level", "warning"],
    )
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        if argv and not argv[1:]:
            _django()
            from django.core.management import execute_from_command_line

            execute_from_command_line(["xhht", "help"])
        return 0
    command, rest = argv[0], argv[1:]
    if command == "serve":
        return _serve(rest)
    if command == "import":
        if not rest:
            print("Dùng: xhht import units FILE", file=sys.stderr)
            return 2
        command, rest = f"import_{rest[0].replace('-', '_')}", rest[1:]
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xhht", command, *rest])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
