from __future__ import annotations

import datetime
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tremplin.accountability.demo import build_data_protection
from tremplin.assessments.demo import build_assessment_history
from tremplin.engagement.demo import build_engagement
from tremplin.governance import releases as register_releases
from tremplin.governance.demo import build_governance
from tremplin.insights.models import Snapshot
from tremplin.insights.snapshot import min_group_size, quarter_ends, refresh
from tremplin.insights.usage_demo import build_usage
from tremplin.learning.demo import build_plans, build_sessions
from tremplin.people.demo import DEMO_PASSWORD, build_demo_company, load_recipe
from tremplin.people.models import Person
from tremplin.risks.demo import build_risks
from tremplin.rollout.demo import build_communications, build_roadmap, build_waves
from tremplin.skills.services import load_default_framework
from tremplin.voice.demo import build_voice


class Command(BaseCommand):
    help = "Load the default framework and the demo company (about 150 people, or --size N)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=150)
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Empty the database first (everything in it is lost).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["size"] < 40:
            raise CommandError("--size must be at least 40 (one person per unit and a team).")
        if options["fresh"]:
            call_command("flush", interactive=False, verbosity=0)
        elif Person.objects.exists():
            self.stdout.write(
                "The database already holds people: demo not loaded again "
                "(use --fresh to start over)."
            )
            return
        framework = load_default_framework()
        accounts = build_demo_company(size=options["size"], seed=options["seed"])
        manager = next((a.person for a in accounts if a.username == "manager"), None)
        build_assessment_history(seed=options["seed"] or 7, manager=manager)
        plans = build_plans(seed=options["seed"] or 7)
        self.stdout.write(f"Development plans by status: {plans}")
        self.stdout.write(f"Training sessions: {build_sessions(seed=options['seed'] or 7)}")
        recipe = load_recipe()
        waves = build_waves(recipe)
        self.stdout.write(f"AI-tool usage: {build_usage(seed=options['seed'] or 7)}")
        self.stdout.write(f"Pilot and waves: {', '.join(w.name for w in waves)}")
        self.stdout.write(f"Communication calendar: {build_communications(recipe)} planned")
        self.stdout.write(f"Roadmap: {build_roadmap()} steps done, approved by the sponsor")
        self.stdout.write(f"Voice: {build_voice(recipe, seed=options['seed'] or 7)}")
        self.stdout.write(f"Engagement: {build_engagement(seed=options['seed'] or 7)}")
        self.stdout.write(f"Governance: {build_governance(seed=options['seed'] or 7)}")
        self.stdout.write(f"Risks: {build_risks(seed=options['seed'] or 7)}")
        protection = build_data_protection(seed=options["seed"] or 7)
        self.stdout.write(f"Data protection: {protection}")
        snapshot = refresh(Snapshot.objects.create())
        self.stdout.write(f"Dashboard figures computed in {snapshot.seconds:.1f} s")
        # The council's Article 4 register at the last quarter end, as the worker prepares it
        # the night after (the demo's council finds it ready).
        today = timezone.localdate()
        last = quarter_ends(today - datetime.timedelta(days=3 * 366), today)[-1]
        register_releases.prepare(last, min_group_size())
        self.stdout.write(f"Article 4 register for the council at {last}: prepared")
        self.stdout.write(f"Framework: {framework} ({framework.competences.count()} competences)")
        self.stdout.write(f"People: {Person.objects.count()}")
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<11} {account.person.full_name}")
        officer = Person.objects.filter(user__username="dpo").first()
        if officer is not None:
            self.stdout.write(f"  {'dpo':<11} {officer.full_name}")
