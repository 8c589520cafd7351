"""The fields a people file can hold and the French and English headers that name them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELDS: dict[str, object] = {
    "employee_id": gettext_lazy("employee id"),
    "last_name": gettext_lazy("last name"),
    "first_name": gettext_lazy("first name"),
    "email": gettext_lazy("e-mail"),
    "org_unit": gettext_lazy("org unit"),
    "job_family": gettext_lazy("job family"),
    "site": gettext_lazy("site"),
    "manager": gettext_lazy("manager's employee id"),
    "hire_date": gettext_lazy("hire date"),
    "active": gettext_lazy("active"),
    "external": gettext_lazy("external (contractor, temporary)"),
    "preferred_language": gettext_lazy("preferred language"),
    "roles": gettext_lazy("roles"),
}
REQUIRED = ("employee_id", "last_name", "first_name")
IGNORE = "ignore"

SYNONYMS = {
    "employee_id": [
        "matricule",
        "matricule salarie",
        "id salarie",
        "identifiant",
        "identifiant salarie",
        "n salarie",
        "no salarie",
        "numero salarie",
        "code salarie",
        "employee id",
        "employee number",
        "employee no",
        "emp id",
        "id",
        "personnel number",
        "staff id",
    ],
    "last_name": [
        "nom",
        "nom de famille",
        "nom usuel",
        "last name",
        "lastname",
        "surname",
        "family name",
    ],
    "first_name": ["prenom", "first name", "firstname", "given name"],
    "email": [
        "email",
        "e mail",
        "mail",
        "courriel",
        "adresse e mail",
        "adresse email",
        "adresse mail",
        "email professionnel",
        "e mail professionnel",
        "email address",
        "work email",
    ],
    "org_unit": [
        "service",
        "departement",
        "direction",
        "unite",
        "unite organisationnelle",
        "entite",
        "equipe",
        "org unit",
        "organisation unit",
        "organizational unit",
        "organisational unit",
        "department",
        "team",
    ],
    "job_family": [
        "metier",
        "famille de metiers",
        "famille de metier",
        "famille metier",
        "emploi",
        "emploi repere",
        "job family",
        "job",
    ],
    "site": ["site", "etablissement", "lieu de travail", "location", "work location", "office"],
    "manager": [
        "manager",
        "matricule manager",
        "matricule du manager",
        "responsable",
        "responsable hierarchique",
        "matricule responsable",
        "n 1",
        "manager id",
        "manager employee id",
        "manager s employee id",
        "supervisor",
        "reports to",
    ],
    "hire_date": [
        "date d entree",
        "date entree",
        "date d embauche",
        "date embauche",
        "entree",
        "hire date",
        "start date",
        "date of hire",
        "date hired",
    ],
    "active": ["actif", "statut", "en poste", "active", "status"],
    "external": ["externe", "prestataire", "interimaire", "external", "contractor"],
    "preferred_language": ["langue", "langue preferee", "language", "preferred language"],
    "roles": ["roles", "role", "profil", "profils", "droits", "acces", "access"],
}
_BY_NAME = {name: field for field, names in SYNONYMS.items() for name in names}
_BY_NAME.update({field.replace("_", " "): field for field in FIELDS})


def normalise(text: str) -> str:
    """`Date d'entrée` -> `date d entree`: no accents, no case, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@dataclass
class ColumnMatch:
    field_of_column: dict[int, str]  # column index -> field
    unknown: list[str]  # headers neither recognised nor mapped
    problems: list[str]  # file-level problems (missing required column, a field twice, ...)

    @property
    def column_of_field(self) -> dict[str, int]:
        return {field: index for index, field in self.field_of_column.items()}


def match_columns(header: list[str], mapping: dict[str, str]) -> ColumnMatch:
    """Recognise each header; `mapping` (header -> field or "ignore") wins over recognition."""
    normalised_mapping = {normalise(k): v for k, v in mapping.items()}
    field_of_column: dict[int, str] = {}
    unknown: list[str] = []
    problems: list[str] = []
    for key, value in mapping.items():
        if value not in FIELDS and value != IGNORE:
            problems.append(
                _("The mapping “%(header)s=%(field)s” names no known field (known: %(known)s).")
                % {"header": key, "field": value, "known": ", ".join(FIELDS)}
            )
        if normalise(key) not in {normalise(h) for h in header}:
            problems.append(_("The mapping names a column “%s” that the file does not have.") % key)
    seen: dict[str, str] = {}
    for index, title in enumerate(header):
        if not title:
            continue
        key = normalise(title)
        # The header as mapped first: two headers alike once normalised ("Centre de coût",
        # "Centre-de-cout") keep each its own choice, whatever order the mapping comes back in.
        field = mapping.get(title) or normalised_mapping.get(key) or _BY_NAME.get(key)
        if field is None:
            unknown.append(title)
            continue
        if field == IGNORE:
            continue
        if field in seen:
            problems.append(
                _(
                    "Columns “%(first)s” and “%(second)s” both hold the %(field)s; map one of them "
                    "to another field or to “ignore”."
                )
                % {"first": seen[field], "second": title, "field": FIELDS[field]}
            )
            continue
        seen[field] = title
        field_of_column[index] = field
    for field in REQUIRED:
        if field not in seen:
            problems.append(
                _("No column holds the %(field)s (expected a header such as %(examples)s).")
                % {
                    "field": FIELDS[field],
                    "examples": ", ".join(f"“{name}”" for name in SYNONYMS[field][:3]),
                }
            )
    return ColumnMatch(field_of_column=field_of_column, unknown=unknown, problems=problems)


def parse_mapping_options(options: list[str]) -> dict[str, str]:
    """`["Code agent=employee_id", ...]` from the command line; raises ValueError when malformed."""
    mapping: dict[str, str] = {}
    for option in options:
        header, sep, field = option.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise ValueError(_("--map expects “Header=field”, got “%s”") % option)
        mapping[header.strip()] = field.strip()
    return mapping
