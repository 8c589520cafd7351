"""The Article 4 register as the sponsor and the works council read it: one release per
quarter end (`RegisterRelease`), prepared by the background worker and kept.

Each quarter's figures are audited with every other quarter end's release the council was
shown (`register_figures.audited`): on a large company the integer programs of that audit take
minutes, more than a page may. So the worker prepares a quarter the day after it ends
(`schedule`), or when a reader asks for one not prepared yet (`requested`: the page says it is
being prepared). Each earlier quarter's release is read back, never computed again: a quarter
costs its own audit only, and what the council read stays what it read, even when a record
for that quarter is entered or erased later (the lead's exact figures change; theirs do not).

A release keeps what the audit of later quarters needs (each person's group and 0/1 measures
on that day, by primary key, and the ranges shown), compressed, in the database: the data the
register is built from, as it stood at that quarter end."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from tremplin.compute import across, temporal
from tremplin.governance import literacy, register_figures
from tremplin.governance.models import RegisterRelease

State = RegisterRelease.State


def published(day: datetime.date, k: int) -> RegisterRelease | None:
    return RegisterRelease.objects.filter(day=day, k=k, state=State.DONE).first()


def requested(day: datetime.date, k: int) -> RegisterRelease:
    """The release of `day` for groups of `k`, asked of the worker when it is neither ready
    nor being prepared (a failed one is asked again: reading the page is asking)."""
    row, created = RegisterRelease.objects.get_or_create(day=day, k=k)
    again = not created and RegisterRelease.objects.filter(pk=row.pk, state=State.FAILED).update(
        state=State.RUNNING, requested_at=timezone.now()
    )
    if created or again:
        prepare_task.enqueue(day.isoformat(), k)  # run at once without a worker (tests)
        row.refresh_from_db()
    return row


def prepare(day: datetime.date, k: int) -> RegisterRelease:
    """The release of `day`, each quarter end of its chain (`literacy.quarter_ends_before`)
    prepared in turn when it is not kept yet, audited with every release kept (`chained`)."""
    ready = published(day, k)
    if ready is not None:
        return ready
    row: RegisterRelease | None = None
    for end in [*literacy.quarter_ends_before(day), day]:
        row = published(end, k)
        if row is None:
            dossier = literacy.build(end)
            charter = getattr(dossier.charter, "pk", None)
            earlier, links = chained(end, charter, k)
            figures, now = register_figures.audited(dossier, k, earlier, links)
            del dossier
            row = _keep(end, k, charter, figures, now)
    assert row is not None
    return row


def chained(day: datetime.date, charter: int | None,
            k: int) -> tuple[list[across.Dated], list[set[str]]]:  # fmt: skip
    """Every release kept but `day`'s for groups of `k`, in date order, and the links of the
    chain they make with it (`register_figures.linked`). Later ones too: the council kept
    them, and a quarter before the first one read appears when a record dated earlier than any
    is entered. Those for another minimum group size too: when the lead changes it, the
    council reads each quarter again at the new size, beside what it read at the old one."""
    rows = (RegisterRelease.objects.filter(state=State.DONE).exclude(day=day, k=k)
            .order_by("day", "pk"))  # fmt: skip
    chain = sorted([(row.day, row.charter, temporal.load(bytes(row.audit))) for row in rows]
                   + [(day, charter, None)], key=lambda found: found[0])  # fmt: skip
    links = [register_figures.linked(i == 0, found[1], chain[i - 1][1] if i else None)
             for i, found in enumerate(chain)]  # fmt: skip
    return [(on, release) for on, _charter, release in chain if release is not None], links


def _keep(day: datetime.date, k: int, charter: int | None, figures: list[dict[str, object]],
          release: temporal.Release) -> RegisterRelease:  # fmt: skip
    """Write a quarter's release, unless another worker wrote it first (theirs is kept)."""
    with transaction.atomic():
        row, _created = RegisterRelease.objects.select_for_update().get_or_create(day=day, k=k)
        if row.state != State.DONE:
            row.state, row.charter, row.figures = State.DONE, charter, figures
            row.audit, row.error, row.finished_at = temporal.dump(release), "", timezone.now()
            row.save()
    return row


def _run(day: datetime.date, k: int) -> str:
    try:
        return str(prepare(day, k).state)
    except Exception as error:  # the page shows why, and asks again when read
        RegisterRelease.objects.update_or_create(
            day=day, k=k, defaults={"state": State.FAILED, "error": str(error)[:2000],
                                    "finished_at": timezone.now()},
        )  # fmt: skip
        return str(State.FAILED)


@task()
def prepare_task(day: str, k: int) -> str:
    return _run(datetime.date.fromisoformat(day), k)


def next_quarter_end(today: datetime.date) -> datetime.date:
    month = 3 * ((today.month - 1) // 3) + 3
    following = datetime.date(today.year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def schedule(k: int) -> None:
    """Make sure the worker prepares the coming quarter end's release the night after it
    (once); nothing without a worker (the first reader then asks for it)."""
    if not default_task_backend.supports_defer:
        return
    from django_tasks_db.models import DBTaskResult

    end = next_quarter_end(timezone.localdate())
    waiting = DBTaskResult.objects.filter(
        task_path=scheduled_task.module_path, status="READY"
    ).exists()
    if not waiting:
        at = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(2))
        scheduled_task.using(run_after=timezone.make_aware(at)).enqueue(end.isoformat(), k)


@task()
def scheduled_task(day: str, k: int) -> str:
    """A quarter end's release, prepared the night after it; then the next one's planned."""
    try:
        on = datetime.date.fromisoformat(day)
        RegisterRelease.objects.get_or_create(day=on, k=k)  # readers meanwhile: being prepared
        return _run(on, k)
    finally:
        schedule(k)
