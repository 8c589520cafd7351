from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from tremplin.people.imports.columns import parse_mapping_options
from tremplin.people.imports.importer import import_people_file, preview_people_file


class Command(BaseCommand):
    help = "Import people from a CSV or XLSX file as an HR system exports it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="Say which field an unrecognised column holds (or 'ignore').",
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Import the valid rows even when others are rejected.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument(
            "--lang", choices=["fr", "en"], default="fr", help="Language of the report."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["lang"])
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from exc
        try:
            mapping = parse_mapping_options(options["map"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["dry_run"]:
            report = preview_people_file(content, path.name, mapping)
        else:
            report = import_people_file(
                content, path.name, mapping, valid_only=options["valid_only"]
            )
        for line in report.problem_lines():
            sys.stderr.write(line + "\n")
        for line in report.warning_lines():
            sys.stderr.write(_("Warning: %s") % line + "\n")
        if report.unknown_headers:
            sys.stderr.write(
                _('Ignored columns (map them with --map "Header=field"): %s')
                % ", ".join(report.unknown_headers)
                + "\n"
            )
        verb = _("written") if report.written else _("not written")
        self.stdout.write(
            _(
                "%(rows)s rows: %(create)s to create, %(update)s to update, %(same)s unchanged, "
                "%(rejected)s rejected; %(verb)s."
            )
            % {
                "rows": report.total_rows,
                "create": report.to_create,
                "update": report.to_update,
                "same": report.unchanged,
                "rejected": report.rejected_rows,
                "verb": verb,
            }
        )
        if report.file_problems or report.problems:
            sys.exit(1)
