"""Independent attackers of a publication (the JSON a reader receives), written without looking
at the protection they test.

A publication is a dict::

    {"audience": "cse", "min_group": 10,
     "variables": {"level:T1": [0, 4], "assessed:T1": [0, 1], "one": [1, 1]},
     "figures": [{"id": ..., "period": "2026-09-30", "members": ["FI000012", ...],
                  "numerator": "level:T1", "denominator": "assessed:T1",
                  "value": 2.13, "precision": 0.01}]}

The unknowns are x[person, variable, period]. A shown figure (``value`` not null) says that
Σ_members x[numerator] / Σ_members x[denominator] rounds to ``value`` at ``precision``, i.e. the
true ratio lies in [value − precision/2, value + precision/2]; a null denominator makes it a
plain sum. Written as (value − p/2)·Σden ≤ Σnum ≤ (value + p/2)·Σden the constraint is linear,
which is what every attacker here relies on.

Model assumptions shared by both attackers:

* each variable's bounds are ``variables[name]``; a variable is integer-valued when both of its
  bounds are Python ``int`` (as JSON ``[0, 4]`` loads), continuous otherwise (``[0.0, 1.0]``);
  a variable with low == high is a constant (``"one"`` defaults to [1, 1] when absent);
* denominators are non-negative (their low bound is ≥ 0) and a shown figure implies Σden > 0,
  which for an integer denominator means Σden ≥ 1;
* only figures of the same period share unknowns; hidden figures say nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations, permutations

import highspy
import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

TOLERANCE = 1e-6  # a range narrower than this is a point; an integer this close is inside
SLACK = 1e-9  # widens each rounding interval against floating-point noise


@dataclass(frozen=True, order=True)
class Narrowed:
    """One person's value pinned by the published figures: the attacker's range for it."""

    person: str
    variable: str
    period: str
    low: float
    high: float


@dataclass(frozen=True)
class SmallSum:
    """A set of fewer than ``min_group`` people whose total is determined.

    ``value`` is the determined total (None when the linear search cannot price it) and
    ``method`` says which search found it: "lp" (bounds and rounding) or "linear"."""

    people: tuple[str, ...]
    variable: str
    period: str
    value: float | None
    method: str = "lp"


# --- building publications in tests -------------------------------------------------------------


def figure(id, period, members, numerator, denominator, value, precision=0.01):
    """A figure dict as the publication carries it (``value`` None = hidden)."""
    return {
        "id": id,
        "period": period,
        "members": list(members),
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "precision": precision,
    }


def publication(figures, variables, min_group=10, audience="cse"):
    """A publication dict from figure dicts and {name: (low, high)} bounds."""
    return {
        "audience": audience,
        "min_group": min_group,
        "variables": {name: list(bounds) for name, bounds in variables.items()},
        "figures": list(figures),
    }


# --- the model ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Var:
    low: float
    high: float
    integer: bool

    @property
    def constant(self):
        return self.low == self.high


@dataclass(frozen=True)
class _Figure:
    id: str
    period: str
    members: tuple[str, ...]
    numerator: str
    denominator: str | None
    low: float
    high: float
    value: float

    def mentions(self, var):
        return var in (self.numerator, self.denominator)


@dataclass
class _Block:
    """The figures of one period over one connected set of (non-constant) variables."""

    period: str
    variables: tuple[str, ...]
    figures: list[_Figure]
    people: tuple[str, ...] = field(init=False)
    classes: list[tuple[str, ...]] = field(init=False)

    def __post_init__(self):
        pattern = defaultdict(list)
        for index, fig in enumerate(self.figures):
            for person in fig.members:
                pattern[person].append(index)
        self.people = tuple(sorted(pattern))
        classes = defaultdict(list)
        for person in self.people:
            classes[tuple(pattern[person])].append(person)
        self.classes = [tuple(people) for _, people in sorted(classes.items())]


def _is_int(bound):
    return isinstance(bound, int | np.integer) and not isinstance(bound, bool)


def _variables(pub):
    out = {
        name: _Var(float(low), float(high), _is_int(low) and _is_int(high))
        for name, (low, high) in pub["variables"].items()
    }
    out.setdefault("one", _Var(1.0, 1.0, True))
    return out


def _shown(pub, variables):
    shown = []
    for raw in pub["figures"]:
        if raw.get("value") is None or raw.get("numerator") is None:
            continue
        value, precision = float(raw["value"]), float(raw.get("precision") or 0.0)
        denominator = raw.get("denominator")
        for name in (raw["numerator"], denominator):
            if name is not None and name not in variables:
                raise KeyError(f"figure {raw['id']}: unknown variable {name!r}")
        if denominator is not None and variables[denominator].low < 0:
            raise ValueError(f"figure {raw['id']}: a denominator must be non-negative")
        shown.append(
            _Figure(
                id=raw["id"],
                period=str(raw["period"]),
                members=tuple(dict.fromkeys(raw["members"])),
                numerator=raw["numerator"],
                denominator=denominator,
                low=value - precision / 2,
                high=value + precision / 2,
                value=value,
            )
        )
    return shown


def _blocks(pub, variables=None):
    """Independent sub-problems: per period, per connected set of non-constant variables."""
    variables = variables or _variables(pub)
    by_period = defaultdict(list)
    for fig in _shown(pub, variables):
        by_period[fig.period].append(fig)
    blocks = []
    for period, figs in sorted(by_period.items()):
        parent: dict[str, str] = {}

        def find(name, parent=parent):
            while parent.setdefault(name, name) != name:
                parent[name] = parent[parent[name]]
                name = parent[name]
            return name

        for fig in figs:
            names = [n for n in (fig.numerator, fig.denominator) if n and not variables[n].constant]
            for name in names:
                find(name)
            if len(names) == 2:
                parent[find(names[0])] = find(names[1])
        components = defaultdict(list)
        for name in list(parent):
            components[find(name)].append(name)
        for names in components.values():
            chosen = [fig for fig in figs if any(fig.mentions(n) for n in names)]
            blocks.append(_Block(period, tuple(sorted(names)), chosen))
    return blocks


class _BlockProgram:
    """The constraints of one block over group sums: one column per (group, variable).

    Groups are single people (the reference path) or classes of people in exactly the same
    shown figures (interchangeable, so the projection onto class sums is exact)."""

    def __init__(self, block, variables, groups, integral=False):
        self.block, self.variables, self.groups = block, variables, groups
        self.integral = integral
        self._ranges = {}
        self._points = []  # feasible solutions met so far: cheap witnesses that a sum varies
        self._stacked = np.zeros((0, 0))
        self._model = None
        group_of = {person: g for g, people in enumerate(groups) for person in people}
        fig_groups = [sorted({group_of[p] for p in fig.members}) for fig in block.figures]
        for fig, gs in zip(block.figures, fig_groups, strict=True):
            if sum(len(groups[g]) for g in gs) != len(fig.members):
                raise ValueError(f"groups split the members of {fig.id}")
        mentioned: dict[int, set[str]] = defaultdict(
            set
        )  # group -> variables of the figures it is in
        for fig, gs in zip(block.figures, fig_groups, strict=True):
            for g in gs:
                mentioned[g].update(n for n in (fig.numerator, fig.denominator) if n)
        self.columns = {}
        lower: list[float] = []
        upper: list[float] = []
        integer: list[int] = []
        for g, people in enumerate(groups):
            for name in block.variables:
                if name in mentioned[g]:
                    var = variables[name]
                    self.columns[(g, name)] = len(lower)
                    lower.append(len(people) * var.low)
                    upper.append(len(people) * var.high)
                    integer.append(1 if integral and var.integer else 0)
        self.lower, self.upper = np.array(lower), np.array(upper)
        self.integer = np.array(integer)
        rows, rhs = [], []
        for fig, gs in zip(block.figures, fig_groups, strict=True):
            num_row, num_const = self._term(fig.numerator, gs, len(fig.members))
            if fig.denominator is None:
                rows += [num_row, -num_row]
                rhs += [fig.high - num_const + SLACK, num_const - fig.low + SLACK]
                continue
            den_row, den_const = self._term(fig.denominator, gs, len(fig.members))
            # Σnum ≤ high·Σden and low·Σden ≤ Σnum
            rows.append(num_row - fig.high * den_row)
            rhs.append(fig.high * den_const - num_const + SLACK)
            rows.append(fig.low * den_row - num_row)
            rhs.append(num_const - fig.low * den_const + SLACK)
            if variables[fig.denominator].integer and not variables[fig.denominator].constant:
                rows.append(-den_row)  # a shown ratio has Σden > 0, i.e. ≥ 1 for integers
                rhs.append(den_const - 1)
        width = len(lower)
        self.matrix = np.array(rows).reshape(len(rows), width)
        self.rhs = np.array(rhs)

    def _term(self, name, gs, size):
        row = np.zeros(len(self.lower))
        var = self.variables[name]
        if var.constant:
            return row, var.low * size
        for g in gs:
            row[self.columns[(g, name)]] = 1.0
        return row, 0.0

    def _solve(self, objective):
        if self.integral and self.integer.any():
            constraints = (
                [LinearConstraint(self.matrix, -np.inf, self.rhs)] if len(self.rhs) else []
            )
            result = milp(
                objective,
                constraints=constraints,
                integrality=self.integer,
                bounds=Bounds(self.lower, self.upper),
                options={"mip_rel_gap": 1e-9},
            )
        else:
            return self._solve_lp(objective)
        if result.status != 0:
            raise ValueError(
                f"period {self.block.period}: the figures admit no data ({result.message})"
            )
        self._points.append(result.x)
        return float(result.fun)

    def _solve_lp(self, objective):
        """The LP relaxation's minimum, from one HiGHS model per block kept between objectives
        (each solve starts from the last basis: the same optimum as a fresh linprog, faster)."""
        if self._model is None:
            self._model = highspy.Highs()
            self._model.setOptionValue("output_flag", False)
            width = len(self.lower)
            self._model.addVars(width, self.lower, self.upper)
            matrix = sparse.csr_array(self.matrix)
            if len(self.rhs):
                self._model.addRows(
                    len(self.rhs), np.full(len(self.rhs), -highspy.kHighsInf), self.rhs,
                    matrix.nnz, matrix.indptr.astype(np.int32), matrix.indices.astype(np.int32),
                    matrix.data,
                )  # fmt: skip
        every = np.arange(len(self.lower), dtype=np.int32)
        self._model.changeColsCost(every.size, every, objective.astype(np.float64))
        self._model.run()
        if self._model.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise ValueError(f"period {self.block.period}: the figures admit no data")
        self._points.append(np.asarray(self._model.getSolution().col_value))
        return float(self._model.getInfo().objective_function_value)

    def varies(self, columns, var, partial=()):
        """Whether feasible points already seen give this sum values too far apart for it to
        be pinned (True means surely not determined; False means unknown). ``partial`` adds
        (column, k, n): k of the n interchangeable people of a group's column, whose share of
        a seen group sum y can take any value in [max(k·low, y − (n−k)·high),
        min(k·high, y − (n−k)·low)] (the others holding the rest within their bounds)."""
        if not self._points:
            return False
        if len(self._points) != len(self._stacked):
            self._stacked = np.array(self._points)
        low = high = self._stacked[:, list(columns)].sum(axis=1)
        for column, k, n in partial:
            y = self._stacked[:, column]
            low = low + np.maximum(k * var.low, y - (n - k) * var.high)
            high = high + np.minimum(k * var.high, y - (n - k) * var.low)
        low, high = low.min(), high.max()
        if var.integer:
            return math.floor(high - TOLERANCE) - math.ceil(low + TOLERANCE) >= 1
        return high - low > 1e-4

    def range(self, columns):
        """The min and max of the sum of these columns over the block's polytope."""
        key = tuple(sorted(columns))
        if key not in self._ranges:
            self._ranges[key] = self._range(key)
        return self._ranges[key]

    def _range(self, columns):
        objective = np.zeros(len(self.lower))
        objective[list(columns)] = 1.0
        return self._solve(objective), -self._solve(-objective)


def _pinned(low, high, var):
    """The single value a range leaves (None when it leaves more than one)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    if var.integer:
        first, last = math.ceil(low - TOLERANCE), math.floor(high + TOLERANCE)
        return float(first) if first == last else None
    return (low + high) / 2 if high - low < TOLERANCE else None


# --- the LP attacker ---------------------------------------------------------------------------


def attack_ranges(pub, *, per_person=False, integral=False):
    """{(person, variable, period): (low, high)} for every person in a shown figure of a
    non-constant variable: the min and max of x over all shown figures plus the bounds.

    ``per_person`` solves two LPs per person (the reference); otherwise two per class of people
    in exactly the same shown figures, the range of one member of a class of n with class sum
    in [ylo, yhi] being [max(low, ylo − high·(n−1)), min(high, yhi − low·(n−1))].
    ``integral`` solves MILPs (integer variables kept integer) instead of LP relaxations."""
    variables = _variables(pub)
    ranges = {}
    for block in _blocks(pub, variables):
        groups = [(p,) for p in block.people] if per_person else block.classes
        ranges.update(_block_ranges(_BlockProgram(block, variables, groups, integral)))
    return ranges


def _block_ranges(program):
    ranges = {}
    for (g, name), column in program.columns.items():
        low_sum, high_sum = program.range([column])
        var, n = program.variables[name], len(program.groups[g])
        low = max(var.low, low_sum - var.high * (n - 1))
        high = min(var.high, high_sum - var.low * (n - 1))
        for person in program.groups[g]:
            ranges[(person, name, program.block.period)] = (low, high)
    return ranges


def _pins(ranges, variables):
    return {
        key: value
        for key, (low, high) in ranges.items()
        if (value := _pinned(low, high, variables[key[1]])) is not None
    }


def _allowed(figures, min_group, variables, pinned):
    """The pins that are group facts: every member of a shown figure of ≥ min_group people
    pinned to the same value on that variable."""
    allowed = set()
    for fig in figures:
        if len(fig.members) < min_group:
            continue
        for name in (fig.numerator, fig.denominator):
            if name is None or variables[name].constant:
                continue
            keys = [(p, name, fig.period) for p in fig.members]
            values = [pinned.get(key) for key in keys]
            if None not in values and max(values) - min(values) <= TOLERANCE:
                allowed.update(keys)
    return allowed


def lp_attack(pub, *, per_person=False, integral=False):
    """The LP attacker with value bounds: people whose value the figures pin down.

    Assumes the attacker knows every shown figure's rounding interval, the variables' bounds
    and who the members are, and nothing else. For each person, variable and period in a
    shown figure it takes the min and max of x over that polytope (LP relaxation by default,
    so an integer variable counts as narrowed when its range holds exactly one integer; a
    continuous one when the range is narrower than 1e-6). A narrowing shared by every member
    of a shown figure of at least ``min_group`` people is a group fact, not a leak.
    Returns the leaks, sorted."""
    variables = _variables(pub)
    ranges = attack_ranges(pub, per_person=per_person, integral=integral)
    pinned = _pins(ranges, variables)
    allowed = _allowed(_shown(pub, variables), pub["min_group"], variables, pinned)
    return sorted(
        Narrowed(key[0], key[1], key[2], *ranges[key]) for key in pinned if key not in allowed
    )


# --- the sparse-combination attacker -----------------------------------------------------------


def _candidates(member_sets, classes, min_group):
    """Small sets worth pricing: differences, intersections and leftovers of shown member
    sets, plus whole small classes, one person of each and a pair of each."""
    sets = list(dict.fromkeys(member_sets))
    found = set()

    def keep(people):
        if 0 < len(people) < min_group:
            found.add(frozenset(people))

    for a in sets:
        keep(a)
    for a, b in permutations(sets, 2):
        keep(a - b)
        keep(a & b)
        keep(a ^ b)
    for a in sets:
        inside = [b for b in sets if b < a]
        if inside:
            keep(a - frozenset().union(*inside))
        for b, c in combinations(inside, 2):
            if not b & c:
                keep(a - b - c)
    small = [c for c in classes if len(c) < min_group]
    for people in small:
        keep(people)
        keep(people[:1])
        keep(people[:2])
    for one, other in combinations(small, 2):
        keep(one + other)
    return found


def _sum_range(program, people, name):
    """The min and max of Σ_{people} x[name] over a block program, exactly: whole groups are
    summed; people inside one group of n interchangeable people are priced from that group's
    range like one person is; any other mix is solved on the groups split by the set. When
    feasible points already seen show the sum is not pinned, returns (−inf, inf) instead."""
    var, groups = program.variables[name], program.groups
    parts = [(g, k) for g, members in enumerate(groups) if (k := len(people.intersection(members)))]
    if all(k == len(groups[g]) for g, k in parts):
        columns = [program.columns[(g, name)] for g, _ in parts]
        if program.varies(columns, var):
            return -math.inf, math.inf  # not the range, but surely not pinned
        return program.range(columns)
    if len(parts) == 1:
        (g, k), n = parts[0], len(groups[parts[0][0]])
        low, high = program.range([program.columns[(g, name)]])
        return max(k * var.low, low - (n - k) * var.high), min(
            k * var.high, high - (n - k) * var.low
        )
    whole = [program.columns[(g, name)] for g, k in parts if k == len(groups[g])]
    shares = [(program.columns[(g, name)], k, len(groups[g])) for g, k in parts
              if k < len(groups[g])]  # fmt: skip
    if program.varies(whole, var, shares):
        return -math.inf, math.inf  # not the range, but surely not pinned
    split = []
    for members in groups:
        split += [
            part
            for part in (
                tuple(p for p in members if (p in people) is side) for side in (True, False)
            )
            if part
        ]
    inside = [g for g, members in enumerate(split) if members[0] in people]
    program = _BlockProgram(program.block, program.variables, split, program.integral)
    return program.range([program.columns[(g, name)] for g in inside])


def _lp_small_sums(pub, variables, per_person=False):
    min_group = pub["min_group"]
    found = {}
    for block in _blocks(pub, variables):
        groups = [(p,) for p in block.people] if per_person else block.classes
        program = _BlockProgram(block, variables, groups)
        pinned = _pins(_block_ranges(program), variables)
        allowed = _allowed(block.figures, min_group, variables, pinned)
        class_of = {p: c for c in block.classes for p in c}
        for name in block.variables:
            member_sets = [frozenset(f.members) for f in block.figures if f.mentions(name)]
            present = frozenset().union(*member_sets)
            classes = [c for c in block.classes if c[0] in present]
            for people in sorted(_candidates(member_sets, classes, min_group), key=sorted):
                if all((p, name, block.period) in allowed for p in people):
                    continue  # every one of them is a group fact already
                low, high = _sum_range(program, people, name)
                value = _pinned(low, high, variables[name])
                if value is None:
                    continue
                group = [people]
                if len(people) == 1:  # the members of a class are interchangeable
                    group = [frozenset([p]) for p in class_of[next(iter(people))]]
                for each in group:
                    key = (tuple(sorted(each)), name, block.period)
                    found[key] = SmallSum(*key, value, "lp")
    return found


def _linear_small_sums(pub, variables):
    """Class unions (up to 3 small classes) whose indicator lies in the span of the shown
    figures' member indicators: their sum is a combination of the figures' sums. Each is then
    priced with the rounding of those figures and the bounds (two LPs over its block): a
    union whose range still holds one value is reported."""
    min_group = pub["min_group"]
    programs = {}
    for block in _blocks(pub, variables):
        program = _BlockProgram(block, variables, block.classes)
        pinned = _pins(_block_ranges(program), variables)
        allowed = _allowed(block.figures, min_group, variables, pinned)
        for name in block.variables:
            programs[(block.period, name)] = (program, allowed)
    by_key = defaultdict(list)
    for fig in _shown(pub, variables):
        for name in {fig.numerator, fig.denominator}:
            if name is not None and not variables[name].constant:
                by_key[(fig.period, name)].append(fig)
    found = {}
    for (period, name), figs in sorted(by_key.items()):
        people = sorted({p for fig in figs for p in fig.members})
        column = {p: j for j, p in enumerate(people)}
        rows = np.zeros((len(figs), len(people)))
        for i, fig in enumerate(figs):
            rows[i, [column[p] for p in fig.members]] = 1.0
        patterns = defaultdict(list)
        for j, person in enumerate(people):
            patterns[rows[:, j].tobytes()].append(person)
        small = [tuple(c) for c in patterns.values() if len(c) < min_group]
        if not small:
            continue
        _, singular, vt = np.linalg.svd(rows, full_matrices=False)
        basis = vt[singular > 1e-9 * max(singular.max(), 1.0)].T  # people × rank
        indicators = np.zeros((len(people), len(small)))
        for k, c in enumerate(small):
            indicators[[column[p] for p in c], k] = 1.0
        residual = indicators - basis @ (basis.T @ indicators)
        gram = residual.T @ residual
        sizes = [len(c) for c in small]
        for size in (1, 2, 3):
            for combo in combinations(range(len(small)), size):
                if sum(sizes[k] for k in combo) >= min_group:
                    continue
                if gram[np.ix_(combo, combo)].sum() > 1e-12:
                    continue
                members = frozenset(p for k in combo for p in small[k])
                program, allowed = programs[(period, name)]
                if all((p, name, period) in allowed for p in members):
                    continue  # every one of them is a group fact already
                value = _pinned(*_sum_range(program, members, name), variables[name])
                if value is None:
                    continue  # the rounding leaves it more than one value
                key = (tuple(sorted(members)), name, period)
                found[key] = SmallSum(*key, value, "linear")
    return found


def sum_attack(pub, *, lp=True, linear=True, per_person=False):
    """The sparse-combination attacker: sets of fewer than ``min_group`` people whose total
    of a variable at a period is determined.

    LP search (``lp``): same knowledge as :func:`lp_attack` (rounding intervals, bounds,
    members). Candidate sets come from the shown member sets of that variable and period
    (A∖B, A∩B, A△B, A∖(B∪C) for disjoint B, C ⊂ A, A minus every shown set inside it), plus
    each small class of interchangeable people, one and two of its members, and unions of
    two small classes. A candidate is confirmed by two LPs: its total is determined when the
    range holds a single integer (integer variables) or is narrower than 1e-6. Sets made only
    of people pinned by group facts (see :func:`lp_attack`) are not reported.

    Linear search (``linear``): any union of up to 3 small classes with fewer than
    ``min_group`` people whose indicator lies in the span of the figures' member indicators
    (its sum is a combination of the figures' sums, whatever the differences or chains of
    groups it takes) is priced by two LPs with the rounding and the bounds, and reported when
    its range holds one value.

    Results found by both searches are reported once, as "lp". The LP search prices sets on
    class sums (exact, see :func:`attack_ranges`); ``per_person`` keeps one column per person
    (the reference)."""
    variables = _variables(pub)
    found = _lp_small_sums(pub, variables, per_person) if lp else {}
    if linear:
        for key, small_sum in _linear_small_sums(pub, variables).items():
            found.setdefault(key, small_sum)
    return sorted(found.values(), key=lambda s: (s.period, s.variable, len(s.people), s.people))
