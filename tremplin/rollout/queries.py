"""Who is in which wave."""

from __future__ import annotations

from collections import Counter

from tremplin.people.models import Person
from tremplin.rollout.models import Wave


def waves_in_order() -> list[Wave]:
    return list(Wave.objects.prefetch_related("units", "people"))


def wave_of_people(waves: list[Wave] | None = None) -> dict[int, int]:
    """The wave (pk) of every active person in one, by person pk. A person named in a wave
    belongs to it even when one of their units is in another; among several, the earliest
    wave (the pilot, then by start date) wins."""
    waves = waves_in_order() if waves is None else waves
    found: dict[int, int] = {}
    for wave in reversed(waves):  # earlier waves overwrite later ones
        for unit in wave.units.all():
            members = Person.objects.filter(active=True, org_unit__path__startswith=unit.path)
            found.update(dict.fromkeys(members.values_list("pk", flat=True), wave.pk))
    for wave in reversed(waves):
        named = wave.people.filter(active=True).values_list("pk", flat=True)
        found.update(dict.fromkeys(named, wave.pk))
    return found


def wave_headcounts(waves: list[Wave]) -> dict[int, int]:
    """Active people per wave (pk), each counted in their own wave only."""
    return dict(Counter(wave_of_people(waves).values()))
