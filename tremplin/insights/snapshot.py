"""Snapshots: the arrays the dashboards read, built from the live data in a few queries.

A dashboard never walks the rating table: a background task rebuilds the snapshot (people and
their groups, levels at each quarter end and today, targets, plans), and pages read the latest
one, kept in memory once loaded. The privacy cube of the whole company is part of it.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar, cast

import numpy as np
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone

from tremplin.assessments.models import CurrentLevel, QuizSettings, Rating, Source
from tremplin.assessments.services import weak_rating
from tremplin.compute import consolidation
from tremplin.compute.kpis import NOT_ASSESSED
from tremplin.insights.models import InsightSettings, Snapshot
from tremplin.insights.usage import person_usage
from tremplin.learning.models import ItemStatus, Plan, PlanItem, PlanStatus
from tremplin.people.models import JobFamily, OrgUnit, Person, Site
from tremplin.rollout.queries import wave_of_people, waves_in_order
from tremplin.skills.models import Competence, Framework
from tremplin.skills.queries import active_framework, targets_by_family

# The dimensions a reader filters by besides the org unit, in the privacy cube's order; each
# has an extra "none" value for people without one.
FLAT = ("family", "site", "wave")

T = TypeVar("T")
QUARTERS = 12  # three years of history
PLAN_CODES = {status: code for code, status in enumerate(PlanStatus.values)}
ENGAGED_SOURCES = {Source.SELF, Source.QUIZ}


def quarter_ends(first: dt.date, today: dt.date, most: int = QUARTERS) -> list[dt.date]:
    """Ends of the quarters from the one holding `first` to the last one before `today`."""
    ends: list[dt.date] = []
    year, quarter = today.year, (today.month - 1) // 3  # the current quarter, 0-based
    for _ in range(most):
        quarter -= 1
        if quarter < 0:
            year, quarter = year - 1, 3
        end = dt.date(year, 3 * quarter + 3, 1) + dt.timedelta(days=31)
        end = end.replace(day=1) - dt.timedelta(days=1)
        if end < first:
            break
        ends.append(end)
    return sorted(ends)


def _ids(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def _index(keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Position of each value in sorted `keys` (−1 when absent)."""
    if keys.size == 0:
        return np.full(values.shape, -1, dtype=np.int64)
    at = np.clip(np.searchsorted(keys, values), 0, keys.size - 1)
    return np.where(keys[at] == values, at, -1)


def build(framework: Framework, today: dt.date | None = None) -> dict[str, np.ndarray]:
    """Every array of a snapshot."""
    today = today or timezone.localdate()
    people = list(
        Person.objects.filter(active=True)
        .order_by("pk")
        .values_list("pk", "org_unit_id", "job_family_id", "site_id")
    )
    person_ids = _ids([p[0] for p in people])
    units = list(OrgUnit.objects.order_by("pk").values_list("pk", "parent_id"))
    unit_ids = _ids([u[0] for u in units])
    # The last unit stands for people attached to none.
    unit_parent = np.append(_index(unit_ids, _ids([u[1] or 0 for u in units])), -1)
    job_families = list(JobFamily.objects.order_by("pk"))  # with their persona, for targets
    families = _ids([f.pk for f in job_families])
    sites = _ids(list(Site.objects.order_by("pk").values_list("pk", flat=True)))
    competences = list(framework.competences.order_by("order", "code"))
    competence_ids = _ids([c.pk for c in competences])
    competence_sorted = np.argsort(competence_ids)
    n, n_comp = len(people), len(competences)

    def column(ids: np.ndarray) -> np.ndarray:
        at = _index(competence_ids[competence_sorted], ids)
        return np.where(at >= 0, competence_sorted[np.maximum(at, 0)], -1)

    # People without a unit, family or site go to an extra "none" value of that dimension.
    unit = _index(unit_ids, _ids([p[1] or 0 for p in people]))
    unit[unit < 0] = unit_ids.size
    family = _index(families, _ids([p[2] or 0 for p in people]))
    site = _index(sites, _ids([p[3] or 0 for p in people]))
    family[family < 0] = families.size
    site[site < 0] = sites.size
    # Waves keep their own order (the pilot, then by start date) for the filters.
    waves = waves_in_order()
    wave_ids = np.array([w.pk for w in waves], dtype=np.int64)
    wave_at = {w.pk: i for i, w in enumerate(waves)}
    wave_by_person = wave_of_people(waves)
    wave = np.array(
        [wave_at.get(wave_by_person.get(pk, 0), len(waves)) for pk in person_ids.tolist()],
        dtype=np.int64,
    )

    # Each family's own targets: its persona's defaults (read with the family) and overrides.
    target = np.zeros((n, n_comp), dtype=np.int8)
    targets = targets_by_family(framework, job_families)
    for k, family_id in enumerate(families.tolist()):
        members = family == k
        if not members.any():
            continue
        for t in targets[family_id]:
            target[members, int(column(_ids([t.competence.pk]))[0])] = t.level

    source_code = consolidation.CODE
    ratings = read_ratings(framework, QuizSettings.current().competence_se)
    row = _index(person_ids, ratings[:, 0])
    col = column(ratings[:, 1])
    kept = (row >= 0) & (col >= 0)
    ratings, row, col = ratings[kept], row[kept], col[kept]
    engaged_sources = np.array([s in ENGAGED_SOURCES for s in source_code])
    recent = ratings[:, 3] >= (today - dt.timedelta(days=365)).toordinal()
    engaged = np.zeros(n, dtype=bool)
    engaged[row[recent & engaged_sources[ratings[:, 2]]]] = True

    first = dt.date.fromordinal(int(ratings[:, 3].min())) if len(ratings) else today
    periods = quarter_ends(first, today)
    history = consolidation.levels_over_time(
        consolidation.Ratings.of(
            row * n_comp + col, ratings[:, 2], ratings[:, 3], ratings[:, 4], ratings[:, 5]
        ),
        n * n_comp,
        np.array([d.toordinal() for d in periods], dtype=np.int64),
    ).reshape(len(periods), n, n_comp)
    current = np.full((1, n, n_comp), NOT_ASSESSED, dtype=np.int8)
    disagree = np.zeros((n, n_comp), dtype=bool)
    live = np.array(
        list(
            CurrentLevel.objects.filter(competence__framework=framework, person__active=True)
            .values_list("person_id", "competence_id", "level", "self_manager_disagree",
                         "self_quiz_disagree", "manager_quiz_disagree")
            .iterator(chunk_size=50000)
        ),
        dtype=np.int64,
    ).reshape(-1, 6)  # fmt: skip
    live_row, live_col = _index(person_ids, live[:, 0]), column(live[:, 1])
    ok = (live_row >= 0) & (live_col >= 0)
    current[0, live_row[ok], live_col[ok]] = live[ok, 2]
    disagree[live_row[ok], live_col[ok]] = live[ok, 3:6].any(axis=1)

    items = np.array(
        list(
            PlanItem.objects.filter(plan__person__active=True)
            .exclude(plan__status__in=[PlanStatus.PROPOSED, PlanStatus.DISCUSSED])
            .values_list("plan__person_id", "status", "module__cost_per_seat",
                         "module__duration_hours")
            .iterator(chunk_size=50000)
        ),
        dtype=object,
    ).reshape(-1, 4)  # fmt: skip
    item_row = _index(person_ids, items[:, 0].astype(np.int64))
    done = (items[:, 1] == ItemStatus.DONE) & (item_row >= 0)
    items_total = np.bincount(item_row[item_row >= 0], minlength=n).astype(float)
    items_done = np.bincount(item_row[done], minlength=n).astype(float)
    cost_done = np.bincount(item_row[done], items[done, 2].astype(float), minlength=n)
    hours_done = np.bincount(item_row[done], items[done, 3].astype(float), minlength=n)
    plans = np.array(
        [
            (person_id, PLAN_CODES[status])
            for person_id, status in Plan.objects.current()
            .filter(person__active=True)
            .values_list("person_id", "status")
            .iterator(chunk_size=50000)
        ],
        dtype=np.int64,
    ).reshape(-1, 2)
    plan_status = np.full(n, -1, dtype=np.int8)
    plan_row = _index(person_ids, plans[:, 0])
    plan_status[plan_row[plan_row >= 0]] = plans[plan_row >= 0, 1]
    return {
        "person_ids": person_ids,
        "unit_ids": unit_ids,
        "unit_parent": unit_parent,
        "family_ids": families,
        "site_ids": sites,
        "wave_ids": wave_ids,
        "competence_ids": competence_ids,
        "preserve": np.array([c.is_preserve for c in competences], dtype=bool),
        "unit": unit,
        "family": family,
        "site": site,
        "wave": wave,
        "target": target,
        "periods": np.array([d.toordinal() for d in [*periods, today]], dtype=np.int64),
        "levels": np.concatenate([history, current]),
        "disagree": disagree,
        "engaged": engaged,
        "plan_status": plan_status,
        "items_total": items_total,
        "items_done": items_done,
        "cost_done": cost_done,
        "hours_done": hours_done,
        "ratings": np.array([len(ratings)]),
        **person_usage(person_ids, today),
    }


def read_ratings(framework: Framework, quiz_se: float) -> np.ndarray:
    """(rows, 6) int64: person id, competence id, source code, day ordinal, level and weak
    (`assessments.services.weak_rating`), of every rating of active people in `framework`.
    PostgreSQL streams them in binary COPY, parsed by NumPy (about 3 times faster than the ORM
    at 10M rows); other databases use the ORM.
    Rows come in the order they were recorded, which settles ties as the consolidation does."""
    source_code = consolidation.CODE
    if connection.vendor == "postgresql":
        return _ratings_by_copy(framework, source_code, quiz_se)
    rows = Rating.objects.filter(competence__framework=framework, person__active=True)
    rows = rows.annotate(weak=ExpressionWrapper(weak_rating(quiz_se), BooleanField()))
    rows = rows.order_by("pk")  # same day and source: the latest recorded wins
    chunks: list[np.ndarray] = []
    buffer: list[tuple[int, int, int, int, int, int]] = []
    for person_id, competence_id, source, assessed_on, value, weak in rows.values_list(
        "person_id", "competence_id", "source", "assessed_on", "level", "weak"
    ).iterator(chunk_size=50000):
        buffer.append(
            (person_id, competence_id, source_code[source], assessed_on.toordinal(), value,
             int(weak))
        )  # fmt: skip
        if len(buffer) == 500_000:
            chunks.append(np.array(buffer, dtype=np.int64))
            buffer = []
    chunks.append(np.array(buffer, dtype=np.int64).reshape(-1, 6))
    return np.concatenate(chunks)


# One row of `COPY … (FORMAT BINARY)` for the query below: a field count, then each field's
# length and big-endian value.
COPY_ROW = np.dtype(
    [("n", ">i2"), ("l0", ">i4"), ("person", ">i8"), ("l1", ">i4"), ("competence", ">i8"),
     ("l2", ">i4"), ("source", ">i2"), ("l3", ">i4"), ("day", ">i4"), ("l4", ">i4"),
     ("level", ">i2"), ("l5", ">i4"), ("weak", "u1"), ("l6", ">i4"), ("id", ">i8")]
)  # fmt: skip
COPY_BATCH = 16 << 20  # bytes parsed at once
COPY_HEADER = 19  # signature, flags, header extension length


def _ratings_by_copy(
    framework: Framework, source_code: dict[str, int], quiz_se: float
) -> np.ndarray:
    quote = connection.ops.quote_name
    cases = " ".join(f"WHEN %s THEN {code}" for code in source_code.values())
    weak = (
        "((r.source = %s AND (r.standard_error IS NULL OR r.standard_error > %s)) "
        "OR (r.source = %s AND r.assessor_id IS NOT NULL AND r.assessor_id = r.person_id))"
    )
    query = (
        f"COPY (SELECT r.person_id::int8, r.competence_id::int8, "
        f"(CASE r.source {cases} END)::int2, "
        f"(r.assessed_on - DATE '0001-01-01' + 1)::int4, r.level::int2, {weak}, r.id::int8 "
        f"FROM {quote(Rating._meta.db_table)} r "
        f"JOIN {quote(Person._meta.db_table)} p ON p.id = r.person_id AND p.active "
        f"JOIN {quote(Competence._meta.db_table)} c ON c.id = r.competence_id "
        f"AND c.framework_id = %s) TO STDOUT (FORMAT BINARY)"
    )
    parts: list[np.ndarray] = []
    ids: list[np.ndarray] = []
    pending = bytearray()

    def parse(final: bool) -> None:
        whole = len(pending) // COPY_ROW.itemsize * COPY_ROW.itemsize
        if whole:
            rows = np.frombuffer(bytes(pending[:whole]), dtype=COPY_ROW)
            parts.append(_columns(rows))
            ids.append(rows["id"].astype(np.int64))
            del pending[:whole]
        if final and bytes(pending) not in (b"", b"\xff\xff"):  # only the trailer remains
            raise ValueError("unexpected end of the ratings COPY stream")

    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor, for COPY
        params = [*source_code, Source.QUIZ, quiz_se, Source.TRAINING, framework.pk]
        with raw.copy(query, params) as copy:
            header = True
            for block in copy:
                pending += block
                if header and len(pending) >= COPY_HEADER:
                    del pending[:COPY_HEADER]
                    header = False
                if len(pending) >= COPY_BATCH:
                    parse(final=False)
    parse(final=True)
    if not parts:
        return np.zeros((0, 6), dtype=np.int64)
    # In recorded order, as the ORM read gives them: ties go to the latest recorded.
    return np.concatenate(parts)[np.argsort(np.concatenate(ids), kind="stable")]


def _columns(rows: np.ndarray) -> np.ndarray:
    if (rows["n"] != 7).any():
        raise ValueError("unexpected row in the ratings COPY stream")
    names = ("person", "competence", "source", "day", "level", "weak")
    return np.stack([rows[name].astype(np.int64) for name in names], axis=1)


def refresh(snapshot: Snapshot) -> Snapshot:
    """Build the arrays of `snapshot` and store them; the state says how it went."""
    Snapshot.objects.filter(pk=snapshot.pk).update(state=Snapshot.State.RUNNING)
    started = time.perf_counter()
    framework = active_framework()
    try:
        if framework is None:
            raise ValueError("no competency framework is loaded")
        arrays = build(framework)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, allow_pickle=False, **arrays)
        # The company's first publications are built before the snapshot is shown, so that no
        # reader ever meets a snapshot without one; a quarter's next one, audited with every
        # earlier release (minutes on a large company), by the worker once the snapshot is
        # done: meanwhile they read the last (imported here: they read this module).
        from tremplin.insights.published import publish_company

        due = publish_company(Figures(snapshot.pk, None, dict(arrays)), first_only=True)
    except Exception as error:
        Snapshot.objects.filter(pk=snapshot.pk).update(
            state=Snapshot.State.FAILED, error=str(error)
        )
        raise
    Snapshot.objects.filter(pk=snapshot.pk).update(
        state=Snapshot.State.DONE,
        built_at=timezone.now(),
        people=int(arrays["person_ids"].size),
        ratings=int(arrays["ratings"][0]),
        seconds=time.perf_counter() - started,
        data=buffer.getvalue(),
    )
    if due:
        from tremplin.insights.tasks import publish_due

        publish_due.enqueue(list(due))
    snapshot.refresh_from_db()
    return snapshot


@dataclass
class Figures:
    """A loaded snapshot, with what pages computed from it so far."""

    snapshot_id: int
    built_at: dt.datetime | None
    arrays: dict[str, np.ndarray]
    memos: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if "wave" not in self.arrays:  # built before waves existed: nobody in one
            self.arrays["wave"] = np.zeros(self.arrays["person_ids"].size, dtype=np.int64)
            self.arrays["wave_ids"] = np.zeros(0, dtype=np.int64)
        if "usage_tools" not in self.arrays:  # built before usage was read: none
            n = self.arrays["person_ids"].size
            self.arrays["usage_tool_names"] = np.zeros(0, dtype=str)
            self.arrays["usage_tools"] = np.zeros((n, 0), dtype=np.int8)
            self.arrays["usage_tool_actions"] = np.zeros((n, 0))
            self.arrays["usage_window"] = np.zeros(2, dtype=np.int64)
            self.arrays["usage_rows"] = np.zeros(1, dtype=np.int64)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    @cached_property
    def n_families(self) -> int:
        return int(self["family_ids"].size) + 1

    @cached_property
    def periods(self) -> list[dt.date]:
        return [dt.date.fromordinal(int(d)) for d in self["periods"]]

    @cached_property
    def known(self) -> np.ndarray:
        """Levels with "not assessed" as 0: (periods, people, competences)."""
        return np.maximum(self["levels"], 0)

    @cached_property
    def person_totals(self) -> np.ndarray:
        """Sum of each person's levels at each period: (periods, people)."""
        return self.known.sum(axis=2, dtype=np.int16)

    @cached_property
    def first_assessed(self) -> np.ndarray:
        """Per person, the first period with a level (−1: never assessed)."""
        seen = (self["levels"] >= 0).any(axis=2)
        return np.where(seen.any(axis=0), seen.argmax(axis=0), -1)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """What pages show that only changes with the snapshot (names, lists of options),
        built once; `key` also holds the language and the scope when they matter."""
        if key not in self.memos:
            self.memos[key] = build()
        return cast(T, self.memos[key])


# By id and build time: a database restored or recreated (as between tests) reuses ids.
_loaded: dict[tuple[int, dt.datetime | None], Figures] = {}


def latest() -> Figures | None:
    """The newest built snapshot, loaded once per process."""
    found = (
        Snapshot.objects.filter(state=Snapshot.State.DONE)
        .order_by("-pk")
        .values_list("pk", "built_at")
        .first()
    )
    if found is None:
        return None
    pk, built_at = found
    key = (pk, built_at)
    if key not in _loaded:
        data = Snapshot.objects.filter(pk=pk).values_list("data", flat=True).get()
        with np.load(io.BytesIO(bytes(data))) as stored:
            arrays = {name: stored[name] for name in stored.files}
        _loaded.clear()
        _loaded[key] = Figures(pk, built_at, arrays)
    return _loaded[key]


def min_group_size() -> int:
    return InsightSettings.current().min_group_size
