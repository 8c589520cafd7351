"""Protecting a publication, as statistical offices do, then attacking it before it is shown.

The figures of a publication (`compute.publication`) are ratios of sums of bounded per-person
variables over groups of people, rounded. Every rule here works on **cells** (one variable
summed over one group at one period) and on **atoms**: the people sharing the same group in
every table that shows the variable. People of one atom are interchangeable for anyone reading
the figures, so what an attacker can learn is about atoms and unions of atoms.

1. **Minimum group size.** Groups under `k` are pooled by the tables (`publication.pool`);
   a pool still under `k` is hidden (SMALL).
2. **Minimum contributors.** A cell whose sum is carried by fewer than `contributors` people
   (people above the variable's lower bound), or whose complement is (people below its upper
   bound), has its value withheld (FEW): a mean carried by one or two people, a rate of 1 in
   40 or of 39 in 40. A per-head figure then shows only the bound every such sum shares ("at
   most 12 %", "at least 96 %", `Publication.bounded`), as offices publish "under 3": the
   bound says no more than the rule does, keeps the row readable, and is one more range for
   the audit. A sum of zero or at the maximum is shown: every member shares it, which is a
   fact about the group, not about a person.
3. **Rounding to the group's size.** A figure of a whole-valued variable is rounded to a step
   that leaves at least two possible sums (`publication.precision`): 0.01 on large groups,
   0.1 or 0.2 of a level (5 to 20 %) on groups of ten to fifty. Exact figures would let two
   groups that differ by a few people give those people's sum by subtraction; rounded ones
   give a range of several values, so near-identical tables (a department and its job family)
   can both be shown.
4. **Audit and complementary suppression**, for each set of variables linked by a ratio
   figure and each period, over every table at once. The attacker knows each shown figure's
   rounding interval (a linear range on the sums, or on a ratio of two of them), the bounds of
   the variables (levels 0–4, flags 0/1) and that values are whole (`compute.intervals`):
   - nobody may be narrowed to one value, unless every member of a visible group is narrowed
     to that same value (a group at 0 or at the maximum: a group-level fact);
   - no union of fewer than `k` people (differences, intersections and leftovers of the
     groups shown, and any combination the ranges fix exactly) may have its sum fixed;
   - a cell withheld by rule 2 must keep at least two possible sums.
   Each leak is closed through a visible figure over the people concerned, the smallest
   group first (so totals go last), never one of two identical figures alone: that figure is
   first rounded one step more coarsely (twice at most, never past half its range: a share
   to 25 %, shown as the range it stands for, "63–88 %", `Publication.widen`), and hidden
   when that is not enough; the audit runs again until nothing leaks. Two near-identical
   groups (a department and its job family, a few people apart) thus both stay readable.

Cheap certificates come before any linear program: the data is a solution, so an atom that
can take one unit more or less alone without leaving any range holds two values, and so does
every union holding it. A system met before is answered as it was then: a block's system is
often the same at several periods (levels that did not change), or another block's. Pass
condition, checked here and by the independent attackers of the tests: no sum over fewer
than `k` people is determined, and no person's value is narrowed to one value unless every
member of a visible group of at least `k` people is narrowed to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize, sparse

from tremplin.compute.intervals import EPS, System
from tremplin.compute.publication import (
    COMPLEMENT,
    FEW,
    MIN_CONTRIBUTORS,
    SMALL,
    VISIBLE,
    Publication,
)

TOL = 1e-7
SUBSETS = 50_000  # past this many candidate unions, an integer program searches them
BLOCK = 1_000_000  # rows × subsets checked at once


@dataclass(frozen=True)
class Atoms:
    """People grouped by their group in each of some tables."""

    tables: tuple[int, ...]
    labels: np.ndarray  # (atoms, tables) group index in each table
    sizes: np.ndarray  # (atoms,)
    of_person: np.ndarray  # (people,) atom of each person


@dataclass
class Report:
    figures: int = 0
    hidden: int = 0
    leaks_found: int = 0  # leaks the audit found (and closed)
    systems: int = 0  # (variables linked by ratios, period) systems audited
    linear_programs: int = 0
    integer_programs: int = 0


def _atoms(pub: Publication, tables: tuple[int, ...]) -> Atoms:
    labels = np.stack([pub.tables[t].group for t in tables], axis=1)
    found, of_person, sizes = np.unique(labels, axis=0, return_inverse=True, return_counts=True)
    return Atoms(tables, found, sizes, of_person.reshape(-1))


def _gram(incidence: np.ndarray, columns: np.ndarray, gram: np.ndarray | None) -> np.ndarray:
    """M Mᵀ over some columns (a mask): from `gram`, over all of them, less the others when
    those are fewer (counts, exact in floating point)."""
    if gram is not None and 2 * int(columns.sum()) > columns.size:
        rest = incidence[:, ~columns]
        return gram - rest @ rest.T
    part = incidence[:, columns]
    return part @ part.T


def _range_basis(gram: np.ndarray) -> np.ndarray:
    """Orthonormal basis (columns) of the range of a symmetric positive semi-definite matrix."""
    if gram.size == 0:
        return np.zeros((gram.shape[0], 0))
    values, vectors = np.linalg.eigh(gram)
    keep = values > TOL * max(1.0, float(values.max(initial=0.0)))
    return vectors[:, keep]


def _same_columns(flags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first column of each distinct column of a 0/1 matrix, and each column's class."""
    keys = np.ascontiguousarray(np.packbits(flags, axis=0).T)
    rows = keys.view(np.dtype((np.void, keys.shape[1]))).reshape(-1)
    _distinct, first, of_column = np.unique(rows, return_index=True, return_inverse=True)
    return first, of_column.reshape(-1)


@dataclass(frozen=True)
class SmallSum:
    atoms: np.ndarray  # atom indexes whose union's sum is determined
    weights: np.ndarray  # (cells,) a combination of visible cells giving it


def small_determined_sum(
    incidence: np.ndarray, sizes: np.ndarray, k: int, report: Report | None = None,
    known: dict[bytes, SmallSum | None] | None = None, gram: np.ndarray | None = None,
) -> SmallSum | None:  # fmt: skip
    """A union of atoms with fewer than `k` people whose sum is a combination of the cells'
    sums, or None. Exact: such a union is orthogonal to every atom it leaves out, in
    particular to every atom of `k` people or more, so the search runs over the directions
    those leave free (usually none at scale) with an integer program over the small atoms.

    The answer depends on the cells' pattern over the atoms and the atoms' sizes only, the
    same for many variables and periods: `known` keeps the answers already found. `gram`:
    M Mᵀ, when known."""
    if known is None:
        return _small_determined_sum(incidence, sizes, k, report, gram)
    key = b"".join(
        [np.asarray(incidence.shape).tobytes(), np.packbits(incidence > 0).tobytes(),
         sizes.astype(np.int64).tobytes()]
    )  # fmt: skip
    if key not in known:
        known[key] = _small_determined_sum(incidence, sizes, k, report, gram)
    return known[key]


def _small_determined_sum(
    incidence: np.ndarray, sizes: np.ndarray, k: int, report: Report | None,
    gram: np.ndarray | None,
) -> SmallSum | None:  # fmt: skip
    m = incidence
    big = sizes >= k
    big_gram = _gram(m, big, gram)
    small_gram = _gram(m, ~big, None) if gram is None else gram - big_gram
    # Directions w with ⟨w, atom⟩ = 0 for every big atom, within the span of all atoms:
    # the span of the small atoms' columns projected off the big ones'.
    big_basis = _range_basis(big_gram)
    off_big = np.identity(m.shape[0]) - big_basis @ big_basis.T
    free = off_big @ small_gram @ off_big
    free_basis = _range_basis((free + free.T) / 2)
    if free_basis.shape[1] == 0:
        return None
    small = np.flatnonzero(~big)
    coords = m[:, small].T @ free_basis  # (small atoms, d)
    moving = np.linalg.norm(coords, axis=1) > TOL
    small, coords = small[moving], coords[moving]
    if small.size == 0:
        return None
    # Atoms with the same column are in or out together: one class each.
    first, of_class = _same_columns(m[:, small] > 0)
    union = _smallest_union(coords[first], np.bincount(of_class, sizes[small]), k, report)
    if union is None:
        return None
    # The combination of cells giving it lies in the free directions: the shortest one.
    t, *_ = np.linalg.lstsq(coords, union[of_class].astype(np.float64), rcond=None)
    return SmallSum(small[union[of_class]], free_basis @ t)


def _smallest_union(
    coords: np.ndarray, sizes: np.ndarray, k: int, report: Report | None
) -> np.ndarray | None:
    """The classes z (0/1, not all 0) of fewest people, under `k`, with z = coords·t for
    some t, or None. coords has full column rank d, so z is fixed by its values on any d
    independent rows: on the largest classes there are few subsets under k people, and
    trying each is exact; past SUBSETS of them, an integer program decides."""
    basis = _independent_rows(coords, sizes)
    subsets = _subsets_under(sizes[basis], k - 1)
    if subsets is None:
        return _smallest_union_milp(coords, sizes, k, report)
    lift = np.linalg.solve(coords[basis].T, coords.T).T  # z = lift · z[basis]
    # Most subsets fail on the first rows: check rows a block at a time on the survivors.
    step = max(1, BLOCK // max(1, subsets.shape[1]))
    for start in range(0, lift.shape[0], step):
        z = lift[start : start + step] @ subsets
        rounded = np.round(z)
        binary = (np.abs(z - rounded) < 1e-6) & ((rounded == 0) | (rounded == 1))
        subsets = subsets[:, binary.all(axis=0)]
        if subsets.shape[1] == 0:
            return None
    unions = np.round(lift @ subsets)
    total = sizes @ unions
    fits = np.flatnonzero(total <= k - 1)
    if fits.size == 0:
        return None
    return unions[:, fits[np.argmin(total[fits])]] > 0.5


def _independent_rows(coords: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """d independent rows of coords, the largest classes first among rows far enough from
    the span of those already chosen (at least half the farthest: a well-conditioned set)."""
    left = coords.copy()
    chosen = []
    for _ in range(coords.shape[1]):
        norms = np.linalg.norm(left, axis=1)
        near = np.flatnonzero(norms >= norms.max() / 2)
        row = int(near[np.argmax(sizes[near])])
        chosen.append(row)
        unit = left[row] / norms[row]
        left -= np.outer(left @ unit, unit)
    return np.array(chosen)


def _subsets_under(weights: np.ndarray, cap: float) -> np.ndarray | None:
    """(len(weights), subsets) 0/1: every non-empty subset of total weight ≤ cap, or None
    when there are more than SUBSETS."""
    chosen = np.zeros((weights.size, 1))
    total = np.zeros(1)
    for j, w in enumerate(weights.tolist()):
        fits = np.flatnonzero(total + w <= cap)
        grown = chosen[:, fits].copy()
        grown[j] = 1.0
        chosen = np.hstack([chosen, grown])
        total = np.r_[total, total[fits] + w]
        if total.size > SUBSETS:
            return None
    return chosen[:, 1:]


def _smallest_union_milp(
    coords: np.ndarray, sizes: np.ndarray, k: int, report: Report | None
) -> np.ndarray | None:
    n, d = coords.shape
    # Variables: t (d, free) then z (n, binary). ⟨coords_a, t⟩ = z_a; Σ size·z ≤ k−1; Σ z ≥ 1.
    equal = sparse.hstack([sparse.csr_matrix(coords), -sparse.identity(n)])
    weight = sparse.csr_matrix(np.r_[np.zeros(d), sizes].reshape(1, -1))
    count = sparse.csr_matrix(np.r_[np.zeros(d), np.ones(n)].reshape(1, -1))
    constraints = [
        optimize.LinearConstraint(equal, -TOL, TOL),
        optimize.LinearConstraint(weight, 0, k - 1),
        optimize.LinearConstraint(count, 1, np.inf),
    ]
    bounds = optimize.Bounds(
        np.r_[np.full(d, -1e6), np.zeros(n)], np.r_[np.full(d, 1e6), np.ones(n)]
    )
    if report is not None:
        report.integer_programs += 1
    result = optimize.milp(
        np.r_[np.zeros(d), sizes],
        constraints=constraints,
        bounds=bounds,
        integrality=np.r_[np.zeros(d), np.ones(n)],
        options={"time_limit": 60},
    )
    if result.status == 2:  # proven infeasible: no such union
        return None
    if result.x is None:  # not proven either way (time limit): fail closed, all of them
        return np.ones(n, dtype=bool)
    return np.asarray(result.x[d:] > 0.5)


def protect(
    pub: Publication,
    value: Callable[[str, int], np.ndarray],
    *,
    contributors: int = MIN_CONTRIBUTORS,
    rounds: int = 10_000,
) -> Report:
    """Apply rules 1 to 4 to `pub.reason` in place (sums must be computed). With `rounds=1`,
    each system is attacked once: the leaks then found are counted and hidden, but not
    attacked again (a count of what an unprotected publication gives away, not protection)."""
    report = Report(figures=pub.figure_count())
    pub.contributors = contributors
    values: dict[tuple[str, int], np.ndarray] = {}

    def value_of(name: str, period: int) -> np.ndarray:
        if (name, period) not in values:
            values[(name, period)] = np.asarray(value(name, period), dtype=np.float64)
        return values[(name, period)]

    _small_and_few(pub, value_of, contributors)
    small_sums: dict[bytes, SmallSum | None] = {}
    answers: dict[bytes, list[tuple[int, int, int]]] = {}
    atoms_of: dict[tuple[int, ...], Atoms] = {}  # blocks often span the same tables
    cells_of: dict[str, list[tuple[int, int]]] = {}  # (table, period) of each variable's cells
    for t, name, period in pub.cell_keys():
        cells_of.setdefault(name, []).append((t, period))
    for block in _blocks(pub):
        cells = [cell for name in block for cell in cells_of.get(name, [])]
        tables = tuple(sorted({t for t, _p in cells}))
        if not tables:
            continue  # published for no period
        if tables not in atoms_of:
            atoms_of[tables] = _atoms(pub, tables)
        atoms = atoms_of[tables]
        for period in sorted({p for _t, p in cells}):
            _audit_block(pub, block, period, atoms, value_of, small_sums, answers, report, rounds)
    report.hidden = sum(pub.withheld().values())
    return report


def _small_and_few(
    pub: Publication, value: Callable[[str, int], np.ndarray], contributors: int
) -> None:
    # Counted per atom of every table first: one pass over the people per variable.
    everyone = _atoms(pub, tuple(range(len(pub.tables))))
    counted: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
    for (t, name, period), reason in pub.reason.items():
        table = pub.tables[t]
        sizes = table.sizes()
        reason[(sizes > 0) & (sizes < pub.k)] = SMALL
        variable = pub.variables[name]
        if variable.constant:
            continue
        if (name, period) not in counted:
            x = value(name, period)
            counted[(name, period)] = (
                np.bincount(everyone.of_person, x > variable.low, everyone.sizes.size),
                np.bincount(everyone.of_person, x < variable.high, everyone.sizes.size),
            )
        above_atoms, below_atoms = counted[(name, period)]
        group = everyone.labels[:, t]
        inside = group >= 0
        above = np.bincount(group[inside], above_atoms[inside], table.n_groups)
        below = np.bincount(group[inside], below_atoms[inside], table.n_groups)
        few = ((above > 0) & (above < contributors)) | ((below > 0) & (below < contributors))
        reason[(reason == VISIBLE) & few] = FEW


def _hide(pub: Publication, name: str, period: int, cell: tuple[int, int]) -> None:
    pub.reason[(cell[0], name, period)][cell[1]] = COMPLEMENT


def _cost(pub: Publication, cell: tuple[int, int]) -> float:
    return float(pub.tables[cell[0]].sizes()[cell[1]])


def _blocks(pub: Publication) -> list[tuple[str, ...]]:
    """The variables audited together: those a ratio figure links (a figure of two private
    sums constrains both), one block per connected set; constant variables need no audit."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    for table in pub.tables:
        for measure in table.measures:
            names = [n for n in measure.variables() if not pub.variables[n].constant]
            for name in names:
                root(name)
            for other in names[1:]:
                parent[root(other)] = root(names[0])
    found: dict[str, list[str]] = {}
    for name in parent:
        found.setdefault(root(name), []).append(name)
    return [tuple(sorted(names)) for names in found.values()]


Hidden = tuple[int, int, str]  # (table, group, numerator): the figure to hide


@dataclass
class _Rows:
    """The ranges one block's shown figures give at one period, and the cell behind each."""

    system: System
    cells: list[tuple[int, int]]  # (table, group) of each range's figure
    numerators: list[str]  # the variable whose cell hides that figure
    groups: list[np.ndarray]  # (atoms,) bool: the atoms of each range's group


def _system(
    pub: Publication, block: tuple[str, ...], period: int, atoms: Atoms,
    value_of: Callable[[str, int], np.ndarray], known: list[np.ndarray],
) -> _Rows:  # fmt: skip
    n = atoms.sizes.size
    width = n * len(block)
    column = {name: i * n for i, name in enumerate(block)}
    coefficients: list[np.ndarray] = []
    lows: list[np.ndarray] = []
    highs: list[np.ndarray] = []
    cells: list[tuple[int, int]] = []
    numerators: list[str] = []
    groups: list[np.ndarray] = []

    def add(rows: np.ndarray, low: np.ndarray, high: np.ndarray, t: int, shown: np.ndarray,
            inside: np.ndarray, name: str, each: int = 1) -> None:  # fmt: skip
        """`each` ranges for every group of `shown` in turn; `inside`: its atoms."""
        coefficients.append(rows.reshape(each * shown.size, width))
        lows.append(low.reshape(-1))
        highs.append(high.reshape(-1))
        cells.extend((t, g) for g in np.repeat(shown, each).tolist())
        numerators.extend([name] * (each * shown.size))
        groups.extend(np.repeat(inside, each, axis=0))

    for j, t in enumerate(atoms.tables):
        table = pub.tables[t]
        for measure in table.measures:
            names = measure.variables()
            if not names or not set(names) <= set(block) or period not in table.periods_of(measure):
                continue
            values = pub.values(t, measure, period)
            shown = np.flatnonzero(~np.isnan(values))
            inside = atoms.labels[:, j][None, :] == shown[:, None]  # (shown groups, atoms)
            num = column[measure.numerator]
            if pub.total(t, measure) is not None:
                rows = np.zeros((shown.size, width))
                rows[:, num : num + n] = inside
                low, high = pub.ranges(t, measure, period)
                add(rows, low[shown], high[shown], t, shown, inside, measure.numerator)
                continue
            # A ratio of two private sums, three ranges per group: below the top of its
            # rounding interval, above its bottom, and over a denominator above zero.
            steps = pub.steps(t, measure, period)
            den = column[str(measure.denominator)]
            rows = np.zeros((shown.size, 3, width))
            rows[:, :2, num : num + n] = inside[:, None, :]
            rows[:, 0, den : den + n] = -(values + steps / 2)[shown, None] * inside
            rows[:, 1, den : den + n] = -(values - steps / 2)[shown, None] * inside
            rows[:, 2, den : den + n] = inside
            smallest = 1.0 if pub.variables[str(measure.denominator)].integer else 0.0
            low = np.repeat([[-np.inf, 0.0, smallest]], shown.size, axis=0)
            high = np.repeat([[0.0, np.inf, np.inf]], shown.size, axis=0)
            add(rows, low, high, t, shown, inside, measure.numerator, each=3)
    system = System(
        a=np.vstack([np.zeros((0, width)), *coefficients]),
        low=np.concatenate([np.zeros(0), *lows]),
        high=np.concatenate([np.zeros(0), *highs]),
        lo=np.concatenate([pub.variables[name].low * atoms.sizes for name in block]).astype(
            np.float64
        ),
        hi=np.concatenate([pub.variables[name].high * atoms.sizes for name in block]).astype(
            np.float64
        ),
        sizes=np.tile(atoms.sizes, len(block)),
        y=np.concatenate(
            [np.bincount(atoms.of_person, value_of(name, period), minlength=n) for name in block]
        ),
        known=known,
    )
    return _Rows(system, cells, numerators, groups)


def _fingerprint(
    pub: Publication, block: tuple[str, ...], period: int, atoms: Atoms, rows: _Rows
) -> bytes:
    """Everything `_block_leaks` reads, as one key (a 256-bit digest): the system, the cell
    behind each range and the cells withheld by rule 2."""
    digest = hashlib.blake2b(digest_size=32)
    system = rows.system
    few = [pub.reason.get((t, name, period), np.zeros(0)) == FEW
           for name in block for t in atoms.tables]  # fmt: skip
    numerators = [block.index(name) for name in rows.numerators]
    for part in (atoms.tables, system.a, system.low, system.high, system.lo, system.hi,
                 system.y, rows.cells, numerators, *few):  # fmt: skip
        array = np.ascontiguousarray(part)
        digest.update(np.array(array.shape).tobytes() + array.dtype.str.encode())
        digest.update(array.tobytes())
    return digest.digest()


def _audit_block(
    pub: Publication, block: tuple[str, ...], period: int, atoms: Atoms,
    value_of: Callable[[str, int], np.ndarray], small_sums: dict[bytes, SmallSum | None],
    answers: dict[bytes, list[tuple[int, int, int]]], report: Report, rounds: int,
) -> None:  # fmt: skip
    """Audit some variables at one period against a reader of their shown figures, who knows
    each within its rounding (`compute.intervals`), and hide figures until nobody is narrowed
    to one value but by a fact about a whole visible group, no sum over fewer than k people
    is fixed, and no cell hidden by rule 2 is fixed. `answers`: the figures to hide (table,
    group, variable of the block) for each system already audited, by `_fingerprint`."""
    report.systems += 1
    known: list[np.ndarray] = []  # the solutions of its programs, from round to round
    for _round in range(rounds):
        rows = _system(pub, block, period, atoms, value_of, known)
        key = _fingerprint(pub, block, period, atoms, rows)
        if key not in answers:
            found = _block_leaks(pub, block, period, atoms, rows, small_sums, report)
            answers[key] = [(t, g, block.index(name)) for t, g, name in found]
            report.linear_programs += rows.system.linear_programs
        leaking = {(t, g, block[v]) for t, g, v in answers[key]}
        if not leaking:
            return
        report.leaks_found += len(leaking)
        for t, g, name in leaking:
            if not pub.widen(t, name, period, g):
                _hide(pub, name, period, (t, g))


def _block_leaks(
    pub: Publication, block: tuple[str, ...], period: int, atoms: Atoms, rows: _Rows,
    small_sums: dict[bytes, SmallSum | None], report: Report,
) -> set[tuple[int, int, str]]:  # fmt: skip
    """The figures to hide next, as (table, group, numerator), one per leak found."""
    system = rows.system
    n = atoms.sizes.size
    # The same figure over the same people in two tables (a department that is also a job
    # family) tells nothing more: hiding one copy alone changes nothing, so a copy is hidden
    # only when no figure of its own would do, and then with its twins.
    twins: dict[bytes, list[int]] = {}
    for i in range(len(rows.cells)):
        key = system.a[i].tobytes() + np.array([system.low[i], system.high[i]]).tobytes()
        twins.setdefault(key, []).append(i)
    copies = {i: same for same in twins.values() for i in same}

    def bound_only(i: int) -> bool:  # a figure already withheld but for its bound goes first
        t, g = rows.cells[i]
        return bool(pub.reason[(t, rows.numerators[i], period)][g] == FEW)

    order = sorted(
        range(len(rows.cells)),
        key=lambda i: (len(copies[i]) > 1, not bound_only(i), _cost(pub, rows.cells[i]), i),
    )

    def cheapest(atom_mask: np.ndarray, among: list[int] | None = None) -> set[Hidden]:
        chosen = order[0] if among is None else min(among, key=order.index)
        for i in order if among is None else sorted(among, key=order.index):
            if (rows.groups[i] & atom_mask).any():
                chosen = i
                break
        return {(*rows.cells[j], rows.numerators[j]) for j in copies[chosen]}

    # People narrowed to one value, unless every member of a visible group is, to the same.
    narrowed = system.narrowed()
    if narrowed:
        value = np.full(system.y.size, np.nan)
        value[list(narrowed)] = list(narrowed.values())
        excused = np.zeros(system.y.size, dtype=bool)
        for v in range(len(block)):
            part = value[v * n : (v + 1) * n]
            for inside in {g.tobytes(): g for g in rows.groups}.values():
                same = part[inside]
                if inside.any() and not np.isnan(same).any() and np.ptp(same) < EPS:
                    excused[v * n : (v + 1) * n] |= inside
        leaking: set[Hidden] = set()
        for j in narrowed:
            if not excused[j]:
                leaking |= cheapest(np.arange(n) == j % n)
        if leaking:
            return leaking
    # Sums over fewer than k people: differences, intersections and leftovers of the groups
    # shown, whose whole range holds one value.
    up, down = system.witnesses()
    unions = _candidates(rows.groups, atoms.sizes, pub.k)
    for v in range(len(block)):
        span = slice(v * n, (v + 1) * n)
        moves = up[span] | down[span]
        for union in unions:
            if moves[union].any():
                continue  # one of its atoms moves alone: two sums at least
            weights = np.zeros(system.y.size)
            weights[span] = union
            if _moves_with_a_partner(system, weights > 0):
                continue
            if system.single(weights):
                return cheapest(union)
    # Sums over fewer than k people fixed by ranges and bounds no solution can leave.
    fixed, held = system.equalities()
    if fixed.any():
        equal = system.a[fixed]
        for v in range(len(block)):
            mine = np.zeros(system.y.size, dtype=bool)
            mine[v * n : (v + 1) * n] = True
            others = equal[:, ~mine & ~held]
            # Combinations of the fixed ranges that leave every other variable out.
            combos = (
                linalg.null_space(others.T).T if others.size and np.abs(others).max() > EPS
                else np.eye(equal.shape[0])
            )  # fmt: skip
            if not combos.size:
                continue
            open_ = mine & ~held
            leak = small_determined_sum(
                combos @ equal[:, open_], atoms.sizes[open_[v * n : (v + 1) * n]], pub.k,
                report, small_sums,
            )  # fmt: skip
            if leak is not None:
                return cheapest(np.ones(n, dtype=bool), np.flatnonzero(fixed).tolist())
    # A cell hidden by rule 2 must keep at least two possible sums.
    position = {t: j for j, t in enumerate(atoms.tables)}
    for v, name in enumerate(block):
        for t in atoms.tables:
            reason = pub.reason.get((t, name, period))
            for g in [] if reason is None else np.flatnonzero(reason == FEW).tolist():
                inside = atoms.labels[:, position[t]] == g
                columns = np.zeros(system.y.size, dtype=bool)
                columns[v * n : (v + 1) * n] = inside
                if (up[columns] | down[columns]).any() or _moves_with_a_partner(system, columns):
                    continue
                if system.single(columns.astype(np.float64)):
                    return cheapest(inside)
    return set()


def _candidates(groups: list[np.ndarray], sizes: np.ndarray, k: int) -> list[np.ndarray]:
    """(atoms,) masks of the unions of fewer than k people a reader would price first: the
    differences, intersections and symmetric differences of two groups shown, and what a
    group leaves once the groups inside it are taken away. Sizes are counted for every pair
    at once; only the small unions are built."""
    distinct = np.array(list({g.tobytes(): g for g in groups}.values()))
    if not distinct.size:
        return []
    weighted = distinct.astype(np.float64)
    common = (weighted * sizes) @ weighted.T  # people in both of two groups
    own = np.diag(common).copy()
    found: dict[bytes, np.ndarray] = {}

    def keep(mask: np.ndarray) -> None:
        found.setdefault(mask.tobytes(), mask)

    def small(counts: np.ndarray) -> np.ndarray:
        return (counts > 0.5) & (counts < k - 0.5)

    np.fill_diagonal(common, np.nan)  # a group against itself is no pair
    with np.errstate(invalid="ignore"):
        for i, j in zip(*np.nonzero(small(own[:, None] - common)), strict=True):
            keep(distinct[i] & ~distinct[j])
        for i, j in zip(*np.nonzero(np.triu(small(common))), strict=True):
            keep(distinct[i] & distinct[j])
        either = own[:, None] + own[None, :] - 2 * common
        for i, j in zip(*np.nonzero(np.triu(small(either))), strict=True):
            keep(distinct[i] ^ distinct[j])
        inside = np.abs(common - own[None, :]) < 0.5  # [i, j]: group j inside group i
    for i in range(distinct.shape[0]):
        members = np.flatnonzero(inside[i])
        if members.size:
            left = distinct[i] & ~distinct[members].any(axis=0)
            if 0 < sizes[left].sum() < k:
                keep(left)
    return list(found.values())


def _moves_with_a_partner(system: System, columns: np.ndarray) -> bool:
    """Whether one of `columns` can move by one unit while a column outside moves back:
    the sum over `columns` then takes two values."""
    inside = np.flatnonzero(columns)
    return any(system.partnered(inside, step, ~columns).any() for step in (1.0, -1.0))
