"""The works council's and the sponsor's publications: made at the first snapshot, then once a
quarter (a snapshot of the same quarter publishes nothing new, and they read the last one);
each release they are shown is kept, and each new publication's new dates are audited with
every earlier one (`insights.releases`, `compute.across`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.insights.conftest import _demo_store, demo  # noqa: F401  (fixtures)
from tremplin.compute import across
from tremplin.governance.releases import next_quarter_end
from tremplin.insights.models import AudienceRelease, Publication, Snapshot
from tremplin.insights.published import stored
from tremplin.insights.snapshot import latest, refresh

pytestmark = pytest.mark.django_db


def test_a_company_audience_is_published_once_a_quarter_and_audited_with_what_it_read(
    demo,  # noqa: F811
    monkeypatch,
):
    council = Publication.objects.filter(audience="cse")
    before = council.count()
    shown = stored(latest(), "cse")
    assert shown is not None
    kept = AudienceRelease.objects.filter(audience="cse").order_by("day")
    assert [r.day.isoformat() for r in kept] == shown["periods"]  # every date it was shown
    refresh(Snapshot.objects.create())  # the same day: nothing new for the council
    assert council.count() == before and stored(latest(), "cse") == shown
    later = next_quarter_end(timezone.localdate()) + dt.timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *_args, **_kwargs: later)
    asked: list[tuple[list[dt.date], list[dt.date]]] = []
    real = across.audit

    def audit(pub, new, value, ids, names, earlier, k, ties=None):
        asked.append((sorted(new.values()), [day for day, _r in earlier]))
        assert ties is not None and ties.any_of == "assessed"  # audited with the ties
        return real(pub, new, value, ids, names, earlier, k, ties=ties)

    monkeypatch.setattr(across, "audit", audit)
    refresh(Snapshot.objects.create())  # a quarter has ended since
    assert council.count() == before + 1
    days = [dt.date.fromisoformat(day) for day in shown["periods"]]
    assert asked[0] == ([next_quarter_end(days[-1]), later], days)
    assert AudienceRelease.objects.filter(audience="cse").count() == len(days) + 2


def test_with_a_worker_a_quarter_s_publication_follows_the_snapshot(
    demo,  # noqa: F811
    monkeypatch,
    settings,
):
    """The snapshot is shown at once; the quarter's publication, audited with every earlier
    release (minutes on a large company), is made by the worker: meanwhile the council reads
    the last one."""
    from django_tasks_db.models import DBTaskResult

    from tremplin.insights.tasks import publish_due

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    council = Publication.objects.filter(audience="cse")
    before, shown = council.count(), stored(latest(), "cse")
    later = next_quarter_end(timezone.localdate()) + dt.timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *_args, **_kwargs: later)
    snapshot = refresh(Snapshot.objects.create())
    assert snapshot.state == Snapshot.State.DONE and latest().snapshot_id == snapshot.pk
    assert council.count() == before and stored(latest(), "cse") == shown
    queued = DBTaskResult.objects.get(task_path=publish_due.module_path)
    publish_due.call(*queued.args_kwargs["args"])  # the worker's job, run here
    assert council.count() == before + 1 and stored(latest(), "cse") != shown
