"""Background work: plans for a whole population, with progress the page polls."""

from __future__ import annotations

from django.db import connections
from django.utils import timezone
from django_tasks import task

from tremplin.learning.models import PlanRun
from tremplin.learning.services import generate_plans
from tremplin.people.models import OrgUnit, Person

# Below this many people one process is quicker than starting two.
PARALLEL_FROM = 2000


def run_generation(run: PlanRun) -> PlanRun:
    people = Person.objects.filter(active=True)
    unit_id = run.scope.get("org_unit")
    if unit_id:
        unit = OrgUnit.objects.get(pk=unit_id)
        people = people.filter(org_unit__path__startswith=unit.path)
    total = people.count()
    PlanRun.objects.filter(pk=run.pk).update(state=PlanRun.State.RUNNING, total=total)

    def progress(done: int, _: int) -> None:
        PlanRun.objects.filter(pk=run.pk).update(done=done)

    workers = 2 if total >= PARALLEL_FROM else 1
    if workers > 1:
        connections.close_all()  # forked workers must not share the database connection
    try:
        proposed, skipped, greedy = generate_plans(
            people=people, by=run.requested_by, workers=workers, progress=progress
        )
        run.created, run.skipped, run.not_proven = proposed, skipped, greedy
        run.state = PlanRun.State.DONE
        run.done = run.total = total
    except Exception as error:  # the run records why it failed; the page shows it
        run.state = PlanRun.State.FAILED
        run.error = str(error)
    run.finished_at = timezone.now()
    run.save()
    return run


@task()
def generate_population_plans(run_id: int) -> str:
    run = run_generation(PlanRun.objects.get(pk=run_id))
    return str(run.state)
