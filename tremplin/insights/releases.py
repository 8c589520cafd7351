"""A company audience's figures read across its publications.

The works council and the executive sponsor may keep every publication they read. Between two
of them a department gains or loses a few people, and an assessment, once recorded, stays (a
person assessed in a competence stays assessed in it). With both publications' ranges, that
is often enough to work out whether a newcomer has been assessed: the department's count, at
most n now with the newcomer, was at least n among those still there. Each publication audited
alone (`compute.disclosure`) cannot see this (`tests/insights/test_published_across_days.py`:
8 of 24 histories gave a newcomer away).

So each release of a company audience (a date it is shown figures for: each new quarter end,
and the day of the publication) is kept (`AudienceRelease`), and each new publication's new
dates are audited with every earlier one, in date order (`compute.temporal`, as the Article 4
register): a figure of the new dates is widened or hidden until nothing gives a person or a
group under the minimum size away (a first publication's dates together, and each date with
the ties: `compute.across._first`). That covers what the new figures tell of the earlier
dates too: a department's count, at most n now without someone who left, was at least n with them
(`tests/insights/test_published_across_days.py`: 11 of 48 histories gave a leaver away when
only the new dates were audited). The variables linked are those that never go away: assessed
at all and in each competence (0 or 1 a person), how many competences of each tier, and the
share of competences not yet assessed (read as how many are: it never goes up). They are tied
for each person (a tier's count is its competences', "assessed" holds when any does) and
audited together too (`compute.tied`; past its size limit, `compute.nonzero` only).

These publications are made at each quarter end (the first snapshot after it), and when the
programme lead changes the audience's plan: a release a day would make the chain of releases,
and the audit, grow every day."""

from __future__ import annotations

import datetime as dt

from tremplin.compute import across, temporal
from tremplin.insights.models import AudienceRelease
from tremplin.insights.publications import Built


def audited(built: Built, frozen: set[str], audience: str,
            k: int) -> list[tuple[dt.date, temporal.Release]]:  # fmt: skip
    """Audit the dates of `built` not `frozen` (copied from an earlier publication) with every
    release `audience` was shown before (`compute.across`); their releases, to `keep` once
    the publication is stored."""
    pub, value = built.publication, built.value
    assert value is not None
    new = {p: dt.date.fromisoformat(built.period_names[p]) for p in pub.tables[0].periods
           if built.period_names[p] not in frozen}  # fmt: skip
    # Whatever the minimum group size each was published for: the reader kept them all.
    rows = AudienceRelease.objects.filter(audience=audience).order_by("day", "pk")
    earlier = [(row.day, temporal.load(bytes(row.data))) for row in rows]
    return across.audit(pub, new, value, built.person_ids, across.linked(pub), earlier, k,
                        ties=built.ties)  # fmt: skip


def keep(audience: str, k: int, released: list[tuple[dt.date, temporal.Release]]) -> None:
    AudienceRelease.objects.bulk_create(
        AudienceRelease(audience=audience, k=k, day=day, data=temporal.dump(found))
        for day, found in released
    )
