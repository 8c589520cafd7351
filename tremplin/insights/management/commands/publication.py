"""`tremplin publication --audience cse|direction|manager:LOGIN --output FILE.json`: every
figure an audience can obtain, hidden ones with value null, for an outside audit: the stored
publication its pages, exports and reports show."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.insights.publications import COMPANY
from tremplin.insights.published import export_form, publish, stored
from tremplin.insights.snapshot import latest
from tremplin.people.models import Person, Role, roles_of


class Command(BaseCommand):
    help = "Write the figures an audience can obtain (hidden ones as null) to a JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--audience", required=True, help="cse, direction or manager:LOGIN")
        parser.add_argument("--output", required=True, help="the JSON file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        audience: str = options["audience"]
        manager = None
        if audience.startswith("manager:"):
            login = audience.partition(":")[2]
            manager = Person.objects.filter(user__username=login).first()
            if manager is None:
                raise CommandError(f"no person is linked to the user account {login!r}")
            if manager.user is None or Role.MANAGER not in roles_of(manager.user):
                raise CommandError(f"{login!r} does not hold the manager role")
        elif audience not in COMPANY:
            raise CommandError("the audience is cse, direction or manager:LOGIN")
        figures = latest()
        if figures is None:
            raise CommandError("no figures yet: recompute them first (the demo does)")
        found = stored(figures, audience, manager)
        if found is None:  # being rebuilt after a change of plan: build it now
            found = publish(figures, audience)
        data = export_form(found)
        try:
            with open(options["output"], "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
        except OSError as error:
            raise CommandError(f"cannot write {options['output']}: {error.strerror}") from error
        withheld = sum(found["withheld"].values())
        self.stdout.write(
            f"{len(data['figures'])} figures, {withheld} withheld -> {options['output']}"
        )
