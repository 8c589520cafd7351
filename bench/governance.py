"""The AI Act Article 4 dossier at scale, on a throwaway PostgreSQL: N people (3 % external)
in 200 units and 12 job families, 20 AI systems each concerning some families and units,
three years of history — training sessions attended, modules completed, three charter
versions acknowledged, quizzes taken — then the dossier for a day a year ago (rebuilt from
that history), as the lead downloads it: the figures and the workbook with every person.

    .venv/bin/python bench/governance.py                  # 100,000 people
    .venv/bin/python bench/governance.py --people 10000   # a quick run

Then the audit log's cost on page response times (bench/audit_log.py): the same database
served with the log on and off at once, the lead's requests sent to both in turns.

Last line: {"people", "systems", "dossier_s", "xlsx_s", "audit_log_overhead_pct",
"audit_log_overhead_ci95", "audit_p95_ms", "council_quarters", "council_first_s",
"council_next_quarter_s", …}: the council's register at the last quarter end before that day,
audited against every earlier quarter end, as the background worker prepares it (`council_*`).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.audit_log import overhead  # noqa: E402
from bench.company import peak_mb  # noqa: E402
from bench.dashboards import postgres, setup_django  # noqa: E402

UNITS = 200
FAMILIES = 12
SYSTEMS = 20
DAYS = 3 * 365
BATCH = 5000


def build(n: int, rng: np.random.Generator) -> dict[str, Any]:
    from django.utils import timezone

    from tremplin.assessments.quiz_models import QuizSession
    from tremplin.governance.models import Acknowledgement, AISystem, Charter, SystemStatus
    from tremplin.governance.services import save_system
    from tremplin.learning.catalogue import load_default_catalogue
    from tremplin.learning.models import (
        Attendance,
        Enrolment,
        EnrolmentStatus,
        ItemStatus,
        Module,
        Plan,
        PlanItem,
        TrainingSession,
    )
    from tremplin.people.models import JobFamily, OrgUnit, Person
    from tremplin.people.services import refresh_unit_paths
    from tremplin.skills.services import load_default_framework

    load_default_framework()
    load_default_catalogue()
    today = timezone.localdate()
    now = timezone.now()
    root = OrgUnit.objects.create(code="ROOT", name="Root")
    units = [OrgUnit.objects.create(code=f"U{u}", name=f"Unit {u}", parent=root)
             for u in range(UNITS)]  # fmt: skip
    refresh_unit_paths()
    families = [
        JobFamily.objects.get_or_create(
            code=f"F{f}", defaults={"name_fr": f"Famille {f}", "name_en": f"Family {f}"}
        )[0]
        for f in range(FAMILIES)
    ]
    unit_of = rng.integers(0, UNITS, n)
    family_of = rng.integers(0, FAMILIES, n)
    Person.objects.bulk_create(
        [Person(employee_id=f"E{i:06d}", first_name="P", last_name=str(i),
                org_unit=units[unit_of[i]], job_family=families[family_of[i]],
                external=bool(rng.random() < 0.03),
                hire_date=today - datetime.timedelta(days=int(rng.integers(0, 2 * DAYS))))
         for i in range(n)], batch_size=BATCH)  # fmt: skip
    people = np.array(Person.objects.order_by("pk").values_list("pk", flat=True))
    modules = list(Module.objects.order_by("pk"))
    for s in range(SYSTEMS):
        system = AISystem(name=f"System {s}", status=SystemStatus.APPROVED,
                          created_at=now - datetime.timedelta(days=DAYS))  # fmt: skip
        save_system(system=system, by=None)  # its status history from its creation
        if s % 4:  # most concern some families and units; every fourth concerns everyone
            system.families.set(rng.choice(families, 3, replace=False).tolist())
            system.units.set(rng.choice(units, 10, replace=False).tolist())
        system.modules.set(rng.choice(modules, 2, replace=False).tolist())
    for v, age in enumerate((DAYS - 30, 700, 200), 1):
        published = today - datetime.timedelta(days=age)
        charter = Charter.objects.create(version=v, title_fr="C", title_en="C", body_fr="T",
                                         body_en="T", published_on=published)  # fmt: skip
        who = rng.choice(people, int(0.8 * n), replace=False)
        Acknowledgement.objects.bulk_create(
            [Acknowledgement(charter=charter, person_id=int(p),
                             at=now - datetime.timedelta(days=int(rng.integers(0, age))))
             for p in who], batch_size=BATCH)  # fmt: skip
    sessions = TrainingSession.objects.bulk_create(
        [TrainingSession(module=modules[int(rng.integers(0, len(modules)))],
                         starts_at=now - datetime.timedelta(days=int(rng.integers(1, DAYS))),
                         duration_hours=3, capacity=20, language="fr")
         for _ in range(n // 50)], batch_size=BATCH)  # fmt: skip
    seats = rng.choice(people, 3 * n)
    Enrolment.objects.bulk_create(
        [Enrolment(session=sessions[int(rng.integers(0, len(sessions)))], person_id=int(p),
                   status=EnrolmentStatus.ENROLLED, since=now, attendance=Attendance.PRESENT)
         for p in seats], batch_size=BATCH, ignore_conflicts=True)  # fmt: skip
    plans = Plan.objects.bulk_create(
        [Plan(person_id=int(p), starts_in=today.year - 2, objective="") for p in people],
        batch_size=BATCH,
    )
    items = []
    for plan in plans:
        for k, j in enumerate(rng.choice(len(modules), 3, replace=False)):
            done = rng.random() < 0.7
            items.append(PlanItem(
                plan=plan, module=modules[int(j)], position=k, year=today.year - 2,
                status=ItemStatus.DONE if done else ItemStatus.PLANNED,
                completed_on=today - datetime.timedelta(days=int(rng.integers(0, DAYS)))
                if done else None))  # fmt: skip
    PlanItem.objects.bulk_create(items, batch_size=BATCH)
    QuizSession.objects.bulk_create(
        [QuizSession(person_id=int(p), seed=1, status=QuizSession.Status.FINISHED,
                     finished_at=now - datetime.timedelta(days=int(rng.integers(0, DAYS))))
         for p in rng.choice(people, int(1.5 * n))], batch_size=BATCH)  # fmt: skip
    return {"enrolments": Enrolment.objects.count(), "modules_done": int(
        PlanItem.objects.filter(status=ItemStatus.DONE).count()),
        "acknowledgements": Acknowledgement.objects.count(),
        "quizzes": QuizSession.objects.count()}  # fmt: skip


def run(n: int, seed: int) -> dict[str, Any]:
    from django.utils import timezone, translation

    from tremplin.governance import literacy, register_figures

    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    history = build(n, rng)
    built_s = time.perf_counter() - started
    day = timezone.localdate() - datetime.timedelta(days=365)
    with translation.override("fr"):
        started = time.perf_counter()
        dossier = literacy.build(day)
        dossier_s = time.perf_counter() - started
        started = time.perf_counter()
        workbook = literacy.workbook(dossier, register_figures.exact(dossier), people=True)
        xlsx_s = time.perf_counter() - started
        started = time.perf_counter()  # the council's copy: the same tables, protected
        council = register_figures.protected(dossier, 10)
        protected_s = time.perf_counter() - started
        council_view = _council(day)
    hidden = sum(f.text == "—" for line in council.systems + council.families
                 for key, f in line.figures.items() if key != "required")  # fmt: skip
    covered = [r.any_share for r in dossier.systems if r.any_share is not None]
    return {"people": n, "systems": len(dossier.systems), "day": day.isoformat(), **history,
            "history_written_s": round(built_s, 1), "dossier_s": round(dossier_s, 2),
            "xlsx_s": round(xlsx_s, 2), "xlsx_mb": round(len(workbook) / 2**20, 1),
            "total_s": round(dossier_s + xlsx_s, 2), "protected_s": round(protected_s, 2),
            "protected_hidden_figures": hidden,
            "mean_system_coverage": round(float(np.mean(covered)), 3) if covered else None,
            **council_view, "peak_mb": round(peak_mb())}  # fmt: skip


def _council(day: datetime.date) -> dict[str, Any]:
    """The council's register at the last quarter end before `day`, as the background worker
    prepares it (`governance.releases`): the first time, every quarter end since the first
    measure, each audited with every earlier one (`compute.temporal`) and kept; then a new
    quarter alone, the earlier releases read back (what each quarter end costs from then on);
    then the page's read of the kept figures. How many of its figures the audit across
    quarters widened or hid, against the quarter protected alone."""
    from tremplin.governance import literacy, register_figures, releases
    from tremplin.governance.models import RegisterRelease

    *before, last = literacy.quarter_ends_before(day)
    RegisterRelease.objects.all().delete()
    started = time.perf_counter()
    releases.prepare(last, 10)
    first_s = time.perf_counter() - started
    RegisterRelease.objects.filter(day=last).delete()  # the newest quarter, prepared again
    started = time.perf_counter()
    releases.prepare(last, 10)
    next_s = time.perf_counter() - started
    started = time.perf_counter()
    kept = releases.published(last, 10)
    assert kept is not None
    chained = register_figures.tables_of(kept.figures)
    again_s = time.perf_counter() - started
    alone = register_figures.protected(literacy.build(last), 10)
    changed = sum(a.text != b.text for x, y in zip(chained.systems + chained.families,
                                                   alone.systems + alone.families, strict=True)
                  for a, b in zip(x.in_order, y.in_order, strict=True))  # fmt: skip
    figures = sum(len(x.in_order) for x in chained.systems + chained.families)
    sizes = [len(bytes(r.audit)) for r in RegisterRelease.objects.all()]
    return {"council_quarters": len(before) + 1, "council_first_s": round(first_s, 1),
            "council_next_quarter_s": round(next_s, 1), "council_again_s": round(again_s, 3),
            "council_release_mb": round(float(np.mean(sizes)) / 2**20, 2),
            "council_figures": figures, "council_changed_by_quarters": changed}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", default=None, help="a PostgreSQL URL (else a throwaway)")
    parser.add_argument("--rounds", type=int, default=6, help="rounds of the audit-log pairs")
    parser.add_argument("--no-audit", action="store_true", help="skip the audit log's cost")
    options = parser.parse_args()
    with postgres(options.database) as url:
        setup_django(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        found = run(options.people, options.seed)
        if not options.no_audit:
            from tremplin.people.models import Person

            people = list(Person.objects.filter(active=True).values_list("pk", flat=True))
            found |= overhead(url, people, rounds=options.rounds, seed=options.seed)
        print(json.dumps(found))


if __name__ == "__main__":
    main()
