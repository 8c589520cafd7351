from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.skills.interchange import framework_to_csv, framework_to_json
from tremplin.skills.models import Framework


class Command(BaseCommand):
    help = "Export a framework (the active one unless --code/--framework-version) as JSON or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", type=Path)
        parser.add_argument("--code")
        parser.add_argument("--framework-version", dest="framework_version")

    def handle(self, *args: Any, **options: Any) -> None:
        frameworks = Framework.objects.all()
        if options["code"]:
            frameworks = frameworks.filter(code=options["code"])
        if options["framework_version"]:
            frameworks = frameworks.filter(version=options["framework_version"])
        elif not options["code"]:
            frameworks = frameworks.filter(is_active=True)
        framework = frameworks.order_by("-created_at").first()
        if framework is None:
            raise CommandError("no such framework")
        output: Path = options["output"]
        if output.suffix.lower() == ".json":
            output.write_text(framework_to_json(framework), encoding="utf-8")
        else:
            output.write_text("\ufeff" + framework_to_csv(framework), encoding="utf-8", newline="")
        self.stdout.write(str(output))
