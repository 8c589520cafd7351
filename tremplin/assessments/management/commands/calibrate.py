from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.assessments.calibration import (
    ResponsesFileError,
    flags_of,
    parameters_csv,
    parse_responses,
)
from tremplin.compute.calibration import calibrate


class Command(BaseCommand):
    help = (
        "Calibrate items from answers collected elsewhere: a CSV with the columns "
        "person,item,correct (1, 0, or empty when not presented). Writes item,a,b,c."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--responses", type=Path, required=True, metavar="FILE.csv")
        parser.add_argument("--model", choices=["2pl", "3pl"], default="2pl")
        parser.add_argument(
            "--output", type=Path, metavar="params.csv", help="default: standard output"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["responses"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            labelled = parse_responses(path.read_bytes(), path.name)
        except ResponsesFileError as error:
            sys.stderr.write(str(error) + "\n")
            raise CommandError("nothing was calibrated") from error
        result = calibrate(labelled.data, model=options["model"])
        # Plain comma-separated output, as the option's documentation promises.
        lines = ["item,a,b,c"] + [
            ",".join(str(v) for v in row) for row in parameters_csv(labelled, result)
        ]
        text = "\n".join(lines) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
        for code, flags in flags_of(labelled, result):
            sys.stderr.write(f"{code}: {', '.join(flags)}\n")
        sys.stderr.write(
            f"{labelled.data.person.size} answers, {labelled.data.n_people} people, "
            f"{len(labelled.items)} items; {result.iterations} EM iterations"
            f"{'' if result.converged else ' (not converged)'}\n"
        )
