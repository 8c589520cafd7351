"""The e-mail half of bench/sessions.py: notification e-mails written to the outbox and sent to
a local SMTP server, on a throwaway PostgreSQL.

`run_emails(n)` starts PostgreSQL and an SMTP sink (aiosmtpd, counting what it receives), then in
a child process (Django configured for them): n people (a third of them working in English), one
session, `outbox.queue` for all of them (rendered one by one in each person's language, text and
HTML), then `send_due` until the outbox is empty. Returns the counts and rates.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dashboards import free_port, postgres, setup_django  # noqa: E402


def run_emails(n: int) -> dict[str, Any]:
    from aiosmtpd.controller import Controller

    class Counting:
        received = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            Counting.received += 1
            return "250 OK"

    port = free_port()
    sink = Controller(Counting(), hostname="127.0.0.1", port=port)
    sink.start()
    try:
        with postgres(None) as url:
            env = {**os.environ, "DATABASE_URL": url, "TREMPLIN_EMAIL_HOST": "127.0.0.1",
                   "TREMPLIN_EMAIL_PORT": str(port), "TREMPLIN_TASKS_BACKEND":
                   "django_tasks.backends.dummy.DummyBackend"}  # fmt: skip
            subprocess.run([str(ROOT / ".venv/bin/tremplin"), "migrate", "-v0"], env=env,
                           check=True)  # fmt: skip
            child = subprocess.run(
                [sys.executable, __file__, str(n)], env=env, capture_output=True, text=True,
                check=False,
            )  # fmt: skip
            if child.returncode:
                raise SystemExit(child.stderr[-3000:])
            figures: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        sink.stop()
    figures["emails_received_by_smtp"] = Counting.received
    return figures


def write_and_send(n: int) -> dict[str, Any]:
    """In the child: the people, the session, the outbox written then sent."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from tremplin.learning.catalogue import load_default_catalogue
    from tremplin.learning.models import Module, TrainingSession
    from tremplin.notifications import outbox
    from tremplin.notifications.models import Message
    from tremplin.people.models import Person
    from tremplin.skills.services import load_default_framework

    load_default_framework()
    load_default_catalogue()
    Person.objects.bulk_create(
        [
            Person(
                employee_id=f"E{i:06d}",
                first_name=f"Prénom{i}",
                last_name=f"Nom{i}",
                email=f"person{i}@example.org",
                preferred_language="en" if i % 3 == 0 else "fr",
            )
            for i in range(n)
        ],
        batch_size=5000,
    )
    session = TrainingSession.objects.create(
        module=Module.objects.order_by("pk")[0],
        starts_at=timezone.now() + datetime.timedelta(days=10),
        duration_hours=Decimal(3), capacity=20, language="fr", place="Salle Lumière, Lyon",
        provider="Organisme de formation",
    )  # fmt: skip
    people = list(Person.objects.order_by("pk"))
    started = time.perf_counter()
    for first in range(0, n, 2000):
        outbox.queue(people[first : first + 2000], "session_invitation", session)
    written = time.perf_counter() - started
    started = time.perf_counter()
    sent = failed = 0
    while True:
        counts = outbox.send_due()
        sent += counts["sent"]
        failed += counts["failed"]
        if not counts["sent"] and not counts["failed"]:
            break
    sending = time.perf_counter() - started
    sample = Message.objects.order_by("pk")[:100]
    return {
        "emails": Message.objects.count(),
        "text_html_ics_chars": [
            round(sum(len(getattr(m, part)) for m in sample) / len(sample))
            for part in ("text", "html", "ics")
        ],
        "emails_sent": sent,
        "emails_failed": failed,
        "write_per_s": round(n / written),
        "send_per_s": round(sent / sending),
        "emails_per_s": round(sent / (written + sending)),
    }


if __name__ == "__main__":
    setup_django(os.environ["DATABASE_URL"])
    print(json.dumps(write_and_send(int(sys.argv[1]))))
