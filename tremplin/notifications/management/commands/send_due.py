from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tremplin.notifications.outbox import send_due


class Command(BaseCommand):
    help = "Send the e-mails due now (for a cron job when no worker runs): `tremplin send-due`."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_due()
        self.stdout.write(
            f"sent {counts['sent']}, failed {counts['failed']} (kept, tried again later), "
            f"dropped {counts['dropped']} (no longer applies)"
        )
