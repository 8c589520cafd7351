from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tremplin.accountability.retention import apply_rules


class Command(BaseCommand):
    help = (
        "Apply the retention rules now (for a cron job when no worker runs): `tremplin retention`."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = apply_rules()
        self.stdout.write(
            ", ".join(f"{target}: {count} removed" for target, count in done.items())
            or "no rule applies"
        )
