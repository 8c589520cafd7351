"""Org units, job families and sites named in a file: found by code or name, or to be created."""

from __future__ import annotations

import re

from django.utils.text import slugify

from tremplin.people.imports.columns import normalise
from tremplin.people.models import JobFamily, OrgUnit, Site

PATH_SEPARATOR = re.compile(r"\s+[/>]\s+")


def new_code(name: str, taken: set[str], most: int | None) -> str:
    """A code for a new site, job family or unit, from its name: `most` characters at most,
    a "-n" suffix included (a 49-character job family made a code its column refused)."""
    base = (slugify(name).upper() or "X")[: (most or 40) - 6]
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    taken.add(code)
    return code


class AmbiguousUnitError(ValueError):
    """Several units bear this name: the file must give the code or the full path."""


class SimpleResolver:
    """Sites and job families: a value matches a code or a name; otherwise it will be created."""

    def __init__(self, model: type[Site] | type[JobFamily]) -> None:
        self.model = model
        self.prefix = f"new:{model._meta.model_name}:"  # keys of objects to create
        self.ids: dict[str, int] = {}
        self.codes: set[str] = set()
        for obj in model.objects.all():
            self.codes.add(obj.code)
            names = [obj.code]
            names += [obj.name] if isinstance(obj, Site) else [obj.name_fr, obj.name_en]
            for name in names:
                self.ids.setdefault(normalise(name), obj.pk)
        self.new: dict[str, str] = {}  # normalised value -> value as first written

    def resolve(self, value: str) -> int | str | None:
        """The id of an existing object, the key of one to create, or None for an empty value."""
        if not value:
            return None
        key = normalise(value)
        if key in self.ids:
            return self.ids[key]
        self.new.setdefault(key, value)
        return self.prefix + key

    def new_names(self) -> list[str]:
        return list(self.new.values())

    def create_new(self) -> dict[str, int]:
        created: dict[str, int] = {}
        for key, value in self.new.items():
            code = new_code(value, self.codes, self.model._meta.get_field("code").max_length)
            if self.model is Site:
                obj: Site | JobFamily = Site.objects.create(code=code, name=value)
            else:
                obj = JobFamily.objects.create(code=code, name_fr=value, name_en=value)
            created[self.prefix + key] = obj.pk
        return created


class OrgUnitResolver:
    """A unit is named by its code, its name (when unique) or its path `Direction / Service`."""

    def __init__(self) -> None:
        units = list(OrgUnit.objects.values_list("id", "code", "name", "parent_id"))
        self.codes = {code for _, code, _, _ in units}
        by_id: dict[int, tuple[str, int | None]] = {
            pk: (name, parent) for pk, _, name, parent in units
        }
        self.by_code = {normalise(code): pk for pk, code, _, _ in units}
        self.by_path: dict[tuple[str, ...], int] = {}
        name_count: dict[str, list[int]] = {}
        for pk, _code, name, _parent in units:
            self.by_path[self._path_of(pk, by_id)] = pk
            name_count.setdefault(normalise(name), []).append(pk)
        self.by_name = {name: pks[0] for name, pks in name_count.items() if len(pks) == 1}
        self.ambiguous = {name for name, pks in name_count.items() if len(pks) > 1}
        self.child: dict[tuple[int | str | None, str], int] = {
            (parent, normalise(name)): pk for pk, _, name, parent in units
        }
        # key -> (parent id or key, name, path as written), parents before children
        self.new: dict[str, tuple[str | int | None, str, str]] = {}

    @staticmethod
    def _path_of(pk: int, by_id: dict[int, tuple[str, int | None]]) -> tuple[str, ...]:
        parts: list[str] = []
        node: int | None = pk
        while node is not None and len(parts) < 100:
            name, node = by_id[node]
            parts.append(normalise(name))
        return tuple(reversed(parts))

    def resolve(self, value: str) -> int | str | None:
        if not value:
            return None
        parts = [p for p in PATH_SEPARATOR.split(value.strip()) if p]
        keys = tuple(normalise(p) for p in parts)
        if keys in self.by_path:
            return self.by_path[keys]
        if len(keys) == 1:
            if keys[0] in self.by_code:
                return self.by_code[keys[0]]
            if keys[0] in self.by_name:
                return self.by_name[keys[0]]
            if keys[0] in self.ambiguous:
                raise AmbiguousUnitError(value)
        parent: int | str | None = None
        for depth, (part, key) in enumerate(zip(parts, keys, strict=True)):
            existing = self.child.get((parent, key))
            if existing is None and depth == 0 and len(keys) > 1:
                existing = self.by_code.get(key) or self.by_name.get(key)
            if existing is not None:
                parent = existing
                continue
            ref = "new:unit:" + " / ".join(keys[: depth + 1])
            self.new.setdefault(ref, (parent, part, " / ".join(parts[: depth + 1])))
            self.child[(parent, key)] = ref  # type: ignore[assignment]
            parent = ref
        return parent

    def create_new(self) -> dict[str, int]:
        created: dict[str, int] = {}
        for ref, (parent, name, _path) in self.new.items():
            parent_id = created[parent] if isinstance(parent, str) else parent
            unit = OrgUnit.objects.create(
                code=new_code(name, self.codes, OrgUnit._meta.get_field("code").max_length),
                name=name,
                parent_id=parent_id,
            )
            created[ref] = unit.pk
        return created

    def new_names(self) -> list[str]:
        return [path for _parent, _name, path in self.new.values()]
