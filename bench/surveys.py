"""Survey results at scale, on a throwaway PostgreSQL: N respondents × 20 questions of a
confidential survey over three waves and eight departments.

Times (1) storing the responses as the answering service writes them (one JSON row each, in
batches), (2) building the results publication for the company's audiences with its audit
(`voice.results.build_result`), (3) rendering the results page as the works council (p95 over
repeated requests through Django's test client, the stored result read each time); then a
fresh audit of the stored publication counts the leaks left after protection (0 expected).

    .venv/bin/python bench/surveys.py                 # 100,000 respondents
    .venv/bin/python bench/surveys.py --people 5000   # a quick run

Last line: {"respondents", "store_s", "publication_s", "results_p95_ms", "leaks_after_protection"}.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dashboards import postgres, setup_django  # noqa: E402

WAVES = 3
DEPARTMENTS = 8
PAGE_REQUESTS = 40


def questions() -> dict[str, Any]:
    """20 questions: 12 Likert items, 3 scales 0–10, 3 single choices, 2 free texts."""
    found: list[dict[str, Any]] = []
    for i in range(12):
        found.append({"key": f"l{i}", "kind": "likert5"})
    for i in range(3):
        found.append({"key": f"s{i}", "kind": "scale10"})
    options = [{"key": k, "fr": k, "en": k} for k in ("a", "b", "c", "d")]
    for i in range(3):
        found.append({"key": f"c{i}", "kind": "single", "options": options})
    for i in range(2):
        found.append({"key": f"t{i}", "kind": "text", "required": False})
    for q in found:
        q |= {"text_fr": f"Question {q['key']}", "text_en": f"Question {q['key']}",
              "required": q.get("required", True)}  # fmt: skip
    return {"code": "bench", "title_fr": "Banc", "title_en": "Bench", "anonymity": "confidential",
            "questions": found}  # fmt: skip


def run(n: int) -> dict[str, Any]:
    import random

    import numpy as np
    from django.test import Client
    from django.utils import timezone

    from tremplin.compute.disclosure import protect
    from tremplin.compute.survey_results import build
    from tremplin.people.models import OrgUnit, Person, Role, RoleAssignment
    from tremplin.people.services import refresh_unit_paths
    from tremplin.rollout.models import Wave
    from tremplin.voice import services
    from tremplin.voice.models import Invitation, Response, Survey
    from tremplin.voice.results import build_result, items_of, respondents, splits_of

    rng = random.Random(7)
    root = OrgUnit.objects.create(code="ROOT", name="Root")
    departments = [OrgUnit.objects.create(code=f"D{d}", name=f"D{d}", parent=root)
                   for d in range(DEPARTMENTS)]  # fmt: skip
    refresh_unit_paths()
    Person.objects.bulk_create(
        [Person(employee_id=f"E{i:06d}", first_name="P", last_name=str(i),
                org_unit=departments[i % DEPARTMENTS]) for i in range(n)],
        batch_size=5000,
    )  # fmt: skip
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for w in range(WAVES):
        wave = Wave.objects.create(name=f"Wave {w + 1}", pilot=w == 0)
        wave.people.set(ids[w::WAVES])
    survey = services.create_survey(questions(), by=None)
    now = timezone.now()
    closes = now + datetime.timedelta(days=9)
    Survey.objects.filter(pk=survey.pk).update(sent_at=now, opens_at=now, invited=n,
                                               closes_at=closes)  # fmt: skip
    Invitation.objects.bulk_create([Invitation(survey=survey, person_id=p) for p in ids],
                                   batch_size=5000)  # fmt: skip
    answers = []
    for i in range(n):
        lean = (i % DEPARTMENTS) / DEPARTMENTS  # departments differ, so the splits show it
        given: dict[str, object] = {}
        for q in range(12):
            given[f"l{q}"] = min(5, max(1, round(rng.gauss(2.5 + 1.5 * lean, 1))))
        for q in range(3):
            given[f"s{q}"] = min(10, max(0, round(rng.gauss(6 + 2 * lean, 2))))
        for q in range(3):
            given[f"c{q}"] = rng.choice("abcd")
        for q in range(2):
            given[f"t{q}"] = f"comment {i}" if rng.random() < 0.05 else ""
        answers.append({k: v for k, v in given.items() if v != ""})
    started = time.perf_counter()
    for first in range(0, n, 2000):
        Response.objects.bulk_create([
            Response(survey=survey, person_id=ids[i], answers=answers[i])
            for i in range(first, min(n, first + 2000))
        ])  # fmt: skip
    Survey.objects.filter(pk=survey.pk).update(answered=n)
    store = time.perf_counter() - started

    started = time.perf_counter()
    build_result(Survey.objects.get(pk=survey.pk))
    publication_s = time.perf_counter() - started

    from django.contrib.auth.models import User

    reader = User.objects.create_user("council", password="x")
    RoleAssignment.objects.create(user=reader, role=Role.WORKS_COUNCIL)
    client = Client()
    client.force_login(reader)
    url = f"/voice/surveys/{survey.pk}/results/"
    assert client.get(url).status_code == 200
    times = []
    for _ in range(PAGE_REQUESTS):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - started)

    answers = list(survey.responses.order_by("pk").values_list("answers", flat=True))
    publication, _report, values = build("company", items_of(survey), answers,
                                         splits_of(respondents(survey)), 10)  # fmt: skip
    leaks = protect(copy.deepcopy(publication), lambda name, _p: values[name]).leaks_found
    return {"respondents": n, "questions": 20, "waves": WAVES, "store_s": round(store, 2),
            "publication_s": round(publication_s, 2),
            "results_p95_ms": round(1000 * float(np.percentile(times, 95)), 1),
            "leaks_after_protection": leaks}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    options = parser.parse_args()
    with postgres(None) as url:
        env = {**os.environ, "DATABASE_URL": url,
               "TREMPLIN_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend"}  # fmt: skip
        subprocess.run([str(ROOT / ".venv/bin/tremplin"), "migrate", "-v0"], env=env, check=True)
        child = subprocess.run([sys.executable, __file__, "--child", str(options.people)],
                               env=env, capture_output=True, text=True, check=False)  # fmt: skip
        if child.returncode:
            raise SystemExit(child.stderr[-3000:])
        print(child.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        setup_django(os.environ["DATABASE_URL"])
        print(json.dumps(run(int(sys.argv[2]))))
    else:
        main()
