from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from tremplin.people.exports import people_file
from tremplin.people.models import Person


class Command(BaseCommand):
    help = "Export every person as CSV (French Excel) or XLSX, in the columns the import reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", type=Path)
        parser.add_argument("--lang", choices=["fr", "en"], default="fr")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["lang"])
        output: Path = options["output"]
        people = Person.objects.order_by("employee_id")
        if output.suffix.lower() == ".xlsx":
            content, _type = people_file(people, "xlsx")
        else:
            content, _type = people_file(people, "csv")
        output.write_bytes(content)
        self.stdout.write(f"{output}")
