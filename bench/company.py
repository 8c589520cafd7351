"""A generated company for the benchmarks: an org tree, people, reporting lines, ratings
over three years and the levels they consolidate to, plans, and accounts, written to PostgreSQL
with COPY. Used by bench/dashboards.py."""

from __future__ import annotations

import datetime as dt
import random
import resource
import socket
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tremplin.compute.hierarchy import depths  # noqa: E402  (after the path is set)

PASSWORD = "bench-dashboards"
FANOUTS = (8, 5, 6, 5)  # children per unit at each level: 1 + 8 + 40 + 240 + 1,200 units
SITES = 20
MAX_SPAN = 12  # beyond this many people, a unit's members are grouped under team leads
HISTORY_DAYS = 1080  # three years, inside the consolidation's 3 × 365-day window
CAMPAIGN_AGES = (1060, 695, 330)  # days before today each yearly campaign opens
SOURCES = ("self", "manager", "quiz", "evidence", "interview", "training")
QUIZ, QUIZ_SE = SOURCES.index("quiz"), 0.3
SOURCE_SHARE = (0.34, 0.34, 0.2, 0.03, 0.03, 0.06)
SOURCE_BIAS = (0.3, -0.2, 0.0, 0.2, -0.1, 0.3)  # people rate themselves a little higher
IN_CAMPAIGNS = (True, True, False, False, True, False)
CHUNK = 200_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- The generated company (NumPy arrays, indices from 0; database ids are index + 1) ----------


@dataclass
class Company:
    unit_parent: np.ndarray  # (units,) parent unit, −1 for the root
    unit_depth: np.ndarray
    unit_site: np.ndarray
    unit_head: np.ndarray  # (units,) the person heading it
    unit: np.ndarray  # (people,) unit of each person
    family: np.ndarray  # (people,) index into the job families
    site: np.ndarray
    manager: np.ndarray  # (people,) −1 for the top of the company
    active: np.ndarray
    line_size: np.ndarray  # (people,) people in their reporting line, themselves excluded

    @property
    def people(self) -> int:
        return int(self.unit.size)


def org_tree(people: int) -> tuple[np.ndarray, np.ndarray]:
    """Parents and depths of a 5-level tree, fanouts shrunk for smaller companies, in BFS order."""
    scale = min(1.0, people / 100_000) ** 0.25
    parent, depth = [-1], [0]
    level = [0]
    for d, fanout in enumerate(FANOUTS, start=1):
        children = max(2, round(fanout * scale))
        below = []
        for node in level:
            for _ in range(children):
                below.append(len(parent))
                parent.append(node)
                depth.append(d)
        level = below
    return np.array(parent), np.array(depth)


def generate_company(rng: np.random.Generator, people: int, n_families: int) -> Company:
    unit_parent, unit_depth = org_tree(people)
    n_units = unit_parent.size
    if people < 2 * n_units:
        raise SystemExit(f"--people must be at least {2 * n_units} for {n_units} org units")
    # Each department (depth 2) has a site and hands it down; the top of the tree sits at HQ.
    unit_site = np.zeros(n_units, dtype=np.int64)
    for u in range(n_units):  # BFS order: a parent comes before its children
        if unit_depth[u] == 2:
            unit_site[u] = 1 + u % (SITES - 1)
        elif unit_depth[u] > 2:
            unit_site[u] = unit_site[unit_parent[u]]
    direction = np.arange(n_units)
    while (unit_depth[direction] > 1).any():
        direction = np.where(unit_depth[direction] > 1, unit_parent[direction], direction)

    # People 0..units−1 head the units; the rest work mostly in the leaf units (teams).
    leaf = ~np.isin(np.arange(n_units), unit_parent)
    weight = np.where(leaf, 6.0, 1.0) * rng.lognormal(0.0, 0.5, n_units)
    unit = np.concatenate(
        [
            np.arange(n_units),
            np.sort(rng.choice(n_units, people - n_units, p=weight / weight.sum())),
        ]
    )
    unit_head = np.arange(n_units)
    manager = np.full(people, -1, dtype=np.int64)
    manager[1:n_units] = unit_head[unit_parent[1:n_units]]
    members = np.arange(n_units, people)
    member_unit = unit[members]
    start = np.searchsorted(member_unit, np.arange(n_units))
    count = np.bincount(member_unit, minlength=n_units)
    position = np.arange(members.size) - start[member_unit]
    leads = np.where(count > MAX_SPAN, np.ceil(count / 10).astype(np.int64), 0)[member_unit]
    direct = (leads == 0) | (position < leads)
    lead_of = members[start[member_unit] + (position - leads) % np.maximum(leads, 1)]
    manager[members] = np.where(direct, unit_head[member_unit], lead_of)

    # Heads and leads are managers; the others follow their direction's main job family.
    managers = np.zeros(people, dtype=bool)
    managers[manager[manager >= 0]] = True
    main_family = (direction[unit] * 5 + 1) % n_families
    family = np.where(rng.random(people) < 0.6, main_family, rng.integers(0, n_families, people))
    family[managers] = 0  # the management family sorts first (see load_families)
    site = np.where(rng.random(people) < 0.9, unit_site[unit], rng.integers(0, SITES, people))
    active = rng.random(people) > 0.02
    active[managers] = True

    depth = depths(manager)
    line_size = np.zeros(people, dtype=np.int64)
    for d in range(int(depth.max()), 0, -1):
        at = np.flatnonzero(depth == d)
        np.add.at(line_size, manager[at], line_size[at] + 1)
    return Company(
        unit_parent,
        unit_depth,
        unit_site,
        unit_head,
        unit,
        family,
        site,
        manager,
        active,
        line_size,
    )


def reporting_paths(manager: np.ndarray) -> list[str]:
    """`/1/17/240/` for every person (database ids), managers computed before their reports."""
    paths = [""] * manager.size
    for i in np.argsort(depths(manager), kind="stable").tolist():
        above = paths[manager[i]] if manager[i] >= 0 else "/"
        paths[i] = f"{above}{i + 1}/"
    return paths


@dataclass
class Ratings:
    """One entry per rating, sorted by date so that ids (index + 1) follow the recording order."""

    person: np.ndarray
    competence: np.ndarray  # column in the framework's competences
    source: np.ndarray  # index into SOURCES
    day: np.ndarray  # days before today
    level: np.ndarray
    campaign: np.ndarray  # index into CAMPAIGN_AGES, −1 for none


def generate_ratings(
    rng: np.random.Generator, company: Company, target: np.ndarray, per_person: int
) -> Ratings:
    """About `per_person` ratings a person, on the competences their job targets.

    Self, manager and interview ratings come in yearly campaigns (one day per person, campaign
    and source); quiz, evidence and training ratings are spread over the three years. Levels
    follow the target, the person's ability and a yearly progression, with a bias per source.
    """
    n, n_comp = company.people, target.shape[1]
    assessed = rng.random(n) > 0.05  # newcomers and the never-assessed
    count = np.where(assessed, rng.poisson(per_person / 0.95, n), 0)
    person = np.repeat(np.arange(n), count)
    total = person.size
    targeted = [np.flatnonzero(row > 0) for row in target]
    choices = np.zeros((len(targeted), n_comp), dtype=np.int64)
    for f, columns in enumerate(targeted):
        choices[f, : columns.size] = columns
    widths = np.array([c.size for c in targeted])[company.family[person]]
    competence = choices[company.family[person], (rng.random(total) * widths).astype(np.int64)]
    source = rng.choice(len(SOURCES), total, p=SOURCE_SHARE)
    no_manager = company.manager[person] < 0  # the top of the company rates only themselves
    source[no_manager & (source != 0)] = 0
    campaign = rng.choice(len(CAMPAIGN_AGES), total, p=[0.25, 0.35, 0.4])
    jitter = rng.integers(0, 45, (n, len(CAMPAIGN_AGES), len(SOURCES)))
    in_campaign = np.array(IN_CAMPAIGNS)[source]
    day = np.where(
        in_campaign,
        np.array(CAMPAIGN_AGES)[campaign] - jitter[person, campaign, source],
        rng.integers(1, HISTORY_DAYS, total),
    )
    campaign = np.where(in_campaign, campaign, -1)

    ability = rng.normal(0.0, 1.0, n)
    base = target[company.family] - 1 + ability[:, None] + rng.normal(0, 0.6, (n, n_comp))
    growth = rng.normal(0.35, 0.15, n)  # levels per year
    overrates = rng.random(n) < 0.15
    bias = np.array(SOURCE_BIAS)[source] + np.where(overrates[person] & (source == 0), 1.5, 0.0)
    years = (HISTORY_DAYS - day) / 365
    raw = base[person, competence] + growth[person] * years + bias + rng.normal(0, 0.5, total)
    level = np.clip(np.rint(raw), 0, 4).astype(np.int64)
    order = np.argsort(-day, kind="stable")
    return Ratings(
        person[order], competence[order], source[order], day[order], level[order], campaign[order]
    )


@dataclass
class Current:
    """The consolidated level of each rated (person, competence) pair, with the flags."""

    person: np.ndarray
    competence: np.ndarray
    level: np.ndarray
    source: np.ndarray  # index into SOURCES
    rating: np.ndarray  # index of the chosen rating
    self_level: np.ndarray  # −1 for none
    manager_level: np.ndarray
    quiz_level: np.ndarray
    flags: tuple[np.ndarray, np.ndarray, np.ndarray]  # self–manager, self–quiz, manager–quiz


def consolidate_all(ratings: Ratings, n_comp: int) -> Current:
    """The application's own rule (`compute.consolidation.current`) on every pair at once.

    Ratings are in recording order; their day counts back from today, the rule's forward."""
    from tremplin.compute import consolidation

    code = np.array([consolidation.CODE[s] for s in SOURCES])
    back = np.empty(len(SOURCES), dtype=np.int64)
    back[code] = np.arange(len(SOURCES))
    found = consolidation.current(
        consolidation.Ratings.of(
            ratings.person * n_comp + ratings.competence,
            code[ratings.source],
            HISTORY_DAYS - ratings.day,
            ratings.level,
        ),
        HISTORY_DAYS,
    )
    return Current(
        person=found.pair // n_comp,
        competence=found.pair % n_comp,
        level=found.level,
        source=back[found.source],
        rating=found.rating,
        self_level=found.self_level,
        manager_level=found.manager_level,
        quiz_level=found.quiz_level,
        flags=(found.self_manager_disagree, found.self_quiz_disagree,
               found.manager_quiz_disagree),
    )  # fmt: skip


# --- Writing it: COPY, with foreign-key triggers and secondary indexes off during the load -----


def copy_rows(
    cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """COPY the rows; the table's other required columns get their model's default, so that a
    field added to a model does not break the load."""
    extra = _defaults(table, columns)
    names = [*columns, *extra]
    added = tuple(extra.values())
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((*row, *added))


def _defaults(table: str, columns: Sequence[str]) -> dict[str, Any]:
    from django.apps import apps

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    found = {
        str(f.column): f.get_default()  # a text field without a default: ""
        for f in model._meta.concrete_fields
        if f.column not in columns and not f.null and not f.primary_key
    }
    return {column: value for column, value in found.items() if value is not None}


def chunks(total: int) -> Iterator[slice]:
    for start in range(0, total, CHUNK):
        yield slice(start, min(start + CHUNK, total))


@contextmanager
def bulk_load(cursor: Any, tables: Sequence[str]) -> Iterator[None]:
    """Drop the tables' secondary indexes and rebuild them after the load: much faster than
    maintaining six indexes row by row over ten million rows. On a superuser connection
    (the throwaway server), foreign-key triggers are skipped too: the generated ids are
    consistent by construction, and checking 30 million references one by one would take
    minutes and queue as many deferred trigger events."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [list(tables)],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.perf_counter()
    for _name, definition in indexes:
        cursor.execute(definition)
    log(f"  {len(indexes)} indexes rebuilt in {time.perf_counter() - started:.1f} s")


def load_families() -> tuple[list[int], np.ndarray, list[int]]:
    """The demo's job families with the default framework's targets, as the demo loads them.

    Returns family ids (management first), targets (families × competences) and competence ids.
    """
    from tremplin.people.demo import load_recipe
    from tremplin.people.models import JobFamily
    from tremplin.skills.queries import effective_targets
    from tremplin.skills.services import load_default_framework

    framework = load_default_framework()
    for entry in load_recipe()["job_families"]:
        JobFamily.objects.update_or_create(
            code=entry["code"], defaults={k: entry[k] for k in ("name_fr", "name_en", "persona")}
        )
    families = sorted(JobFamily.objects.all(), key=lambda f: (f.code != "MGMT", f.code))
    competences = list(framework.competences.order_by("order", "code"))
    target = np.array(
        [[t.level for t in effective_targets(framework, f)] for f in families], dtype=np.int64
    )
    return [f.pk for f in families], target, [c.pk for c in competences]


def write_organisation(
    cursor: Any, company: Company, family_ids: list[int], site_ids: list[int]
) -> None:
    from tremplin.people.demo import load_recipe

    recipe = load_recipe()
    rng = random.Random(7)
    unit_paths: list[str] = []
    for u, p in enumerate(company.unit_parent.tolist()):
        unit_paths.append(f"{unit_paths[p] if p >= 0 else '/'}{u + 1}/")
    kinds = ("Groupe", "Direction", "Département", "Service", "Équipe")
    copy_rows(
        cursor,
        "people_orgunit",
        ["id", "code", "name", "path", "depth", "parent_id", "head_id", "site_id"],
        (
            (u + 1, f"U{u + 1:05d}", f"{kinds[d]} {u + 1}", unit_paths[u], d,
             p + 1 if p >= 0 else None, int(company.unit_head[u]) + 1, site_ids[s])
            for u, (p, d, s) in enumerate(
                zip(company.unit_parent.tolist(), company.unit_depth.tolist(),
                    company.unit_site.tolist(), strict=True)
            )
        ),
    )  # fmt: skip
    names = recipe["first_names"]["female"] + recipe["first_names"]["male"]
    paths = reporting_paths(company.manager)
    start = dt.date(1985, 1, 1)
    columns = (company.unit.tolist(), company.family.tolist(), company.site.tolist(),
               company.manager.tolist(), company.active.tolist())  # fmt: skip
    copy_rows(
        cursor,
        "people_person",
        ["id", "employee_id", "first_name", "last_name", "email", "hire_date", "active",
         "preferred_language", "reporting_path", "job_family_id", "manager_id", "org_unit_id",
         "site_id"],
        (
            (i + 1, f"B{i + 1:07d}", rng.choice(names), rng.choice(recipe["last_names"]),
             f"p{i + 1}@bench.example", start + dt.timedelta(days=rng.randrange(14600)), active,
             "en" if rng.random() < 0.05 else "fr", paths[i], family_ids[f],
             m + 1 if m >= 0 else None, u + 1, site_ids[s])
            for i, (u, f, s, m, active) in enumerate(zip(*columns, strict=True))
        ),
    )  # fmt: skip


def write_ratings(
    cursor: Any,
    ratings: Ratings,
    company: Company,
    competence_ids: list[int],
    campaign_ids: list[int],
    today: dt.date,
) -> None:
    days = [today - dt.timedelta(days=d) for d in range(HISTORY_DAYS + 1)]
    stamps = [dt.datetime.combine(d, dt.time(16, 0), tzinfo=dt.UTC) for d in days]
    codes = np.array(competence_ids)
    # Self-assessments are given by the person, manager ratings and interviews by the manager.
    by = np.select(
        [ratings.source == 0, np.isin(ratings.source, [1, 4])],
        [ratings.person + 1, company.manager[ratings.person] + 1],
        0,
    )
    for part in chunks(ratings.person.size):
        columns = (
            np.arange(part.start, part.stop) + 1,
            ratings.person[part] + 1,
            codes[ratings.competence[part]],
            ratings.level[part],
            ratings.source[part],
            ratings.day[part],
            by[part],
            ratings.campaign[part],
        )
        copy_rows(
            cursor,
            "assessments_rating",
            ["id", "person_id", "competence_id", "level", "source", "assessed_on", "recorded_at",
             "assessor_id", "campaign_id", "standard_error", "evidence_text", "evidence_url",
             "evidence_file_name"],
            (  # every quiz level here was measured precisely
                (i, p, c, lv, SOURCES[s], days[d], stamps[d], b or None,
                 campaign_ids[k] if k >= 0 else None, QUIZ_SE if s == QUIZ else None, "", "", "")
                for i, p, c, lv, s, d, b, k in zip(*(a.tolist() for a in columns), strict=True)
            ),
        )  # fmt: skip


def write_current_levels(cursor: Any, current: Current, competence_ids: list[int]) -> None:
    from django.utils import timezone

    now = timezone.now()
    codes = np.array(competence_ids)
    self_manager, self_quiz, manager_quiz = current.flags
    for part in chunks(current.person.size):
        columns = (
            np.arange(part.start, part.stop) + 1,
            current.person[part] + 1,
            codes[current.competence[part]],
            current.level[part],
            current.source[part],
            current.rating[part] + 1,
            current.self_level[part],
            current.manager_level[part],
            current.quiz_level[part],
            self_manager[part],
            self_quiz[part],
            manager_quiz[part],
        )
        copy_rows(
            cursor,
            "assessments_currentlevel",
            ["id", "person_id", "competence_id", "level", "source", "rating_id", "self_level",
             "manager_level", "quiz_level", "self_manager_disagree", "self_quiz_disagree",
             "manager_quiz_disagree", "updated_at"],
            (
                (i, p, c, lv, SOURCES[s], r, *(None if v < 0 else v for v in (sl, ml, ql)), dm,
                 dq, mq, now)
                for i, p, c, lv, s, r, sl, ml, ql, dm, dq, mq in zip(
                    *(a.tolist() for a in columns), strict=True
                )
            ),
        )  # fmt: skip


def write_plans(cursor: Any, rng: np.random.Generator, company: Company, today: dt.date) -> int:
    """Plans for 70% of people in every state, three to five modules each; done items count."""
    from django.utils import timezone

    from tremplin.learning.catalogue import load_default_catalogue
    from tremplin.learning.models import Module

    load_default_catalogue()
    modules = np.array(list(Module.objects.filter(active=True).values_list("pk", flat=True)))
    person = np.flatnonzero((rng.random(company.people) < 0.7) & (company.manager >= 0))
    status = rng.choice(5, person.size, p=[0.35, 0.15, 0.15, 0.25, 0.1])
    statuses = ("proposed", "discussed", "agreed", "in_progress", "done")
    now = timezone.now()
    copy_rows(
        cursor,
        "learning_plan",
        ["id", "person_id", "status", "starts_in", "objective", "method", "open_steps", "version",
         "person_signed_at", "manager_signed_at", "manager_signed_by_id", "created_at",
         "updated_at", "not_for_appraisal", "gaps"],
        (
            (n + 1, p + 1, statuses[s], today.year, "hours", "optimal", "[]", 1,
             now if s >= 2 else None, now if s >= 2 else None, m + 1 if s >= 2 else None, now,
             now, True, "{}")
            for n, (p, s, m) in enumerate(
                zip(person.tolist(), status.tolist(), company.manager[person].tolist(),
                    strict=True)
            )
        ),
    )  # fmt: skip
    size = rng.integers(3, 6, person.size)
    picks = np.argsort(rng.random((person.size, modules.size)), axis=1)[:, :5]
    plan = np.repeat(np.arange(person.size), size)
    position = np.arange(plan.size) - np.repeat(np.cumsum(size) - size, size)
    done = (status[plan] == 4) | ((status[plan] == 3) & (position < size[plan] // 2))
    copy_rows(
        cursor,
        "learning_planitem",
        ["id", "plan_id", "module_id", "position", "year", "status", "deferred_by_budget",
         "completed_on"],
        (
            (n + 1, p + 1, int(modules[picks[p, k]]), k, today.year, "done" if d else "planned",
             False, today - dt.timedelta(days=7 * (k + 1)) if d else None)
            for n, (p, k, d) in enumerate(zip(plan.tolist(), position.tolist(), done.tolist(),
                                              strict=True))
        ),
    )  # fmt: skip
    return int(plan.size)


@dataclass
class Accounts:
    usernames: list[str]
    manager_unit: int  # index of the unit the manager heads
    manager_line: int


def create_accounts(company: Company, rng: np.random.Generator) -> Accounts:
    """Lead, executive (the top of the company), works council, and the manager of a unit whose
    reporting line holds 50 to 500 people (the one closest to 250)."""
    from django.contrib.auth.models import User

    from tremplin.people.models import Person, Role, RoleAssignment

    heads = company.unit_head
    lines = company.line_size[heads]
    fits = (lines >= 50) & (lines <= 500)
    candidates = np.flatnonzero(fits) if fits.any() else np.arange(heads.size)
    manager_unit = int(candidates[np.argmin(np.abs(lines[candidates] - 250))])
    plain = np.flatnonzero(company.line_size == 0)  # people who manage nobody
    lead, works_council = (int(i) for i in rng.choice(plain, 2, replace=False))
    chosen = {
        "lead": (lead, [Role.LEAD, Role.EMPLOYEE]),
        "executive": (int(heads[0]), [Role.EXECUTIVE, Role.EMPLOYEE]),
        "works_council": (works_council, [Role.WORKS_COUNCIL, Role.EMPLOYEE]),
        "manager": (int(heads[manager_unit]), [Role.MANAGER, Role.EMPLOYEE]),
    }
    for username, (person, roles) in chosen.items():
        user = User.objects.create_user(username, password=PASSWORD)
        Person.objects.filter(pk=person + 1).update(user=user, active=True)
        RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in roles])
    return Accounts(list(chosen), manager_unit, int(company.line_size[heads[manager_unit]]))


@dataclass
class Generated:
    company: Company
    ratings: int
    first_day: dt.date
    accounts: Accounts
    family_ids: list[int]
    site_ids: list[int]
    wave_ids: list[int]
    wave: np.ndarray  # (people,) index into wave_ids


WAVES = 3  # after a pilot of two departments, the directions in three waves


def unit_waves(company: Company) -> np.ndarray:
    """Each unit's wave: 0 the pilot (the first two departments and what is under them), then
    the directions round-robin in waves 1..3; the top of the group comes last."""
    parent, depth = company.unit_parent, company.unit_depth
    wave = np.full(parent.size, WAVES, dtype=np.int64)
    pilot = np.flatnonzero(depth == 2)[:2]
    for u in range(1, parent.size):  # BFS order: parents first
        if depth[u] == 1:
            wave[u] = 1 + (u - 1) % WAVES
        elif u in pilot:
            wave[u] = 0
        else:
            wave[u] = wave[parent[u]]
    return wave


def write_waves(company: Company) -> list[int]:
    """The pilot and the waves, as the lead would set them up: whole units."""
    from tremplin.people.models import OrgUnit
    from tremplin.rollout.models import Wave

    parent, depth = company.unit_parent, company.unit_depth
    today = dt.date.today()
    waves = [Wave.objects.create(name="Pilote", pilot=True, starts_on=today - dt.timedelta(700))]
    waves += [
        Wave.objects.create(name=f"Vague {k}", starts_on=today - dt.timedelta(500 - 150 * k))
        for k in range(1, WAVES + 1)
    ]
    pilot = np.flatnonzero(depth == 2)[:2]
    directions = np.flatnonzero(depth == 1)
    waves[0].units.set(OrgUnit.objects.filter(pk__in=(pilot + 1).tolist()))
    for k in range(1, WAVES + 1):
        chosen = directions[(directions - 1) % WAVES == k - 1]
        waves[k].units.set(OrgUnit.objects.filter(pk__in=(chosen + 1).tolist()))
    waves[WAVES].units.add(OrgUnit.objects.get(pk=int(np.flatnonzero(parent < 0)[0]) + 1))
    return [w.pk for w in waves]


def generate(people: int, per_person: int, seed: int = 20261121) -> Generated:
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from tremplin.assessments.models import Campaign, CurrentLevel, Rating
    from tremplin.learning.models import Plan, PlanItem
    from tremplin.people.models import OrgUnit, Person, Site

    if Person.objects.exists() or OrgUnit.objects.exists():
        raise SystemExit("The database already holds people: give an empty one.")
    rng = np.random.default_rng(seed)
    today = timezone.localdate()
    family_ids, target, competence_ids = load_families()
    sites = Site.objects.bulk_create(
        [Site(code=f"S{s:02d}", name=f"Site {s:02d}") for s in range(SITES)]
    )
    site_ids = [s.pk for s in sites]
    campaign_ids = [
        Campaign.objects.create(
            name=f"Campagne {today.year - k}",
            quiz=True,
            opens_on=today - dt.timedelta(days=age),
            closes_on=today - dt.timedelta(days=age - 45),
        ).pk
        for k, age in zip((2, 1, 0), CAMPAIGN_AGES, strict=True)
    ]
    started = time.perf_counter()
    company = generate_company(rng, people, len(family_ids))
    ratings = generate_ratings(rng, company, target, per_person)
    current = consolidate_all(ratings, target.shape[1])
    log(
        f"  arrays: {company.unit_parent.size} units, {ratings.person.size} ratings, "
        f"{current.person.size} current levels in {time.perf_counter() - started:.1f} s"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        with bulk_load(cursor, ["assessments_rating", "assessments_currentlevel"]):
            write_organisation(cursor, company, family_ids, site_ids)
            write_ratings(cursor, ratings, company, competence_ids, campaign_ids, today)
            write_current_levels(cursor, current, competence_ids)
            log(f"  COPY: {time.perf_counter() - started:.1f} s")
        items = write_plans(cursor, rng, company, today)
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [OrgUnit, Person, Rating, CurrentLevel, Plan, PlanItem]
        ):
            cursor.execute(statement)
    log(f"  plans: {items} plan items")
    wave_ids = write_waves(company)
    accounts = create_accounts(company, rng)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have after a load this size
    log(f"  VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")
    return Generated(
        company,
        int(ratings.person.size),
        today - dt.timedelta(days=int(ratings.day.max())),
        accounts,
        family_ids,
        site_ids,
        wave_ids,
        unit_waves(company)[company.unit],
    )
