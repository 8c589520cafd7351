"""The council's register, one release per quarter end prepared by the background worker:
kept whole (what later quarters' audits need reads back the same), shown as being prepared
until it is ready, asked again after a failure, frozen once ready, and planned for the night
after each quarter end."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from django.utils import timezone

from tests.governance.test_register_privacy import _dossier
from tremplin.compute import temporal
from tremplin.governance import register_figures, releases
from tremplin.governance.models import Acknowledgement, Charter, RegisterRelease
from tremplin.insights.snapshot import quarter_ends

URL = "/governance/article-4/"
PREPARING = "The figures of this quarter are being prepared"


def test_a_release_reads_back_as_it_was_kept():
    dossier = _dossier(3)
    kept = register_figures.release(register_figures.publication(dossier, 10), dossier)
    back = temporal.load(temporal.dump(kept))
    assert np.array_equal(back.people, kept.people) and back.cells == kept.cells
    assert back.groups.keys() == kept.groups.keys() and back.values.keys() == kept.values.keys()
    assert all(np.array_equal(back.groups[key], g) for key, g in kept.groups.items())
    assert all(np.array_equal(back.values[key], v) for key, v in kept.values.items())


def _measures(org) -> list[datetime.date]:
    """A charter acknowledged by most of the company 200 days ago; the quarter ends since."""
    today = timezone.localdate()
    first = today - datetime.timedelta(days=200)
    charter = Charter.objects.create(version=1, title_fr="C", title_en="C", body_fr="T",
                                     body_en="T", published_on=first)  # fmt: skip
    at = timezone.make_aware(datetime.datetime.combine(first, datetime.time(12)))
    for name in list(org.people)[:-3]:
        Acknowledgement.objects.create(charter=charter, person=org.people[name], at=at)
    return quarter_ends(first, today, most=400)


@pytest.mark.django_db
def test_with_a_worker_the_page_says_the_quarter_is_being_prepared_then_shows_it(
    client, english, org, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ends = _measures(org)
    client.force_login(org.users["cse"])
    page = client.get(URL).content.decode()
    assert PREPARING in page and "<table" not in page and 'hx-trigger="every 10s"' in page
    assert RegisterRelease.objects.get(day=ends[-1]).state == RegisterRelease.State.RUNNING
    exported = client.get(URL, {"format": "xlsx"})
    assert exported.status_code == 302 and exported["Location"].endswith(f"?on={ends[-1]}")
    client.get(URL)  # asked once however often it is read
    assert DBTaskResult.objects.filter(task_path__endswith="prepare_task").count() == 1
    # The worker's job, run here (the worker itself runs in the browser test).
    queued = DBTaskResult.objects.get(task_path=releases.prepare_task.module_path)
    releases.prepare_task.call(*queued.args_kwargs["args"])
    page = client.get(URL).content.decode()
    assert PREPARING not in page and "<table" in page
    assert list(RegisterRelease.objects.order_by("day").values_list("day", "state")) == [
        (end, RegisterRelease.State.DONE) for end in ends
    ]  # every quarter end of the chain kept on the way
    assert client.get(URL, {"format": "xlsx"}).status_code == 200


@pytest.mark.django_db
def test_a_failed_quarter_says_why_and_is_asked_again_when_read(client, english, org, monkeypatch):
    ends = _measures(org)
    real = register_figures.audited

    def failing(*args):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(register_figures, "audited", failing)
    client.force_login(org.users["cse"])
    page = client.get(URL).content.decode()
    assert PREPARING in page and "The last attempt failed: out of memory" in page
    assert RegisterRelease.objects.get(day=ends[-1]).state == RegisterRelease.State.FAILED
    monkeypatch.setattr(register_figures, "audited", real)
    page = client.get(URL).content.decode()
    assert PREPARING not in page and "<table" in page


@pytest.mark.django_db
def test_a_quarter_once_ready_stays_as_it_was_read(client, org):
    """A record entered later for a quarter already read changes the lead's figures of that
    day, not the council's (nor the releases later quarters are audited with)."""
    ends = _measures(org)
    k = 2  # small groups shown, so that one acknowledgement more would show
    before = releases.prepare(ends[-1], k)
    charter = Charter.objects.get()
    late = timezone.make_aware(datetime.datetime.combine(ends[-1], datetime.time(9)))
    for name in list(org.people)[-3:]:
        Acknowledgement.objects.create(charter=charter, person=org.people[name], at=late)
    again = releases.prepare(ends[-1], k)
    assert again.pk == before.pk and again.figures == before.figures
    assert bytes(again.audit) == bytes(before.audit)
    RegisterRelease.objects.all().delete()  # prepared afresh, the late records count
    assert releases.prepare(ends[-1], k).figures != before.figures


def _asked(monkeypatch) -> list[tuple[datetime.date, list[datetime.date]]]:
    """Each quarter audited from now on, and the days of the releases it is audited with."""
    asked: list[tuple[datetime.date, list[datetime.date]]] = []
    real = register_figures.audited

    def audited(dossier, k, earlier, links):
        asked.append((dossier.day, [day for day, _release in earlier]))
        assert len(links) == len(earlier) + 1
        return real(dossier, k, earlier, links)

    monkeypatch.setattr(register_figures, "audited", audited)
    return asked


@pytest.mark.django_db
def test_a_new_minimum_group_size_is_audited_with_what_was_read_at_the_old(org, monkeypatch):
    """The lead changes the minimum group size: the council reads each quarter again at the
    new size, audited with every release it read at the old one too."""
    ends = _measures(org)
    releases.prepare(ends[-1], 2)
    asked = _asked(monkeypatch)
    releases.prepare(ends[-1], 3)
    assert [day for day, _earlier in asked] == ends
    assert asked[0][1] == ends  # every quarter read at 2
    assert asked[-1][1] == sorted([*ends, *ends[:-1]])


@pytest.mark.django_db
def test_a_quarter_before_the_first_read_is_audited_with_the_later_ones(org, monkeypatch):
    """A record dated before any other (an older training imported) brings quarter ends
    before those the council read: each is audited with every release kept, later ones
    included, not as if it came first."""
    ends = _measures(org)
    k = 2
    releases.prepare(ends[-1], k)
    asked = _asked(monkeypatch)
    old = timezone.make_aware(datetime.datetime.combine(ends[0] - datetime.timedelta(days=200),
                                                        datetime.time(9)))  # fmt: skip
    Acknowledgement.objects.filter(person=next(iter(org.people.values()))).update(at=old)
    before = [end for end in releases.literacy.quarter_ends_before(ends[-1]) if end < ends[0]]
    assert before
    releases.prepare(before[-1], k)  # the council reads one of them
    assert [day for day, _earlier in asked] == before
    assert asked[0][1] == ends  # the later quarters the council read
    assert asked[-1][1] == sorted([*before[:-1], *ends])


@pytest.mark.django_db
def test_the_night_after_each_quarter_end_is_planned_once(client, org, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(org.users["lead"])
    client.get(URL)
    client.get(URL)
    planned = DBTaskResult.objects.filter(task_path__endswith="scheduled_task")
    assert planned.count() == 1
    end = releases.next_quarter_end(timezone.localdate())
    assert end.month in (3, 6, 9, 12) and (end + datetime.timedelta(days=1)).day == 1
    assert timezone.localtime(planned.get().run_after) == timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(2))
    )
    assert planned.get().args_kwargs["args"] == [end.isoformat(), 10]


def test_the_next_quarter_end():
    day = datetime.date
    assert releases.next_quarter_end(day(2026, 12, 5)) == day(2026, 12, 31)
    assert releases.next_quarter_end(day(2026, 12, 31)) == day(2026, 12, 31)
    assert releases.next_quarter_end(day(2027, 1, 1)) == day(2027, 3, 31)
    assert releases.next_quarter_end(day(2026, 5, 31)) == day(2026, 6, 30)
