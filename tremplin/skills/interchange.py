"""Framework import and export in JSON and CSV; both round-trip exactly.

JSON holds everything (framework, competences, descriptors, references, persona targets, job
families and their targets). CSV is one row per competence, for editing in a spreadsheet; the
framework's own code, version and names are given beside the file (form fields or CLI options).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.lengths import too_long
from tremplin.people.models import JobFamily, Persona
from tremplin.skills.models import (
    LEVELS,
    Competence,
    Framework,
    JobFamilyTarget,
    LevelDescriptor,
    PersonaTarget,
    Tier,
)
from tremplin.spreadsheets import safe_cell

FORMAT = "tremplin-framework"
PERSONAS = [p.value for p in Persona]
TIERS = [t.value for t in Tier]
REFERENCE_SEPARATOR = " | "


@dataclass
class FrameworkProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class FrameworkFormatError(Exception):
    problems: list[FrameworkProblem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(map(str, self.problems))


# ---------------------------------------------------------------- export


def framework_to_dict(framework: Framework) -> dict[str, Any]:
    competences = list(
        framework.competences.prefetch_related("descriptors", "persona_targets").order_by(
            "order", "code"
        )
    )
    persona_targets: dict[str, dict[str, int]] = {p: {} for p in PERSONAS}
    for competence in competences:
        for persona_target in competence.persona_targets.all():
            persona_targets[persona_target.persona][competence.code] = persona_target.level
    job_targets = (
        JobFamilyTarget.objects.filter(competence__framework=framework)
        .select_related("job_family", "competence")
        .order_by("job_family__code", "competence__order", "competence__code")
    )
    families: dict[str, dict[str, Any]] = {}
    for target in job_targets:
        family = target.job_family
        entry = families.setdefault(
            family.code,
            {
                "code": family.code,
                "name_fr": family.name_fr,
                "name_en": family.name_en,
                "persona": family.persona,
                "targets": [],
            },
        )
        entry["targets"].append(
            {
                "competence": target.competence.code,
                "level": target.level,
                "weight": float(target.weight),
                "priority": target.priority,
            }
        )
    return {
        "format": FORMAT,
        "format_version": 1,
        "framework": {
            "code": framework.code,
            "version": framework.version,
            "name_fr": framework.name_fr,
            "name_en": framework.name_en,
            "description_fr": framework.description_fr,
            "description_en": framework.description_en,
        },
        "competences": [
            {
                "code": c.code,
                "tier": c.tier,
                "order": c.order,
                "name_fr": c.name_fr,
                "name_en": c.name_en,
                "description_fr": c.description_fr,
                "description_en": c.description_en,
                "levels": [
                    {"level": d.level, "fr": d.text_fr, "en": d.text_en}
                    for d in sorted(c.descriptors.all(), key=lambda d: d.level)
                ],
                "references": [  # PostgreSQL gives an object's keys back shortest first
                    {k: r[k] for k in ("framework", "ref") if k in r} | r for r in c.references
                ],
            }
            for c in competences
        ],
        "persona_targets": persona_targets,
        "job_families": list(families.values()),
    }


def framework_to_json(framework: Framework) -> str:
    return json.dumps(framework_to_dict(framework), ensure_ascii=False, indent=2) + "\n"


def csv_header(job_family_codes: list[str]) -> list[str]:
    columns = ["code", "tier", "order", "name_fr", "name_en", "description_fr", "description_en"]
    columns += [f"level{level}_{lang}" for level in LEVELS for lang in ("fr", "en")]
    columns += ["references"] + [f"target_{p}" for p in PERSONAS]
    for code in job_family_codes:
        columns += [f"target_{code}", f"weight_{code}", f"priority_{code}"]
    return columns


def format_weight(weight: Decimal | float) -> str:
    return format(Decimal(str(weight)).normalize(), "f")


def framework_to_csv(framework: Framework) -> str:
    """French Excel dialect: `;` separated, to be written with a UTF-8 BOM."""
    data = framework_to_dict(framework)
    families = {f["code"]: {t["competence"]: t for t in f["targets"]} for f in data["job_families"]}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in csv_header(list(families))])
    for c in data["competences"]:
        levels = {d["level"]: d for d in c["levels"]}
        row = [c["code"], c["tier"], c["order"], c["name_fr"], c["name_en"]]
        row += [c["description_fr"], c["description_en"]]
        row += [levels[level][lang] for level in LEVELS for lang in ("fr", "en")]
        row.append(
            REFERENCE_SEPARATOR.join(f"{r['framework']}: {r['ref']}" for r in c["references"])
        )
        row += [data["persona_targets"][p].get(c["code"], "") for p in PERSONAS]
        for targets in families.values():
            target = targets.get(c["code"])
            if target is None:
                row += ["", "", ""]
            else:
                row += [target["level"], format_weight(target["weight"]), int(target["priority"])]
        writer.writerow([safe_cell(v) for v in row])  # no cell read as a formula
    return out.getvalue()


# ---------------------------------------------------------------- import


def framework_dict_from_csv(rows: list[list[str]], meta: dict[str, str]) -> dict[str, Any]:
    """Turn decoded CSV rows (header first) into the JSON structure, with row-level errors."""
    problems: list[FrameworkProblem] = []
    if not rows:
        raise FrameworkFormatError([FrameworkProblem(_("file"), _("the file has no header row"))])
    header = [h.strip() for h in rows[0]]
    required = csv_header([])
    missing = [c for c in required if c not in header]
    if missing:
        raise FrameworkFormatError(
            [FrameworkProblem(_("header"), _("missing columns: %s") % ", ".join(missing))]
        )
    family_codes = [h[len("target_") :] for h in header if h.startswith("target_")]
    family_codes = [code for code in family_codes if code not in PERSONAS]
    existing = {jf.code: jf for jf in JobFamily.objects.filter(code__in=family_codes)}
    for code in family_codes:
        if code not in existing:
            problems.append(
                FrameworkProblem(
                    _("column %s") % f"target_{code}",
                    _("unknown job family %s (create it first, or import the JSON format)") % code,
                )
            )
    index = {name: i for i, name in enumerate(header)}
    competences = []
    persona_targets: dict[str, dict[str, int]] = {p: {} for p in PERSONAS}
    family_targets: dict[str, list[dict[str, Any]]] = {code: [] for code in family_codes}
    for number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        row = raw + [""] * (len(header) - len(raw))

        def cell(column: str, row: list[str] = row) -> str:
            return row[index[column]]

        def where(column: str, number: int = number) -> str:
            return _("row %(row)s, column %(column)s") % {"row": number, "column": column}

        code = cell("code").strip()
        references = []
        for part in filter(
            None, (p.strip() for p in cell("references").split(REFERENCE_SEPARATOR))
        ):
            name, sep, ref = part.partition(": ")
            if not sep:
                problems.append(
                    FrameworkProblem(where("references"), _("expected “Framework: reference”"))
                )
            references.append({"framework": name, "ref": ref})
        competences.append(
            {
                "code": code,
                "tier": cell("tier").strip(),
                "order": _int(cell("order"), where("order"), problems, 0, 10**9),
                "name_fr": cell("name_fr"),
                "name_en": cell("name_en"),
                "description_fr": cell("description_fr"),
                "description_en": cell("description_en"),
                "levels": [
                    {"level": lv, "fr": cell(f"level{lv}_fr"), "en": cell(f"level{lv}_en")}
                    for lv in LEVELS
                ],
                "references": references,
            }
        )
        for persona in PERSONAS:
            value = cell(f"target_{persona}").strip()
            if value:
                persona_targets[persona][code] = _int(
                    value, where(f"target_{persona}"), problems, 0, 4
                )
        for family in family_codes:
            value = cell(f"target_{family}").strip()
            if not value:
                continue
            weight_text = (cell(f"weight_{family}") if f"weight_{family}" in index else "") or "1"
            priority_text = cell(f"priority_{family}") if f"priority_{family}" in index else ""
            family_targets[family].append(
                {
                    "competence": code,
                    "level": _int(value, where(f"target_{family}"), problems, 0, 4),
                    "weight": _weight(weight_text, where(f"weight_{family}"), problems),
                    "priority": priority_text.strip().lower() in {"1", "true", "oui", "yes", "x"},
                }
            )
    if problems:
        raise FrameworkFormatError(problems)
    return {
        "format": FORMAT,
        "format_version": 1,
        "framework": meta,
        "competences": competences,
        "persona_targets": persona_targets,
        "job_families": [
            {
                "code": code,
                "name_fr": existing[code].name_fr,
                "name_en": existing[code].name_en,
                "persona": existing[code].persona,
                "targets": targets,
            }
            for code, targets in family_targets.items()
            if targets
        ],
    }


def _int(text: Any, where: str, problems: list[FrameworkProblem], low: int, high: int) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        problems.append(
            FrameworkProblem(
                where,
                _("expected a whole number from %(low)s to %(high)s, got “%(value)s”")
                % {"low": low, "high": high, "value": text},
            )
        )
        return low
    return value


def _weight(text: str, where: str, problems: list[FrameworkProblem]) -> float:
    try:
        value = Decimal(str(text).strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not Decimal(0) <= value <= Decimal(10):
        problems.append(
            FrameworkProblem(where, _("expected a weight from 0 to 10, got “%s”") % text)
        )
        return 1.0
    return float(value)


LONG = gettext_lazy("“%(field)s” holds at most %(most)s characters")


def validate_framework_dict(data: Any) -> list[FrameworkProblem]:
    problems: list[FrameworkProblem] = []

    def add(where: str, message: str) -> None:
        problems.append(FrameworkProblem(where, message))

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        add(_("file"), _('not a Tremplin framework file (expected "format": "%s")') % FORMAT)
        return problems
    meta = data.get("framework") or {}
    for key in ("code", "version", "name_fr", "name_en"):
        if not str(meta.get(key, "")).strip():
            add("framework", _("“%s” is required") % key)
    for key, most in too_long(Framework, meta, ("code", "version", "name_fr", "name_en")):
        add("framework", LONG % {"field": key, "most": most})
    codes: set[str] = set()
    for position, c in enumerate(data.get("competences") or [], start=1):
        where = _("competence %s") % (c.get("code") or f"#{position}")
        code = str(c.get("code", "")).strip()
        if not code:
            add(where, _("the code is empty"))
        elif code in codes:
            add(where, _("the code appears twice"))
        codes.add(code)
        if c.get("tier") not in TIERS:
            add(where, _("tier must be one of %s") % ", ".join(TIERS))
        for key in ("name_fr", "name_en"):
            if not str(c.get(key, "")).strip():
                add(where, _("“%s” is required") % key)
        for key, most in too_long(Competence, c, ("code", "name_fr", "name_en")):
            add(where, LONG % {"field": key, "most": most})
        if not isinstance(c.get("order", 0), int) or not 0 <= c.get("order", 0) <= 1_000_000:
            add(where, _("the order is a whole number from 0 to 1,000,000"))
        if any(d.get("level") not in LEVELS for d in c.get("levels") or []):
            add(where, _("levels are 0 to 4"))
        levels = {d.get("level"): d for d in c.get("levels") or []}
        for level in LEVELS:
            descriptor = levels.get(level) or {}
            for lang in ("fr", "en"):
                if not str(descriptor.get(lang, "")).strip():
                    add(
                        where,
                        _("level %(level)s has no %(lang)s descriptor")
                        % {"level": level, "lang": lang},
                    )
        for ref in c.get("references") or []:
            if not str(ref.get("framework", "")).strip() or not str(ref.get("ref", "")).strip():
                add(where, _("a reference needs both a framework and a reference"))
            elif REFERENCE_SEPARATOR.strip() in f"{ref['framework']}{ref['ref']}":
                add(where, _("a reference may not contain “|”"))
    if not codes:
        add(_("file"), _("the framework has no competence"))
    for persona, targets in (data.get("persona_targets") or {}).items():
        if persona not in PERSONAS:
            add(_("persona targets"), _("unknown persona %s") % persona)
            continue
        for code, level in targets.items():
            if code not in codes:
                add(_("persona %s") % persona, _("unknown competence %s") % code)
            elif not isinstance(level, int) or not 0 <= level <= 4:
                add(_("persona %s") % persona, _("target of %s must be 0 to 4") % code)
    for family in data.get("job_families") or []:
        where = _("job family %s") % family.get("code", "?")
        if not str(family.get("code", "")).strip():
            add(where, _("the code is empty"))
        for key, most in too_long(JobFamily, family, ("code", "name_fr", "name_en")):
            add(where, LONG % {"field": key, "most": most})
        if family.get("persona") not in PERSONAS:
            add(where, _("persona must be one of %s") % ", ".join(PERSONAS))
        for target in family.get("targets") or []:
            if target.get("competence") not in codes:
                add(where, _("unknown competence %s") % target.get("competence"))
            if not isinstance(target.get("level"), int) or not 0 <= target["level"] <= 4:
                add(where, _("target of %s must be 0 to 4") % target.get("competence"))
            weight = target.get("weight", 1)
            if not isinstance(weight, int | float) or not 0 <= weight <= 10:
                add(where, _("weight of %s must be 0 to 10") % target.get("competence"))
    return problems


@transaction.atomic
def import_framework(data: Any, *, replace: bool = False, activate: bool = False) -> Framework:
    """Create (or with `replace`, update in place) the framework described by `data`.

    Nothing is written when the data has a problem: FrameworkFormatError lists them all.
    """
    problems = validate_framework_dict(data)
    if problems:
        raise FrameworkFormatError(problems)
    meta = data["framework"]
    framework = Framework.objects.filter(code=meta["code"], version=meta["version"]).first()
    if framework is not None and not replace:
        raise FrameworkFormatError(
            [
                FrameworkProblem(
                    "framework",
                    _("version %(version)s of %(code)s already exists: choose a new version")
                    % {"version": meta["version"], "code": meta["code"]},
                )
            ]
        )
    if framework is None:
        framework = Framework(code=meta["code"], version=meta["version"])
    for key in ("name_fr", "name_en", "description_fr", "description_en"):
        setattr(framework, key, meta.get(key, ""))
    framework.save()
    kept = {c["code"] for c in data["competences"]}
    framework.competences.exclude(code__in=kept).delete()
    by_code = {c.code: c for c in framework.competences.all()}
    for entry in data["competences"]:
        competence = by_code.get(entry["code"]) or Competence(
            framework=framework, code=entry["code"]
        )
        for key in ("tier", "order", "name_fr", "name_en", "description_fr", "description_en"):
            setattr(competence, key, entry.get(key, "") if key != "order" else entry.get(key, 0))
        competence.references = [
            {"framework": r["framework"], "ref": r["ref"]} for r in entry.get("references") or []
        ]
        competence.save()
        by_code[competence.code] = competence
    LevelDescriptor.objects.filter(competence__framework=framework).delete()
    LevelDescriptor.objects.bulk_create(
        LevelDescriptor(
            competence=by_code[c["code"]], level=d["level"], text_fr=d["fr"], text_en=d["en"]
        )
        for c in data["competences"]
        for d in c["levels"]
    )
    PersonaTarget.objects.filter(competence__framework=framework).delete()
    PersonaTarget.objects.bulk_create(
        PersonaTarget(competence=by_code[code], persona=persona, level=level)
        for persona, targets in data.get("persona_targets", {}).items()
        for code, level in targets.items()
    )
    JobFamilyTarget.objects.filter(competence__framework=framework).delete()
    for entry in data.get("job_families") or []:
        family, _created = JobFamily.objects.get_or_create(
            code=entry["code"],
            defaults={
                "name_fr": entry.get("name_fr") or entry["code"],
                "name_en": entry.get("name_en") or entry["code"],
                "persona": entry["persona"],
            },
        )
        JobFamilyTarget.objects.bulk_create(
            JobFamilyTarget(
                competence=by_code[t["competence"]],
                job_family=family,
                level=t["level"],
                weight=Decimal(str(t.get("weight", 1))),
                priority=bool(t.get("priority")),
            )
            for t in entry.get("targets") or []
        )
    if activate:
        activate_framework(framework)
    return framework


def activate_framework(framework: Framework) -> None:
    Framework.objects.exclude(pk=framework.pk).filter(is_active=True).update(is_active=False)
    Framework.objects.filter(pk=framework.pk).update(is_active=True)
    framework.is_active = True
