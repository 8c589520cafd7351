from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.assessments.bank import (
    DEFAULT_BANK,
    BankFormatError,
    parse_csv,
    parse_json,
    save_items,
)


class Command(BaseCommand):
    help = "Import quiz items from JSON or CSV (without FILE: the shipped bank). Matched on code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", default=DEFAULT_BANK)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        content = path.read_bytes()
        try:
            items = parse_json(content) if path.suffix.lower() == ".json" else parse_csv(content)
        except BankFormatError as error:
            sys.stderr.write(str(error) + "\n")
            raise CommandError("no item was imported") from error
        created, updated = save_items(items)
        self.stdout.write(f"{created} items created, {updated} updated")
