"""The ``xhht`` command.

    xhht serve [--host H] [--port N]   web server (gunicorn; static files by WhiteNoise) and the job worker
    xhht worker                         the job worker alone (imports, report builds, PDF)
    xhht backup DIR / xhht restore DIR  back up / restore the database, files and settings
    xhht demo                           create/refresh the database and load the Hòa An demo
    xhht import units FILE              import administrative units (format 1)
    xhht import unit-changes FILE       import mergers, splits, renames, re-parenting, abolition (format 4)
    xhht import <kind> …                any other importer (``import_<kind>`` command)
    xhht createuser NAME --role R …     create a user
    xhht check-report FILE [--format json|table]   check a report's figures (format 5)
    xhht exchange export|import …       indicator values as DHIS2 dataValueSets JSON or ADX XML
    xhht export-instance ZIP / xhht import-instance ZIP   the whole instance as one archive (into an empty instance)
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
    parser = argparse.ArgumentParser(prog="xhht serve", description="Chạy máy chủ web XHHT và tiến trình xử lý tác vụ nền.")
    parser.add_argument("--host", default=os.environ.get("XHHT_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=None, help="số tiến trình web (mặc định XHHT_WORKERS hoặc 2)")
    parser.add_argument("--no-worker", action="store_true", help="không chạy xhht worker (khi nó chạy riêng, như trong systemd)")
    args = parser.parse_args(argv)
    _django()
    from django.core.management import call_command

    # Idempotent and quick: a fresh data folder works at once.
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    shown = "127.0.0.1" if args.host in {"0.0.0.0", "::"} else args.host
    print(f"XHHT đang chạy tại http://{shown}:{args.port}/  (Ctrl+C để dừng)", flush=True)
    web_cmd = [sys.executable, "-m", "gunicorn", "-c", "python:xhht.gunicorn_conf", "--bind", f"{args.host}:{args.port}"]
    if args.workers:
        web_cmd += ["--workers", str(args.workers)]
    web_cmd.append("xhht.wsgi:application")
    worker_cmd = None if args.no_worker else [sys.executable, "-m", "xhht.cli", "worker"]
    return _supervise(web_cmd, worker_cmd)


def _supervise(web_cmd: list[str], worker_cmd: list[str] | None) -> int:
    """Run the web server and the job worker side by side; restart either if it dies; stop both on a signal.

    The two are separate processes: a web restart (or crash) never touches a running job, and a dead worker's
    job is taken up again by its successor (xhht.jobs.services.jobs_recover).
    """
    import signal
    import subprocess
    import time

    stopping = False
    procs: dict[str, subprocess.Popen[bytes]] = {}
    cmds = {"web": web_cmd, **({"worker": worker_cmd} if worker_cmd else {})}

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for name, cmd in cmds.items():
        procs[name] = subprocess.Popen(cmd)
    while not stopping:
        time.sleep(0.5)
        for name, proc in list(procs.items()):
            code = proc.poll()
            if code is not None and not stopping:
                print(f"xhht serve: {name} dừng (mã {code}); khởi động lại.", file=sys.stderr, flush=True)
                time.sleep(1)
                procs[name] = subprocess.Popen(cmds[name])
    deadline = time.monotonic() + 40
    for proc in procs.values():
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


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
    if command in {"check-report", "export-instance", "import-instance"}:  # the documented spellings of these commands
        command = command.replace("-", "_")
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xhht", command, *rest])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
