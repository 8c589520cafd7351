"""Translations are complete: every text of the code is in the French and English catalogues,
none is left empty or fuzzy, and the compiled .mo files match the .po files."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tremplin"
LANGUAGES = ("fr", "en")


def msgids(po: Path) -> set[str]:
    out = subprocess.run(
        ["msgcat", "--no-wrap", "--sort-output", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line[7:-1] for line in out.splitlines() if line.startswith('msgid "')} - {""}


def main() -> int:
    if not shutil.which("msgfmt"):
        print("gettext is not installed (apt-get install gettext)")
        return 1
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "tremplin"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__"))
        subprocess.run(
            [
                str(ROOT / ".venv/bin/django-admin"),
                "makemessages",
                "-l",
                "fr",
                "--no-location",
                "--settings=tremplin.settings",
                f"--pythonpath={tmp}",
            ],
            cwd=copy,
            check=True,
            capture_output=True,
        )
        expected = msgids(copy / "locale/fr/LC_MESSAGES/django.po")
        for language in LANGUAGES:
            po = PACKAGE / f"locale/{language}/LC_MESSAGES/django.po"
            missing = expected - msgids(po)
            if missing:
                problems.append(
                    f"{po}: {len(missing)} texts missing, e.g. {sorted(missing)[:3]}; "
                    "run `make messages` and translate them"
                )
            for flag, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
                out = subprocess.run(
                    ["msgattrib", flag, "--no-obsolete", str(po)],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                count = sum(1 for line in out.splitlines() if line.startswith("msgid ")) - (
                    1 if out else 0
                )
                if count > 0:
                    problems.append(f"{po}: {count} {what} entries")
            compiled = Path(tmp) / f"{language}.mo"
            subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(po)], check=True)
            if compiled.read_bytes() != po.with_suffix(".mo").read_bytes():
                problems.append(f"{po.with_suffix('.mo')} is out of date: run `make messages`")
    for problem in problems:
        print(problem)
    if not problems:
        print(f"ok: {len(expected)} texts, complete in {', '.join(LANGUAGES)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
