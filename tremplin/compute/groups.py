"""Mixed training groups: who goes to which session of a module, so that every group mixes
enthusiasts and sceptics, departments and sites, within the seats and the days people can come.

For one module at a time. Each session is a group with its free seats and the people already
seated in it (they count in its mix and never move). The people to place each declare an
appetite (enthusiastic, neutral or not said, sceptical) and belong to a department and a site;
each can attend only some of the groups (days away, sessions held at another site, another
session at the same time).

1. **Who goes where, by kind.** People alike but for their appetite (same department, site and
   groups they can attend) form a kind. An integer program gives how many of each kind go to
   each group: as many people placed as the seats and days allow (no one who could be placed
   is left out); then as many departments and sites present in the groups, summed, as can be;
   then groups filled alike (the seats past a group's share of the crowd cost a little). It is
   a flow with a bonus on the first person of a department or site in a group, which HiGHS
   solves to optimality in a fraction of a second per module.
2. **Enthusiasts and sceptics.** Each kind's places are split between its enthusiasts, its
   sceptics and the others so that every group's share of enthusiasts, then of sceptics, comes
   as close to the module's as those places allow (least squares, a convex-cost flow).
3. **Swapping.** Two people of different groups trade places when it brings both groups'
   appetite shares closer to the module's and loses neither a department nor a site in either
   group (or gains one): no measure gets worse. Kinds may trade places here, which the split
   above could not do.

If the solver finds nothing in its time, people are dealt instead: each in turn (enthusiasts,
then sceptics, then the others) to the group they add most to, moving others along a chain of
groups when every group they can attend is full (a shortest augmenting path).

`mix` measures a group; `summary` the measures the page and the benchmark report.
"""

from __future__ import annotations

import math
import random
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

ENTHUSIAST = 1
NEUTRAL = 0
SCEPTIC = -1
TRIES = 6  # partners tried in the other group per proposal
SOLVER_SECONDS = 20.0  # per module; past it, the dealing below


@dataclass(frozen=True)
class Member:
    key: int
    appetite: int  # ENTHUSIAST, NEUTRAL (or not said) or SCEPTIC
    department: int
    site: int
    groups: tuple[int, ...]  # the indices of the groups this person can attend


@dataclass(frozen=True)
class Group:
    key: int
    seats: int  # free seats
    seated: tuple[Member, ...] = ()  # already enrolled: counted in the mix, never moved


@dataclass(frozen=True)
class Mix:
    size: int
    enthusiasts: int
    sceptics: int
    departments: int
    sites: int


@dataclass
class Composition:
    placed: dict[int, int]  # member key -> group key
    unplaced: list[int]  # member keys with no group they can attend left
    mixes: list[Mix]  # per group, in the order given
    swaps: int = 0


def mix(people: Iterable[Member]) -> Mix:
    people = list(people)
    return Mix(
        size=len(people),
        enthusiasts=sum(p.appetite == ENTHUSIAST for p in people),
        sceptics=sum(p.appetite == SCEPTIC for p in people),
        departments=len({p.department for p in people}),
        sites=len({p.site for p in people}),
    )


def summary(mixes: Iterable[Mix]) -> dict[str, float]:
    """Over the groups holding someone: the standard deviation of the share of enthusiasts
    (and of sceptics), the mean number of departments and of sites per group."""
    held = [m for m in mixes if m.size]
    if not held:
        return {"groups": 0, "enthusiast_share_sd": 0.0, "sceptic_share_sd": 0.0,
                "departments_per_group": 0.0, "sites_per_group": 0.0}  # fmt: skip
    return {
        "groups": len(held),
        "enthusiast_share_sd": _sd([m.enthusiasts / m.size for m in held]),
        "sceptic_share_sd": _sd([m.sceptics / m.size for m in held]),
        "departments_per_group": sum(m.departments for m in held) / len(held),
        "sites_per_group": sum(m.sites for m in held) / len(held),
    }


def _sd(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


@dataclass
class _Groups:
    """The groups being filled, with the counts every decision reads."""

    seats: list[int]  # total: free plus already seated
    members: list[list[Member]]
    movable: list[list[Member]]
    limit: list[int] = field(default_factory=list)  # seats usable now
    appetite: list[Counter[int]] = field(default_factory=list)
    departments: list[Counter[int]] = field(default_factory=list)
    sites: list[Counter[int]] = field(default_factory=list)

    @classmethod
    def of(cls, groups: Sequence[Group]) -> _Groups:
        state = cls(
            seats=[g.seats + len(g.seated) for g in groups],
            members=[list(g.seated) for g in groups],
            movable=[[] for _ in groups],
        )
        state.limit = list(state.seats)
        for g in groups:
            state.appetite.append(Counter(p.appetite for p in g.seated))
            state.departments.append(Counter(p.department for p in g.seated))
            state.sites.append(Counter(p.site for p in g.seated))
        return state

    def room(self, g: int) -> bool:
        return len(self.members[g]) < self.limit[g]

    def add(self, g: int, p: Member) -> None:
        self.members[g].append(p)
        self.movable[g].append(p)
        self.appetite[g][p.appetite] += 1
        self.departments[g][p.department] += 1
        self.sites[g][p.site] += 1

    def remove(self, g: int, p: Member) -> None:
        self.members[g].remove(p)
        self.movable[g].remove(p)
        pairs = ((self.appetite[g], p.appetite), (self.departments[g], p.department),
                 (self.sites[g], p.site))  # fmt: skip
        for counts, value in pairs:
            counts[value] -= 1
            if not counts[value]:
                del counts[value]


def compose(people: Sequence[Member], groups: Sequence[Group], *, seed: int = 0,
            swap_rounds: int = 40) -> Composition:  # fmt: skip
    """Who goes where (see the module's docstring)."""
    rng = random.Random(seed)
    state = _Groups.of(groups)
    order = list(people)
    rng.shuffle(order)  # ties fall at random, not by key
    order.sort(key=lambda p: (-abs(p.appetite), -p.appetite))  # enthusiasts, sceptics, others
    where: dict[int, int] = {}
    quotas = _quotas(people, groups)
    if quotas is not None:
        shares = _leanings(people, groups, quotas)
        unplaced = [p.key for p in order if not _take(state, p, shares[p.appetite], where)]
    else:
        unplaced = _deal(state, order, where)
    swaps = _swap(state, where, people, rng, swap_rounds)
    return Composition(
        placed={key: groups[g].key for key, g in where.items()},
        unplaced=sorted(unplaced),
        mixes=[mix(m) for m in state.members],
        swaps=swaps,
    )


Kind = tuple[int, int, tuple[int, ...]]  # department, site, groups: alike but for appetite


def _kind(p: Member) -> Kind:
    return (p.department, p.site, p.groups)


def _quotas(people: Sequence[Member], groups: Sequence[Group]) -> dict[Kind, dict[int, int]] | None:
    """How many people of each kind go to each group: as many placed as the seats and days
    allow, then as many departments and sites present in the groups, summed, as possible: an
    integer program (a flow, in fact, with a bonus on the first person of a department or site
    in a group, so that HiGHS solves it to optimality at once). None when not solved in time."""
    kinds = Counter(_kind(p) for p in people)
    keys = list(kinds)
    cells = [(c, g) for c, (_d, _s, allowed) in enumerate(keys) for g in allowed]
    if not cells:
        return {}
    k, n = len(groups), len(cells)
    departments = sorted({d for d, _s, _a in keys})
    sites = sorted({s for _d, s, _a in keys})
    dept_of = {d: i * k for i, d in enumerate(departments)}
    site_of = {s: (len(departments) + i) * k for i, s in enumerate(sites)}
    presence = (len(departments) + len(sites)) * k
    # Rows: supply per kind, seats per group, presence per (department or site, group).
    # Columns: the cells (kind, group), then the presences.
    seats_row, presence_row = len(keys), len(keys) + k
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for j, (c, g) in enumerate(cells):
        d, s, _allowed = keys[c]
        rows += [c, seats_row + g, presence_row + dept_of[d] + g, presence_row + site_of[s] + g]
        cols += [j] * 4
        values += [1, 1, -1, -1]
    rows += [presence_row + i for i in range(presence)]
    cols += [n + i for i in range(presence)]
    values += [1.0] * presence
    there = np.zeros(presence)  # present already among the people seated
    for g, group in enumerate(groups):
        for p in group.seated:
            if p.department in dept_of:
                there[dept_of[p.department] + g] = 1
            if p.site in site_of:
                there[site_of[p.site] + g] = 1
    # Groups filled alike: the seats past each group's share of the crowd cost a little (all
    # of them less than one presence).
    crowd = len(people) + sum(len(g.seated) for g in groups)
    fill = min(1.0, crowd / max(1, sum(g.seats + len(g.seated) for g in groups)))
    alike = [min(g.seats, max(0, math.ceil(fill * (g.seats + len(g.seated))) - len(g.seated)))
             for g in groups]  # fmt: skip
    rows += [seats_row + g for g in range(k)]
    cols += [n + presence + g for g in range(k)]
    values += [-1.0] * k
    matrix = coo_matrix((values, (rows, cols)), shape=(presence_row + presence, n + presence + k))
    upper = np.concatenate([[kinds[key] for key in keys], alike, there])
    result = milp(
        # One more person placed outweighs every presence.
        np.concatenate(
            [np.full(n, -(presence + 1.0)), -np.ones(presence), np.full(k, 1 / (crowd + 1))]
        ),
        constraints=LinearConstraint(matrix.tocsr(), -np.inf, upper),
        integrality=np.concatenate([np.ones(n), np.zeros(presence + k)]),
        bounds=Bounds(
            0,
            np.concatenate(
                [
                    np.full(n, np.inf),
                    1 - there,
                    [g.seats - a for g, a in zip(groups, alike, strict=True)],
                ]
            ),
        ),
        options={"time_limit": SOLVER_SECONDS, "mip_rel_gap": 0.0},
    )
    if result.x is None:
        return None
    counts = np.round(result.x[:n]).astype(int)
    quotas: dict[Kind, dict[int, int]] = {key: {} for key in keys}
    for j, (c, g) in enumerate(cells):
        if counts[j] > 0:
            quotas[keys[c]][g] = int(counts[j])
    return quotas


def _take(state: _Groups, p: Member, quotas: dict[Kind, dict[int, int]],
          where: dict[int, int]) -> bool:  # fmt: skip
    """Seat p in a group where its kind still has a place."""
    quota = quotas.get(_kind(p))
    if not quota:
        return False
    g = min(quota)
    quota[g] -= 1
    if not quota[g]:
        del quota[g]
    state.add(g, p)
    where[p.key] = g
    return True


Split = dict[Kind, dict[int, int]]  # kind -> {group: people}


def _leanings(people: Sequence[Member], groups: Sequence[Group],
              quotas: Split) -> dict[int, Split]:  # fmt: skip
    """The places of each kind split between its enthusiasts, its sceptics and the others, so
    that each group's shares of enthusiasts, then of sceptics, come as close to the module's
    as the places allow (least squares, by a convex-cost flow solved exactly; the sceptics'
    split is made in the places the enthusiasts left)."""
    sizes = [len(g.seated) for g in groups]
    for quota in quotas.values():
        for g, n in quota.items():
            sizes[g] += n
    everyone = list(people) + [p for g in groups for p in g.seated]
    left = {kind: dict(quota) for kind, quota in quotas.items()}
    split: dict[int, dict[Kind, dict[int, int]]] = {}
    for leaning in (ENTHUSIAST, SCEPTIC):
        share = sum(p.appetite == leaning for p in everyone) / max(1, len(everyone))
        seated = [sum(p.appetite == leaning for p in g.seated) for g in groups]
        wanted = Counter(_kind(p) for p in people if p.appetite == leaning)
        split[leaning] = _spread_leaning(left, wanted, sizes, seated, share)
        for kind, quota in split[leaning].items():
            for g, n in quota.items():
                left[kind][g] -= n
                if not left[kind][g]:
                    del left[kind][g]
    split[NEUTRAL] = left
    return split


def _spread_leaning(places: dict[Kind, dict[int, int]], wanted: Counter[Kind], sizes: list[int],
                    seated: list[int], share: float) -> dict[Kind, dict[int, int]]:  # fmt: skip
    """How many people of one leaning each kind sends to each group: every one of them placed
    if the kind's places allow, then Σ (count / size − share)² over the groups least."""
    cells = [(kind, g, cap) for kind in wanted for g, cap in places.get(kind, {}).items()]
    if not cells:
        return {}
    kinds = list(wanted)
    row_of = {kind: i for i, kind in enumerate(kinds)}
    k = len(sizes)
    n = len(cells)
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for j, (kind, g, _cap) in enumerate(cells):
        rows += [row_of[kind], len(kinds) + g]
        cols += [j, j]
        values += [1.0, 1.0]
    # Each group's count as unit steps of rising cost (the square is convex): the cheapest come
    # first, so the steps taken sum to the squared distance.
    steps: list[float] = []
    for g in range(k):
        size = max(1, sizes[g])
        for count in range(seated[g], sizes[g]):
            rows.append(len(kinds) + g)
            cols.append(n + len(steps))
            values.append(-1.0)
            steps.append(((count + 1) / size - share) ** 2 - (count / size - share) ** 2)
    matrix = coo_matrix((values, (rows, cols)), shape=(len(kinds) + k, n + len(steps)))
    lower = np.concatenate([np.full(len(kinds), -np.inf), np.zeros(k)])
    upper = np.concatenate([[wanted[kind] for kind in kinds], np.zeros(k)])
    reward = 2 + 2 * max((abs(c) for c in steps), default=0)  # placing beats any balance
    result = milp(
        np.concatenate([np.full(n, -reward), steps]),
        constraints=LinearConstraint(matrix.tocsr(), lower, upper),
        integrality=np.concatenate([np.ones(n), np.zeros(len(steps))]),
        bounds=Bounds(0, np.concatenate([[cap for _k, _g, cap in cells], np.ones(len(steps))])),
        options={"time_limit": SOLVER_SECONDS},
    )
    split: dict[Kind, dict[int, int]] = {}
    if result.x is None:  # not in time: the places in order
        for kind, g, cap in cells:
            taken = min(cap, wanted[kind] - sum(split.get(kind, {}).values()))
            if taken > 0:
                split.setdefault(kind, {})[g] = taken
        return split
    for j, (kind, g, _cap) in enumerate(cells):
        count = round(result.x[j])
        if count:
            split.setdefault(kind, {})[g] = count
    return split


def _deal(state: _Groups, order: list[Member], where: dict[int, int]) -> list[int]:
    """Without the solver's counts: each person in turn to the group they add most to, groups
    filled alike to the same share of their seats first, then up to every seat."""
    crowd = sum(len(m) for m in state.members) + len(order)
    share = min(1.0, crowd / max(1, sum(state.seats)))
    state.limit = [min(s, math.ceil(s * share)) for s in state.seats]
    left = [p for p in order if not _place(state, p, where)]
    state.limit = list(state.seats)
    return [p.key for p in left if not _place(state, p, where)]


def _place(state: _Groups, p: Member, where: dict[int, int]) -> bool:
    open_ = [g for g in p.groups if state.room(g)]
    if not open_:
        return _make_room(state, p, where)
    g = min(open_, key=lambda g: _fit(state, g, p))
    state.add(g, p)
    where[p.key] = g
    return True


def _fit(state: _Groups, g: int, p: Member) -> tuple[bool, bool, float, float]:
    return (
        state.departments[g][p.department] > 0,
        state.sites[g][p.site] > 0,
        (state.appetite[g][p.appetite] + 1) / state.seats[g],
        len(state.members[g]) / state.seats[g],
    )


def _make_room(state: _Groups, p: Member, where: dict[int, int]) -> bool:
    """Place `p` by moving people along the shortest chain of groups that ends in a free seat."""
    came_from: dict[int, tuple[int, Member] | None] = {g: None for g in p.groups}
    queue = deque(p.groups)
    while queue:
        g = queue.popleft()
        for q in state.movable[g]:
            for h in q.groups:
                if h in came_from:
                    continue
                came_from[h] = (g, q)
                if state.room(h):
                    _shift(state, h, came_from, where)
                    first = next(g for g in p.groups if state.room(g))
                    state.add(first, p)
                    where[p.key] = first
                    return True
                queue.append(h)
    return False


def _shift(state: _Groups, end: int, came_from: dict[int, tuple[int, Member] | None],
           where: dict[int, int]) -> None:  # fmt: skip
    """Move each person of the chain one group along, from the end (which has a seat)."""
    h = end
    while (step := came_from[h]) is not None:
        g, q = step
        state.remove(g, q)
        state.add(h, q)
        where[q.key] = h
        h = g


def _swap(state: _Groups, where: dict[int, int], people: Sequence[Member],
          rng: random.Random, rounds: int) -> int:  # fmt: skip
    """Trade places while a trade improves one measure and worsens none; `rounds` random
    proposals per person placed, stopping early once a round finds nothing."""
    movable = [p for p in people if p.key in where]
    if len(movable) < 2:
        return 0
    total = Counter(p.appetite for m in state.members for p in m)
    size = sum(total.values())
    target = {a: total[a] / size for a in (ENTHUSIAST, SCEPTIC)}
    done = 0
    for _ in range(rounds):
        found = 0
        for p in rng.sample(movable, len(movable)):
            g = where[p.key]
            h = rng.choice(p.groups)
            if h == g or not state.movable[h]:
                continue
            q = next((q for q in rng.sample(state.movable[h], min(TRIES, len(state.movable[h])))
                      if g in q.groups and _better(state, g, h, p, q, target)), None)  # fmt: skip
            if q is None:
                continue
            state.remove(g, p)
            state.remove(h, q)
            state.add(g, q)
            state.add(h, p)
            where[p.key], where[q.key] = h, g
            found += 1
        done += found
        if not found:
            break
    return done


def _better(state: _Groups, g: int, h: int, p: Member, q: Member,
            target: dict[int, float]) -> bool:  # fmt: skip
    """Whether trading p (in g) for q (in h) improves a measure and worsens none."""
    d_departments = _distinct_change(state.departments, g, h, p.department, q.department)
    d_sites = _distinct_change(state.sites, g, h, p.site, q.site)
    if d_departments < 0 or d_sites < 0:
        return False
    d_appetite = 0.0
    if p.appetite != q.appetite:
        before = _spread(state, g, target) + _spread(state, h, target)
        after = _spread(state, g, target, p.appetite, q.appetite) + _spread(
            state, h, target, q.appetite, p.appetite
        )
        d_appetite = after - before
        if d_appetite > 1e-12:
            return False
    return d_departments > 0 or d_sites > 0 or d_appetite < -1e-12


def _distinct_change(counts: list[Counter[int]], g: int, h: int, a: int, b: int) -> int:
    """Change in distinct values of g and h when g gives an `a` for h's `b`."""
    if a == b:
        return 0
    change = 0
    change += (counts[g][b] == 0) - (counts[g][a] == 1)
    change += (counts[h][a] == 0) - (counts[h][b] == 1)
    return change


def _spread(state: _Groups, g: int, target: dict[int, float], out: int | None = None,
            into: int | None = None) -> float:  # fmt: skip
    """Squared distance of g's enthusiast and sceptic shares from the module's, after one person
    of appetite `out` leaves it for one of appetite `into`."""
    n = len(state.members[g])
    total = 0.0
    for a, share in target.items():
        count = state.appetite[g][a] - (out == a) + (into == a)
        total += (count / n - share) ** 2
    return total
