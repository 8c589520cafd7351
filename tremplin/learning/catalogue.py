"""Training catalogue interchange (JSON, the shipped format; CSV for spreadsheets), checked
before anything is written, and the bridge to the optimiser in `compute.plans`.

Modules are matched on their code: importing again updates them and replaces their
prerequisites and the competences they raise. A file is saved whole or not at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.compute import plans
from tremplin.learning.models import (
    FORMAT_ORDER,
    Delivery,
    Module,
    ModuleFormat,
    ModuleRaise,
    ModuleType,
)
from tremplin.lengths import too_long
from tremplin.skills.models import Competence, Framework
from tremplin.skills.queries import active_framework
from tremplin.spreadsheets import (
    FileProblems,
    SpreadsheetError,
    cell_text,
    csv_bytes,
    expected,
    read_table,
)
from tremplin.uploads import UploadError, read_json

DEFAULT_CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "catalogue" / "default.json"
FORMAT = "tremplin-catalogue"
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$")
RAISE = re.compile(r"^(?P<competence>[^:\s]+):(?P<low>\d)-(?P<high>\d)$")
TEXT_FIELDS = ("title_fr", "title_en")
BATCH = 1000  # rows per statement when the modules are written
CSV_COLUMNS = [
    "code",
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "provider",
    "type",
    "format",
    "duration_hours",
    "cost_per_seat",
    "languages",
    "delivery",
    "prerequisites",
    "raises",
]
MODULE_FIELDS = [c for c in CSV_COLUMNS if c not in ("code", "prerequisites", "raises")]


class CatalogueError(FileProblems):
    pass


def _decimal(raw: Any) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _words(raw: Any) -> list[str]:
    if isinstance(raw, list):
        return [str(x).strip() for x in raw if str(x).strip()]
    return str(raw or "").replace(",", " ").replace(";", " ").split()


def check_module(
    row: dict[str, Any], where: str, known: set[str]
) -> tuple[dict[str, Any], list[str]]:
    """Normalise one module; problems say where, which field and what was expected."""
    problems: list[str] = []

    def problem(field: str, what: str) -> None:
        problems.append(expected(where, field, what))

    module: dict[str, Any] = {"code": str(row.get("code") or "").strip()}
    if not CODE.match(module["code"]):
        problem("code", _("a code of letters, digits and hyphens, 30 characters at most"))
    for field in TEXT_FIELDS:
        module[field] = str(row.get(field) or "").strip()
        if not module[field]:
            problem(field, _("a text"))
    for field in ("description_fr", "description_en", "provider"):
        module[field] = str(row.get(field) or "").strip()
    for field, most in too_long(Module, module, [*TEXT_FIELDS, "provider"]):
        problem(field, _("a text of %(most)s characters at most") % {"most": most})
    for field, choices in (
        ("type", ModuleType),
        ("format", ModuleFormat),
        ("delivery", Delivery),
    ):
        module[field] = str(row.get(field) or "").strip().lower()
        if module[field] not in choices.values:
            problem(field, _("one of %(values)s") % {"values": ", ".join(choices.values)})
    hours = _decimal(row.get("duration_hours"))
    if hours is None or hours <= 0 or hours > 2000:
        problem("duration_hours", _("a positive number of hours"))
    module["duration_hours"] = hours
    cost = _decimal(row.get("cost_per_seat") if row.get("cost_per_seat") != "" else 0)
    if cost is None or cost < 0 or cost >= 10_000_000:  # the column's 7 digits before the point
        problem("cost_per_seat", _("an amount in euros, zero or more"))
    module["cost_per_seat"] = cost
    module["languages"] = [x.lower() for x in _words(row.get("languages"))]
    if not module["languages"] or any(x not in ("fr", "en") for x in module["languages"]):
        problem("languages", _("fr, en or both"))
    module["prerequisites"] = _words(row.get("prerequisites"))
    raises = row.get("raises") or []
    if isinstance(raises, str):
        parsed = []
        for word in _words(raises):
            match = RAISE.match(word)
            if match is None:
                problem("raises", _('competence:from-to, for example "T2-PROMPT:1-2"'))
                continue
            parsed.append(
                {
                    "competence": match["competence"],
                    "from": int(match["low"]),
                    "to": int(match["high"]),
                }
            )
        raises = parsed
    module["raises"] = []
    for entry in raises:
        code = str(entry.get("competence", "")).strip()
        low, high = entry.get("from"), entry.get("to")
        if code not in known:
            problem(
                "raises",
                _("a competence of the active framework (unknown: %(code)s)") % {"code": code},
            )
        elif not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 4):
            problem(
                "raises",
                _("levels from 0 to 4 with from below to (%(code)s: %(low)s→%(high)s)")
                % {"code": code, "low": low, "high": high},
            )
        else:
            module["raises"].append((code, low, high))
    if not raises:
        problem("raises", _("at least one competence the module raises"))
    if len({c for c, _, _ in module["raises"]}) != len(module["raises"]):
        problem("raises", _("each competence once"))
    return module, problems


def check_modules(rows: Iterable[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    framework = active_framework()
    known = set(framework.competences.values_list("code", flat=True)) if framework else set()
    modules: list[dict[str, Any]] = []
    problems: list[str] = []
    where_of: dict[str, str] = {}
    for where, row in rows:
        module, found = check_module(row, where, known)
        if module["code"] in where_of:
            found.append(_("%(where)s, code: %(code)s appears twice.") % {"where": where, **module})
        where_of.setdefault(module["code"], where)
        problems += found
        modules.append(module)
    if not modules:
        raise CatalogueError([_("The file holds no modules.")])
    # Prerequisites: in the file or already in the catalogue, and never in a cycle.
    stored = {
        m.code: [p.code for p in m.prerequisites.all()]
        for m in Module.objects.exclude(code__in=list(where_of)).prefetch_related("prerequisites")
    }
    graph = {**stored, **{m["code"]: m["prerequisites"] for m in modules}}
    for module in modules:
        unknown = [p for p in module["prerequisites"] if p not in graph]
        if unknown:
            problems.append(
                _("%(where)s, prerequisites: expected module codes (unknown: %(codes)s).")
                % {"where": where_of[module["code"]], "codes": ", ".join(unknown)}
            )
    if not problems:
        codes = list(graph)
        index = {code: i for i, code in enumerate(codes)}
        cycle = plans.prerequisite_cycle([[index[p] for p in graph[c]] for c in codes])
        if cycle:
            names = " → ".join(codes[i] for i in [*cycle, cycle[0]])
            problems.append(
                _("Prerequisites go round in a circle: %(cycle)s. Remove one of them.")
                % {"cycle": names}
            )
    if problems:
        raise CatalogueError(problems)
    return modules


def parse_json(data: bytes) -> list[dict[str, Any]]:
    try:
        document = read_json(data)
    except UploadError as error:
        raise CatalogueError([str(error)]) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CatalogueError([_('Not a Tremplin catalogue (expected "format": "%s").') % FORMAT])
    rows = document.get("modules")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise CatalogueError([_('"modules" must be a list of objects.')])
    return check_modules((_("module %(n)s") % {"n": n}, row) for n, row in enumerate(rows, 1))


def parse_csv(data: bytes, filename: str = "catalogue.csv") -> list[dict[str, Any]]:
    try:
        table = read_table(data, filename)
    except SpreadsheetError as error:
        raise CatalogueError([str(error)]) from error
    header = [cell_text(h).strip().lower() for h in table.header]
    required = ("code", "title_fr", "title_en", "type", "format", "duration_hours", "raises")
    missing = [c for c in required if c not in header]
    if missing:
        raise CatalogueError([_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}])
    return check_modules(
        (
            _("row %(n)s") % {"n": number},
            dict(zip(header, [cell_text(c) for c in cells], strict=False)),
        )
        for number, cells in table.rows
    )


def save_modules(modules: list[dict[str, Any]], framework: Framework) -> tuple[int, int]:
    """Create or update modules by code, all or nothing; returns (created, updated). Written in
    batches: a few statements whatever the number of modules, not several per module."""
    competences = {c.code: c for c in framework.competences.all()}
    with transaction.atomic():
        existing = {m.code: m for m in Module.objects.filter(code__in=[m["code"] for m in modules])}
        saved: dict[str, Module] = {}
        for data in modules:
            module = existing.get(data["code"]) or Module(code=data["code"])
            for field in MODULE_FIELDS:
                setattr(module, field, data[field])
            saved[module.code] = module
        fresh = [m for m in saved.values() if m.pk is None]
        Module.objects.bulk_create(fresh, batch_size=BATCH)
        Module.objects.bulk_update(
            [m for m in saved.values() if m.code in existing], MODULE_FIELDS, batch_size=BATCH
        )
        ModuleRaise.objects.filter(module__in=saved.values()).delete()
        ModuleRaise.objects.bulk_create(
            (
                ModuleRaise(
                    module=saved[d["code"]],
                    competence=competences[c],
                    from_level=low,
                    to_level=high,
                )
                for d in modules
                for c, low, high in d["raises"]
            ),
            batch_size=BATCH,
        )
        named = {p for d in modules for p in d["prerequisites"]}
        ids = dict(Module.objects.filter(code__in=named).values_list("code", "pk"))
        needs = Module.prerequisites.through
        needs.objects.filter(from_module__in=saved.values()).delete()
        needs.objects.bulk_create(
            (
                needs(from_module_id=saved[d["code"]].pk, to_module_id=ids[p])
                for d in modules
                for p in dict.fromkeys(d["prerequisites"])
            ),
            batch_size=BATCH,
        )
    return len(fresh), len(saved) - len(fresh)


def load_default_catalogue() -> tuple[int, int]:
    framework = active_framework()
    if framework is None:
        raise CatalogueError([_("Load a competency framework first.")])
    return save_modules(parse_json(DEFAULT_CATALOGUE.read_bytes()), framework)


def _rows(modules: Iterable[Module]) -> list[dict[str, Any]]:
    return [
        {
            "code": m.code,
            "title_fr": m.title_fr,
            "title_en": m.title_en,
            "description_fr": m.description_fr,
            "description_en": m.description_en,
            "provider": m.provider,
            "type": m.type,
            "format": m.format,
            "duration_hours": float(m.duration_hours),
            "cost_per_seat": float(m.cost_per_seat),
            "languages": m.languages,
            "delivery": m.delivery,
            "prerequisites": sorted(p.code for p in m.prerequisites.all()),
            "raises": [
                {"competence": r.competence.code, "from": r.from_level, "to": r.to_level}
                for r in m.raises.all()
            ],
        }
        for m in modules
    ]


def _exported() -> Iterable[Module]:
    return Module.objects.prefetch_related("prerequisites", "raises__competence")


def export_json() -> bytes:
    document = {"format": FORMAT, "format_version": 1, "modules": _rows(_exported())}
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def export_csv() -> bytes:
    rows = []
    for row in _rows(_exported()):
        row["languages"] = " ".join(row["languages"])
        row["prerequisites"] = " ".join(row["prerequisites"])
        row["raises"] = " ".join(f"{r['competence']}:{r['from']}-{r['to']}" for r in row["raises"])
        rows.append([row[c] for c in CSV_COLUMNS])
    return csv_bytes(CSV_COLUMNS, rows)


# --- the optimiser's view of the catalogue ------------------------------------------------


@dataclass
class CatalogueArrays:
    catalogue: plans.Catalogue
    modules: list[Module]  # index -> module
    competences: list[Competence]  # index -> competence
    index_of_module: dict[int, int]  # module pk -> index
    index_of_competence: dict[int, int]  # competence pk -> index


def _available(modules: list[Module]) -> list[Module]:
    """The active modules whose prerequisites are all available: a module that needs a
    withdrawn one cannot be taken either."""
    kept = {m.pk for m in modules}
    changed = True
    while changed:
        before = len(kept)
        kept = {
            m.pk
            for m in modules
            if m.pk in kept and all(p.pk in kept for p in m.prerequisites.all())
        }
        changed = len(kept) != before
    return [m for m in modules if m.pk in kept]


def catalogue_arrays(framework: Framework) -> CatalogueArrays:
    """The active modules as the optimiser sees them, competences in framework order."""
    competences = list(framework.competences.order_by("order", "code"))
    index_of_competence = {c.pk: i for i, c in enumerate(competences)}
    modules = _available(
        list(
            Module.objects.filter(active=True)
            .prefetch_related("prerequisites", "raises")
            .order_by("code")
        )
    )
    index_of_module = {m.pk: i for i, m in enumerate(modules)}
    compute_modules = [
        plans.Module(
            code=m.code,
            hours=float(m.duration_hours),
            cost=float(m.cost_per_seat),
            raises=tuple(
                (index_of_competence[r.competence_id], r.from_level, r.to_level)
                for r in m.raises.all()
                if r.competence_id in index_of_competence
            ),
            prerequisites=tuple(index_of_module[p.pk] for p in m.prerequisites.all()),
            languages=sum(plans.LANGUAGE_BITS.get(x, 0) for x in set(m.languages)),
            order=FORMAT_ORDER.get(ModuleFormat(m.format), 9),
        )
        for m in modules
    ]
    return CatalogueArrays(
        plans.Catalogue(compute_modules, len(competences)),
        modules,
        competences,
        index_of_module,
        index_of_competence,
    )
