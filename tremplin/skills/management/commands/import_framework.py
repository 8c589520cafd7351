from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.skills.interchange import (
    FrameworkFormatError,
    framework_dict_from_csv,
    import_framework,
)
from tremplin.skills.models import Framework
from tremplin.skills.services import DEFAULT_FRAMEWORK
from tremplin.spreadsheets import SpreadsheetError, cell_text, read_table
from tremplin.uploads import read_json


class Command(BaseCommand):
    help = "Import a framework from JSON or CSV (without FILE: the shipped default framework)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", default=DEFAULT_FRAMEWORK)
        parser.add_argument("--code", help="CSV only: the framework's code")
        parser.add_argument(
            "--framework-version", dest="framework_version", help="CSV only: its version"
        )
        parser.add_argument("--name-fr", help="CSV only: its French name")
        parser.add_argument("--name-en", help="CSV only: its English name")
        parser.add_argument(
            "--activate",
            action="store_true",
            help="Make it the active one (the first framework imported always is).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Update this code and version in place if it exists.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        content = path.read_bytes()
        try:
            if path.suffix.lower() == ".json":
                data = read_json(content)
            else:
                meta = {
                    "code": options["code"] or "",
                    "version": options["framework_version"] or "",
                    "name_fr": options["name_fr"] or "",
                    "name_en": options["name_en"] or "",
                    "description_fr": "",
                    "description_en": "",
                }
                table = read_table(content, path.name)
                rows = [table.header] + [[cell_text(c) for c in cells] for _n, cells in table.rows]
                data = framework_dict_from_csv(rows, meta)
            # The first framework of an installation is the active one, asked or not.
            first = not Framework.objects.filter(is_active=True).exists()
            framework = import_framework(
                data, replace=options["replace"], activate=options["activate"] or first
            )
        except SpreadsheetError as exc:
            raise CommandError(str(exc)) from exc
        except FrameworkFormatError as exc:
            sys.stderr.write(str(exc) + "\n")
            raise CommandError("the framework was not imported") from exc
        self.stdout.write(f"{framework} ({framework.competences.count()} competences)")
