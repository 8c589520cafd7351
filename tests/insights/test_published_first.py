"""A works council's first publication, one date read alone, with the ties (found 2026-12-06
on the demo: at its first quarter end, 141 of 145 people assessed, the tiers' figures and
"assessed" read together pinned small groups of people as assessed, which the one-date audit,
each variable alone, does not see). Here 120 people, everyone assessed in every competence
but two never assessed: the tiers' figures (each twice a group's people assessed) and
"assessed" together give people away; audited with the ties (`compute.across`), nobody."""

from __future__ import annotations

import numpy as np

from tests.compute.monotone_attack import pinned
from tests.insights import test_published_across_days as days
from tremplin.compute import across
from tremplin.compute.audiences import Split, assemble
from tremplin.compute.publication import export
from tremplin.compute.variables import ties_of, variables_of

K, DAYS, NAMES, VARIABLES = days.K, days.DAYS, days.NAMES, days.VARIABLES
ANY, PER_HEAD, SUMS = days.ANY, days.PER_HEAD, days.SUMS
SEED, NEVER = 5, 2  # of seeds 0–5 with 2 or 4 never assessed: 3 give people away (2026-12-06)


def _first(audited: bool) -> dict[str, object]:
    """The council's first publication of one date, audited with the ties or not."""
    rng = np.random.default_rng(SEED)
    n = 120
    dept = rng.choice(6, n, p=[0.3, 0.25, 0.2, 0.12, 0.08, 0.05])
    fam = rng.choice(9, n, p=[0.25, 0.2, 0.15, 0.1, 0.1, 0.08, 0.06, 0.04, 0.02])
    site = rng.choice(3, n, p=[0.6, 0.3, 0.1])
    levels = rng.integers(0, 5, (1, n, 4)).astype(np.int8)
    levels[0, rng.choice(n, NEVER, replace=False)] = -1
    splits = [Split("department", dept, [f"D{i}" for i in range(6)]),
              Split("family", fam, [f"F{i}" for i in range(9)]),
              Split("site", site, [f"S{i}" for i in range(3)])]  # fmt: skip
    data = days._data(levels)
    found, _report = assemble("cse", K, splits, data, range(1))
    if audited:
        value, ids = variables_of(data)[1], np.arange(n, dtype=np.int64)
        across.audit(found, {0: DAYS[0]}, value, ids, across.linked(found), [], K,
                     ties=ties_of(data))  # fmt: skip
    return export(found, [f"P{p:03}" for p in range(n)], NAMES[:1])


def test_a_first_publication_read_with_the_ties_gives_nobody_away():
    """Not audited with the ties (as until 2026-12-06), the attacker pins people's
    assessments at that one date (the planted failure); audited, nobody's, and most figures
    stay."""
    plain = _first(audited=False)
    assert pinned([plain], VARIABLES, K, ANY, PER_HEAD, SUMS)
    reading = _first(audited=True)
    assert pinned([reading], VARIABLES, K, ANY, PER_HEAD, SUMS) == []
    shown = [f for f in reading["figures"] if f["value"] is not None]  # type: ignore[attr-defined]
    assert len(shown) > 0.8 * len(reading["figures"])  # type: ignore[arg-type]
