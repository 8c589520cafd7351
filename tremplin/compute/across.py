"""Figures of a publication audited with the releases its reader was shown before
(`compute.temporal`), closed by widening or hiding figures of the new dates only: what was
read stays as it was. Used by the Article 4 register (one release a quarter end) and the
company dashboards (each new quarter end and publication day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from tremplin.compute import temporal, tied
from tremplin.compute.publication import COMPLEMENT, ONE, VISIBLE, Publication

Value = Callable[[str, int], np.ndarray]
Dated = tuple[dt.date, temporal.Release]  # a release and the date it shows
# Rounds of closing leaks a publication's audit may take (each runs `temporal.leaks`); a
# variable still leaking after them has every figure of the new dates hidden.
ROUNDS = 8
TRIED = 2  # tables `unbind` tries hiding (those with the smallest groups): a limit of work


# A figure of a variable a person's value of never goes up, audited as its complement, which
# never goes down: the competences not yet assessed ("share:none") are the competences less
# those assessed ("rated"). numerator: (complement, the denominator they add up to).
COMPLEMENTS = {"at-level:none": ("rated", "competences")}
SHOWN_AS = {complement: numerator for numerator, (complement, _d) in COMPLEMENTS.items()}


def linked(pub: Publication) -> list[str]:
    """The dashboards' variables a person's value of cannot go down: assessed at all, in each
    competence (0 or 1), how many competences of each tier, and how many in all when the
    share not yet assessed is shown (a level, once recorded, stays)."""
    found = {name for name, v in pub.variables.items()
             if (name == "assessed" or name.startswith("assessed:"))
             and v.low == 0 and v.high >= 1 and float(v.high).is_integer()}  # fmt: skip
    shown = {m.numerator: m.denominator for table in pub.tables for m in table.measures}
    for numerator, (complement, denominator) in COMPLEMENTS.items():
        if shown.get(numerator) == denominator and complement in pub.variables:
            found.add(complement)
    return sorted(found)


def release(pub: Publication, period: int, value: Value, ids: np.ndarray,
            names: Sequence[str]) -> temporal.Release:  # fmt: skip
    """What a reader of `pub` holds at `period` of the variables `names`: each shown figure's
    range for its group's sum, every person's group and values (`ids`: stable ids)."""
    cells = []
    for t, table in enumerate(pub.tables):
        for measure in table.measures:
            name, flip = measure.numerator, False
            complement, denominator = COMPLEMENTS.get(name, ("", ""))
            if complement in names and measure.denominator == denominator:
                name, flip = complement, True
            if name == ONE or name not in names or period not in table.periods_of(measure):
                continue
            low, high = pub.ranges(t, measure, period)
            if flip:  # the complement's sum: the denominator's total less the numerator's
                total = pub.total(t, measure)
                assert total is not None
                low, high = total - high, total - low
            for g in np.flatnonzero(~np.isnan(low)).tolist():
                cells.append(temporal.Cell(table.key, g, name, float(low[g]), float(high[g])))
    groups = {table.key: table.group for table in pub.tables}
    values = {name: np.asarray(value(name, period), dtype=np.float64) for name in names}
    return temporal.Release(ids, groups, values, cells)


def holding(pub: Publication, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Each table's groups holding some of the people `rows` (table key: (groups,) bool)."""
    held = {}
    for table in pub.tables:
        groups = table.group[rows]
        held[table.key] = np.zeros(table.n_groups, bool)
        held[table.key][groups[groups >= 0]] = True
    return held


def carried(pub: Publication, ids: np.ndarray, then: temporal.Release,
            people: np.ndarray) -> dict[str, np.ndarray]:  # fmt: skip
    """Each table's groups carrying on those that held `people` in the release `then`
    (people who have left since): the group now holding most of those still here. Not the
    groups holding the colleagues of their smallest group then (as until 2026-12-06): those
    are scattered over the other tables' groups, and closing the smallest of them, round
    after round, left the leak open (the 500-person bench's next quarter: 160 figures hidden
    out of rounds; 32 this way)."""
    held = {table.key: np.zeros(table.n_groups, bool) for table in pub.tables}
    mine = np.isin(then.people, people)
    for table in pub.tables:
        labels = then.groups.get(table.key)
        if labels is None:
            continue
        for g in np.unique(labels[mine & (labels >= 0)]).tolist():
            now = table.group[np.isin(ids, then.people[labels == g])]
            now = now[now >= 0]
            if now.size:
                held[table.key][np.bincount(now).argmax()] = True
    return held


def colleagues(pub: Publication, ids: np.ndarray, then: temporal.Release,
               people: np.ndarray) -> dict[str, np.ndarray]:  # fmt: skip
    """The groups holding some of the colleagues of the smallest group that held `people`
    in the release `then` (people who have left since), still here."""
    best = people
    for labels in then.groups.values():
        mine = np.unique(labels[np.isin(then.people, people)])
        for g in mine[mine >= 0].tolist():
            members = then.people[labels == g]
            if best is people or members.size < best.size:
                best = members
    return holding(pub, np.flatnonzero(np.isin(ids, best)))


def close(pub: Publication, name: str, held: dict[str, np.ndarray], period: int) -> bool:
    """Widen, else hide, one figure of `name` (or of the variable it is the complement of)
    at `period`: of the smallest group `held` (table key: (groups,) bool), else the smallest
    group of all; False when none is shown."""
    name = SHOWN_AS.get(name, name)
    options = []
    for t, table in enumerate(pub.tables):
        sizes = table.sizes()
        mine = held.get(table.key, np.zeros(table.n_groups, bool))
        for measure in table.measures:
            if measure.numerator != name or period not in table.periods_of(measure):
                continue
            shown = pub.shown(t, measure, period) | (pub.bounded(t, measure, period) != 0)
            for g in np.flatnonzero(shown).tolist():
                options.append((not mine[g], int(sizes[g]), t, g))
    if not options:
        return False
    _outside, _size, t, g = min(options)
    if not pub.widen(t, name, period, g):
        pub.reason[(t, name, period)][g] = COMPLEMENT
    return True


def audit(pub: Publication, new: dict[int, dt.date], value: Value, ids: np.ndarray,
          names: Sequence[str], earlier: Sequence[Dated], k: int,
          links: Sequence[set[str]] | None = None,
          ties: tied.Ties | None = None) -> list[Dated]:  # fmt: skip
    """Widen or hide figures of `pub` at the periods `new` (period: its date) until, read
    with the `earlier` releases in date order (an earlier one first on the same day), nobody
    and no group under `k` people can be worked out. `links[r]`: the variables that cannot go
    down from the chain's release r − 1 to r (by default `names`, everywhere). `ties`: how
    some of `names` are tied for each person, audited together too (`compute.tied`).

    A leak at a new date is closed through its own figures; one at an earlier date (the new
    figures narrowing what was read then) through every new date's; neither when the reader
    could work it out without the new figures (the same chain, the new releases showing
    none): nothing shown now changes that. A person known to be assessed at an earlier date,
    still counted, is assessed at the new ones too: closing figures for them only hid figures
    of the new dates, round after round (412 of the 1,432 of the demo council's next quarter,
    2026-12-05).
    A first publication (no `earlier`): its dates read together, each variable alone, and
    each date alone with the ties (`_first`).
    After `ROUNDS` rounds, every figure of a variable still leaking is hidden at the new dates
    (a limit of work: more hidden, never less). A leak about someone who has left is closed
    through the groups carrying on theirs (`carried`); when that runs out of rounds, the
    audit is run again from the start closing it through their colleagues' groups
    (`colleagues`), and the run hiding fewer figures is kept: neither way hides fewer in
    every history (48 of a 120-person company, 1 to 3 leavers: 1,998 and 1,962 figures
    hidden; 1,609 with the better of the two in each, a floor for this rule, which tries the
    second only after the first runs out of rounds; 2026-12-06). The new dates' releases."""
    start = _state(pub)
    before: list[list[temporal.Leak]] = []  # the chain's leaks without the new figures
    known: tied.Solutions = {}  # what the integer programs found, tried first in later rounds
    found, spent = _audit(pub, new, value, ids, names, earlier, k, links, ties, carried, before,
                          known)  # fmt: skip
    if not spent:
        return found
    first = pub.reason, pub.widened  # the second run works on the copies `start` holds
    pub.reason, pub.widened = start
    again, _spent = _audit(pub, new, value, ids, names, earlier, k, links, ties, colleagues,
                           before, known)  # fmt: skip
    if _hidden((pub.reason, pub.widened), new) < _hidden(first, new):
        return again
    pub.reason, pub.widened = first
    return found


Gone = Callable[[Publication, np.ndarray, temporal.Release, np.ndarray], dict[str, np.ndarray]]


def _audit(pub: Publication, new: dict[int, dt.date], value: Value, ids: np.ndarray,
           names: Sequence[str], earlier: Sequence[Dated], k: int,
           links: Sequence[set[str]] | None, ties: tied.Ties | None,
           gone: Gone, before: list[list[temporal.Leak]],
           known: tied.Solutions) -> tuple[list[Dated], bool]:  # fmt: skip
    """`audit` closing a leak about someone who has left through the groups `gone` gives;
    `before`: the chain's leaks without the new figures, once worked out (the same for
    every run); `known`: the integer programs' solutions so far (`temporal.kept`). The new
    dates' releases, and whether a leak about someone gone ran out of rounds."""
    leaking: set[str] = set()
    widths = {name: int(pub.variables[name].high) for name in names if name in pub.variables}
    ties = ties.within(names) if ties is not None else None
    for _round in range(ROUNDS):
        now = [(day, release(pub, p, value, ids, names)) for p, day in new.items()]
        if not names:
            return now, False
        if not earlier:  # a first publication
            leaking = _close_first(pub, list(new), now, ids, names, k, widths, ties, known)
            if not leaking:
                return now, False
            continue
        chain = sorted([(day, 0, i) for i, (day, _r) in enumerate(earlier)]
                       + [(day, 1, i) for i, (day, _r) in enumerate(now)])  # fmt: skip
        order = [(earlier if kind == 0 else now)[i][1] for _day, kind, i in chain]
        linked = list(links) if links is not None else [set()] + [set(names)] * (len(order) - 1)
        leaking, about_gone = set(), False
        for leak in tied.leaks(order, linked, k, widths, ties, known):
            if not before:
                unread = [replace(r, cells=[]) if kind == 1 else r
                          for r, (_day, kind, _i) in zip(order, chain, strict=True)]  # fmt: skip
                before.append(tied.leaks(unread, linked, k, widths, ties, known))
            if _known(leak, before[0], widths.get(leak.variable, 1)):
                continue
            _day, kind, i = chain[leak.release]
            periods = [list(new)[i]] if kind == 1 else list(new)
            rows = np.flatnonzero(np.isin(ids, leak.people))
            left = rows.size == 0 and kind == 0  # about people gone since
            about_gone |= left
            held = gone(pub, ids, earlier[i][1], leak.people) if left else holding(pub, rows)
            for name in leak.through or (leak.variable,):
                if any([close(pub, name, held, p) for p in periods]):
                    leaking.add(name)
        if not leaking:
            return now, False
    for name in sorted({SHOWN_AS.get(n, n) for n in leaking}):  # out of rounds
        for t, table in enumerate(pub.tables):
            for measure in table.measures:
                for p in new:
                    if measure.numerator == name and p in table.periods_of(measure):
                        pub.reason[(t, name, p)][:] = COMPLEMENT
    return [(day, release(pub, p, value, ids, names)) for p, day in new.items()], about_gone


State = tuple[dict[tuple[int, str, int], np.ndarray], dict[tuple[int, str, int], np.ndarray]]


def _state(pub: Publication) -> State:
    """What an audit changes of `pub`: each figure's reason and widening."""
    return ({key: v.copy() for key, v in pub.reason.items()},
            {key: v.copy() for key, v in pub.widened.items()})  # fmt: skip


def _hidden(state: State, new: dict[int, dt.date]) -> tuple[int, int]:
    """How many cells of the new dates are hidden, then how many steps widened."""
    hidden = sum(int((v != VISIBLE).sum()) for (_t, _n, p), v in state[0].items() if p in new)
    widened = sum(int(v.sum()) for (_t, _n, p), v in state[1].items() if p in new)
    return hidden, widened


def _close_first(pub: Publication, periods: list[int], now: list[Dated], ids: np.ndarray,
                 names: Sequence[str], k: int, widths: dict[str, int], ties: tied.Ties | None,
                 known: tied.Solutions) -> set[str]:  # fmt: skip
    """One round of a first publication's audit (`_first`): a date's ties pinning people
    closed by hiding what binds (`unbind`), any other leak through its own date's figures.
    The variables whose figures were widened or hidden."""
    leaking: set[str] = set()
    found = _first([r for _day, r in now], names, k, widths, ties, known)
    unbound = set()
    for r in sorted({leak.release for leak in found if leak.through}):
        pinned = [leak for leak in found if leak.release == r and leak.through]
        hidden = (unbind(pub, periods[r], now[r][1], pinned, k, widths, ties, known)
                  if ties else set())  # fmt: skip
        leaking |= hidden
        unbound |= {r} if hidden else set()
    for leak in found:
        if leak.through and leak.release in unbound:
            continue
        held = holding(pub, np.flatnonzero(np.isin(ids, leak.people)))
        for name in leak.through or (leak.variable,):
            if close(pub, name, held, periods[leak.release]):
                leaking.add(name)
    return leaking


def unbind(pub: Publication, period: int, one: temporal.Release, pinned: list[temporal.Leak],
           k: int, widths: dict[str, int], ties: tied.Ties,
           known: tied.Solutions) -> set[str]:  # fmt: skip
    """Hide, at `period`, every tied figure of the table whose figures bind the leaks
    `pinned` (a date's ties pinning people, `_first`): of the `TRIED` tables with the
    smallest groups holding some of their people, the one that, hidden, leaves the fewest
    leaks of that date, then the fewest figures hidden (one table a round: hiding it may free
    the others; on the demo, trying every table hid 123 figures fewer and took 80 s more
    than trying two, and hiding the smallest group's table untried 110 more). Not the smallest
    group's figure of each variable: a table's groups add up to its total, so a group hidden
    alone is worked out again (the demo's first quarter end: a person pinned through 6 groups
    of 6 tables, still pinned with each of them hidden; freed with their family's table
    hidden, 2026-12-06). The variables hidden (none when no table holds the people)."""
    names = set(ties.names())
    mine = np.isin(one.people, np.concatenate([leak.people for leak in pinned]))
    shown = {(c.table, c.group) for c in one.cells if c.variable in names}
    smallest = []
    for key in sorted({table for table, _g in shown}):
        labels = one.groups[key]
        groups = np.unique(labels[mine])
        groups = groups[groups >= 0].tolist()
        if any((key, g) in shown for g in groups):  # a tied figure of theirs is shown
            smallest.append((min(int((labels == g).sum()) for g in groups), key))
    options = []
    for _size, key in sorted(smallest)[:TRIED]:
        cells = [c for c in one.cells if not (c.table == key and c.variable in names)]
        left = tied.leaks([replace(one, cells=cells)], [set()], k, widths, ties, known)
        options.append((len(left), len(one.cells) - len(cells), key))
    if not options:
        return set()
    _left, _hidden, chosen = min(options)
    hidden = set()
    for t, table in enumerate(pub.tables):
        if table.key != chosen:
            continue
        for measure in table.measures:
            name = measure.numerator
            tied_ = name in names or COMPLEMENTS.get(name, ("", ""))[0] in names
            if tied_ and period in table.periods_of(measure):
                if pub.shown(t, measure, period).any() or pub.bounded(t, measure, period).any():
                    hidden.add(name)
                pub.reason[(t, name, period)][:] = COMPLEMENT
    return hidden


def _first(now: list[temporal.Release], names: Sequence[str], k: int, widths: dict[str, int],
           ties: tied.Ties | None, known: tied.Solutions) -> list[temporal.Leak]:  # fmt: skip
    """What a first publication's dates give away: read together, each variable alone; then
    each date alone with the ties (`compute.tied`: what one date's tier, competence and
    "assessed" figures pin only read together, which the one-date audit does not model). The
    ties across a first publication's dates are not asked (the demo council's, 4 dates: 62 s
    for the same 2 atoms as its dates one by one, 0.5 s each; 2026-12-06)."""
    found = temporal.leaks(now, [set()] + [set(names)] * (len(now) - 1), k, widths, known)
    if ties is None or any(leak.variable in ties.names() for leak in found):
        return found
    for r, one in enumerate(now):
        found += [replace(leak, release=r)
                  for leak in tied.leaks([one], [set()], k, widths, ties, known)]  # fmt: skip
    return found


def _known(leak: temporal.Leak, before: list[temporal.Leak], width: int) -> bool:
    """Whether the reader could work `leak` out without the new figures (`before`: the leaks
    of the same chain, the new releases showing none): the same people's count at the same
    release, or a part of people all or none of whom have the value."""
    people = set(leak.people.tolist())
    for found in before:
        if found.release != leak.release or found.variable != leak.variable:
            continue
        mine = set(found.people.tolist())
        if people == mine or (people <= mine and found.value in (0, width * len(mine))):
            return True
    return False
