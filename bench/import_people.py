"""Import 100,000 people from a French Excel CSV, then the same file again, on SQLite and
PostgreSQL. Prints one JSON object on its last line.

    .venv/bin/python bench/import_people.py [--rows 100000] [--skip-postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST = [
    "Camille",
    "Léa",
    "Hélène",
    "Jérôme",
    "Loïc",
    "Inès",
    "Thibault",
    "Cécile",
    "Amélie",
    "François",
    "Noémie",
    "Stéphane",
    "Zoé",
    "Benoît",
    "Maëlle",
    "Karim",
    "Samia",
    "Joël",
]
LAST = [
    "Martin",
    "Bernard",
    "Lefèvre",
    "Moreau",
    "Garnier",
    "Da Silva",
    "Le Goff",
    "Nguyen",
    "Roux",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupré",
    "Mercier",
    "Blanc",
    "Guérin",
    "Faure",
]


def make_csv(rows: int, path: Path, seed: int = 7) -> None:
    """A believable hierarchy (spans of about 8), rows shuffled so managers come in any order."""
    rng = random.Random(seed)
    units = [f"Direction {d} / Service {d}-{s}" for d in range(1, 21) for s in range(1, 11)]
    families = [f"Métier {i}" for i in range(1, 21)]
    sites = ["Lyon", "Roanne", "Paris", "Lille", "Nantes"]
    lines = [
        "Matricule;Nom;Prénom;Adresse e-mail;Service;Métier;Établissement;"
        "Matricule du manager;Date d'entrée;Actif;Langue"
    ]
    order = list(range(rows))
    rng.shuffle(order)
    for i in order:
        manager = "" if i == 0 else f"E{(i - 1) // 8:07d}"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1985, 2025)
        lines.append(
            f"E{i:07d};{last};{first};e{i}@exemple.fr;{units[i % len(units)]};"
            f"{families[i % len(families)]};{sites[i % len(sites)]};{manager};"
            f"{day:02d}/{month:02d}/{year};{'non' if i % 50 == 0 else 'oui'};fr"
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def worker(csv_path: str) -> None:
    """Runs in a child process with DATABASE_URL set: migrate, import twice, print timings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from tremplin.people.imports.importer import import_people_file
    from tremplin.people.models import Person

    call_command("migrate", verbosity=0)
    content = Path(csv_path).read_bytes()
    timings = {}
    for key in ("first_s", "second_s"):
        start = time.perf_counter()
        report = import_people_file(content, "bench.csv", {})
        timings[key] = round(time.perf_counter() - start, 2)
        assert report.written and not report.problems, report.problem_lines()[:5]
        if key == "second_s":
            assert report.unchanged == report.total_rows, (report.to_create, report.to_update)
    timings["people"] = Person.objects.count()
    print(json.dumps(timings))


def run_worker(csv_path: Path, database_url: str) -> dict[str, float]:
    env = {**os.environ, "DATABASE_URL": database_url}
    out = subprocess.run(
        [sys.executable, __file__, "--worker", str(csv_path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-postgresql", action="store_true")
    parser.add_argument("--worker")
    options = parser.parse_args()
    if options.worker:
        worker(options.worker)
        return
    sys.path.insert(0, str(ROOT))
    result: dict[str, object] = {"rows": options.rows}
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "people.csv"
        make_csv(options.rows, csv_path)
        print(f"CSV: {csv_path.stat().st_size / 2**20:.1f} MiB, {options.rows} rows", flush=True)
        sqlite = run_worker(csv_path, f"sqlite:///{tmp}/bench.sqlite3")
        print("sqlite", sqlite, flush=True)
        result["sqlite"] = {k: sqlite[k] for k in ("first_s", "second_s")}
        if not options.skip_postgresql:
            script = ROOT / "scripts/postgres.sh"
            env = {
                **os.environ,
                "TREMPLIN_PG_PORT": "54331",
                "TREMPLIN_PG_DIR": f"/tmp/tremplin-bench-pg-{os.getpid()}",
            }
            url = subprocess.run(
                [str(script), "start"], env=env, capture_output=True, text=True, check=True
            ).stdout.strip()
            try:
                postgres = run_worker(csv_path, url)
            finally:
                subprocess.run([str(script), "stop"], env=env, check=False)
            print("postgresql", postgres, flush=True)
            result["postgresql"] = {k: postgres[k] for k in ("first_s", "second_s")}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
