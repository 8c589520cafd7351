"""`tremplin credentials --person EMPLOYEE_ID --output DIR`: a person's badges as Open Badges
3.0 credentials, one signed JSON file each, for an administrator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.engagement import badges
from tremplin.engagement.badge_models import Award
from tremplin.people.models import Person


class Command(BaseCommand):
    help = "Write a person's badges as signed Open Badges 3.0 credentials (JSON files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--person", required=True, help="The person's employee id.")
        parser.add_argument("--output", required=True, help="The folder to write into.")
        parser.add_argument(
            "--include-revoked", action="store_true", help="Also write revoked credentials."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person.objects.filter(employee_id=options["person"]).first()
        if person is None:
            raise CommandError(f"No person has the employee id {options['person']!r}.")
        folder = Path(options["output"])
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create {folder}: {error.strerror}.") from None
        awards = Award.objects.filter(person=person).select_related("badge", "person")
        if not options["include_revoked"]:
            awards = awards.filter(revoked_at__isnull=True)
        written = 0
        for award in awards:
            document = badges.credential(award)
            path = folder / f"{award.badge.slug}-{award.uid}.json"
            path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
            self.stdout.write(str(path))
            written += 1
        self.stdout.write(f"{written} credential(s) written for {person.full_name}.")
