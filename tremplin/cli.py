"""The `tremplin` command: `demo`, `serve`, and every Django management command.

Hyphenated names map to Django's underscored ones: `tremplin import-people FILE`.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from collections.abc import Mapping


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("demo", "serve", "backup", "restore"):
        import django

        django.setup()
        {"demo": demo, "serve": serve, "backup": backup, "restore": restore}[args[0]](args[1:])
        return
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if args and args[0] == "db_worker":  # a crash cut off what was running: say so first
        import django

        django.setup()
        from django.db import DatabaseError

        from tremplin.recovery import mark_interrupted

        try:
            cut = {kind: n for kind, n in mark_interrupted().items() if n}
        except DatabaseError:  # not migrated yet: nothing can have run
            cut = {}
        if cut:
            print(f"Marked as interrupted: {cut}", flush=True)
        try:
            from tremplin.accountability.retention import schedule

            schedule()  # the daily retention run waits in the queue
        except DatabaseError:
            pass
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tremplin", *args])


def serve_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--host", default=os.environ.get("TREMPLIN_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("TREMPLIN_THREADS", "8")))
    parser.add_argument(
        "--processes",
        type=int,
        default=int(os.environ.get("TREMPLIN_PROCESSES", "1")),
        help="Serve from this many processes (gunicorn, threads each); 1: waitress. "
        "Two per core, 4 threads each, on PostgreSQL (SQLite allows one writer at a time).",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=int(os.environ.get("TREMPLIN_CONNECTIONS", "500")),
        help="Most simultaneous connections held open (waitress's default was 100).",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="Do not start the background worker (run `tremplin db-worker` yourself).",
    )
    return parser


def serve(argv: list[str]) -> None:
    """Serve with waitress (a production WSGI server); static files through WhiteNoise."""
    options = serve_parser("tremplin serve").parse_args(argv)
    # Stopped with SIGTERM (a service manager, a benchmark): stop the worker and gunicorn too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    from waitress import serve as waitress_serve

    from tremplin.wsgi import application

    worker = None
    if not options.no_worker:
        # Background tasks (calibration, plans) run in a second process beside the web server.
        worker = subprocess.Popen(
            [sys.executable, "-m", "tremplin.cli", "db_worker", "--interval", "1"]
        )
    print(f"Tremplin on http://{options.host}:{options.port}/  (Ctrl+C to stop)", flush=True)
    try:
        if options.processes > 1:
            _gunicorn(options)
            return
        waitress_serve(
            application,
            host=options.host,
            port=options.port,
            threads=options.threads,
            ident="",  # no "Server: waitress" header
            connection_limit=options.connections,
        )
    finally:
        if worker is not None:
            worker.terminate()


def _gunicorn(options: argparse.Namespace) -> None:
    """Several processes, each with its threads, in front of the same database."""
    command = [
        sys.executable, "-m", "gunicorn", "tremplin.wsgi:application",
        f"--bind={options.host}:{options.port}", f"--workers={options.processes}",
        "--worker-class=gthread", f"--threads={options.threads}",
        f"--worker-connections={options.connections}", "--timeout=120", "--access-logfile=-",
        "--config=python:tremplin.gunicorn_conf",
        # Idle connections are kept 75 s (gunicorn's 2 s closed them while a client, between
        # two clicks, was about to reuse them: a request lost now and then under load).
        "--keep-alive=75",
    ]  # fmt: skip
    server = subprocess.Popen(command)
    try:
        server.wait()
    finally:
        server.terminate()
        server.wait(timeout=30)


def backup(argv: list[str]) -> None:
    """Write the whole database to one file (SQLite: online backup; PostgreSQL: pg_dump)."""
    parser = argparse.ArgumentParser(prog="tremplin backup")
    parser.add_argument("file", help="where to write it, e.g. tremplin-2026-12-02.backup")
    options = parser.parse_args(argv)
    from tremplin.backups import BackupError
    from tremplin.backups import backup as write

    try:
        print(write(options.file))
    except BackupError as error:
        sys.exit(f"tremplin backup: {error}")


def restore(argv: list[str]) -> None:
    """Replace the database with a backup, then apply any newer migration."""
    parser = argparse.ArgumentParser(prog="tremplin restore")
    parser.add_argument("file", help="a file written by `tremplin backup`")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    options = parser.parse_args(argv)
    from tremplin.backups import BackupError
    from tremplin.backups import restore as read

    if not options.yes and input(f"Replace the whole database with {options.file}? [y/N] ") != "y":
        sys.exit("Nothing was changed.")
    try:
        print(read(options.file))
    except BackupError as error:
        sys.exit(f"tremplin restore: {error}")


def demo(argv: list[str]) -> None:
    """Prepare the database, load the demo company if it is empty, print logins, serve."""
    parser = serve_parser("tremplin demo")
    parser.add_argument("--size", type=int, default=150)
    parser.add_argument("--no-serve", action="store_true", help="Prepare only.")
    options = parser.parse_args(argv)
    from django.conf import settings
    from django.core.management import call_command

    # The e-mails' links lead to the demo being served; the worker and gunicorn's processes
    # read the address from the environment.
    os.environ["TREMPLIN_SITE_URL"] = demo_site_url(options.host, options.port, os.environ)
    settings.SITE_URL = os.environ["TREMPLIN_SITE_URL"]
    os.makedirs(settings.DATA_DIR, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", size=options.size)
    if not options.no_serve:
        serve(
            ["--host", options.host, "--port", str(options.port), "--threads", str(options.threads)]
            + (["--no-worker"] if options.no_worker else [])
        )


def demo_site_url(host: str, port: int, environ: Mapping[str, str]) -> str:
    """The address the demo's e-mail links start with: TREMPLIN_SITE_URL when it is set, else
    the address the demo serves on (this machine's when it listens on every address)."""
    if environ.get("TREMPLIN_SITE_URL"):
        return environ["TREMPLIN_SITE_URL"].rstrip("/")
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"


if __name__ == "__main__":
    main()
