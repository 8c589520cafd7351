"""Protecting a publication, as statistical offices do, then attacking it before it is shown.

The figures of a publication (`compute.publication`) are sums of bounded per-person variables
over groups of people. Every rule here works on **cells** (one variable summed over one group
at one period) and on **atoms**: the people sharing the same group in every table that shows
the variable. People of one atom are interchangeable for anyone reading the figures, so what an
attacker can learn is about atoms and unions of atoms.

1. **Minimum group size.** Groups under `k` are pooled by the tables (`publication.pool`);
   a pool still under `k` is hidden (SMALL).
2. **Minimum contributors.** A cell whose sum is carried by fewer than `contributors` people
   (people above the variable's lower bound), or whose complement is (people below its upper
   bound), is hidden (FEW): a mean carried by one or two people, a rate of 1 in 40 or of
   39 in 40. A sum of zero or at the maximum is shown: every member shares it, which is a fact
   about the group, not about a person.
3. **Audit and complementary suppression**, per variable and period, over every table at once.
   The attacker knows every visible cell's sum exactly (sizes are public and, on small groups,
   rounding hides nothing; assuming exact sums is the worst case) and the bounds:
   - a visible group at a bound pins all its members: allowed, a group-level fact;
   - with those people known, any other group whose remaining people are then pinned to a
     bound, or any atom an LP over the bounds pins (one linear program finds every bound that
     no solution can leave: the implicit equalities), is a leak;
   - with the known people removed, no union of atoms holding fewer than `k` people may have a
     sum that is a linear combination of visible sums: the union is searched exactly over the
     directions the large atoms leave free (usually none at scale);
   - a cell hidden by rule 2 must not be such a combination either (one hidden by rule 1
     holds fewer than `k` people: the previous search covers it).
   Each leak is closed by hiding one more visible cell among those the attacker used, the
   smallest group first (so totals go last), and the audit runs again until nothing leaks;
   hiding a cell that pins nobody only widens what the attacker can solve for, so the next
   round resumes at the kind of leak just closed. The attacker reads only the cells a figure
   shows with a value: not a cell whose ratio is 0/0 or has its other sum hidden (once another
   variable's audit hid that sum, this variable is audited again), so such a group at a bound
   excuses nobody.
   Population-level leaks (differences of groups, whatever the values) are found once on the
   groups alone and hidden for every variable.

The linear algebra runs in the space of cells (a few dozen) rather than of atoms (thousands),
with exact shortcuts before any program: an atom at a bound whose column the other atoms span
can move (no linear program), and a union's membership is fixed by a few independent atoms, so
the small unions are enumerated instead of searched by an integer program.

Pass condition checked here and by the independent attackers of the tests: no sum over fewer
than `k` people is determined, and no person's value is pinned unless every member of a visible
group of at least `k` people is pinned to that same value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import optimize, sparse

from tremplin.compute.publication import COMPLEMENT, FEW, SMALL, VISIBLE, Publication

MIN_CONTRIBUTORS = 3
TOL = 1e-7
AT = 1e-9  # a sum this close to a bound is at it
SUBSETS = 50_000  # past this many candidate unions, an integer program searches them
BLOCK = 1_000_000  # rows × subsets checked at once


@dataclass(frozen=True)
class Atoms:
    """People grouped by their group in each of some tables."""

    tables: tuple[int, ...]
    labels: np.ndarray  # (atoms, tables) group index in each table
    sizes: np.ndarray  # (atoms,)
    of_person: np.ndarray  # (people,) atom of each person
    incidence: np.ndarray  # (groups of every table, atoms) 0/1, table t's group g at row
    first_row: dict[int, int]  # first_row[t] + g

    @cached_property
    def gram(self) -> np.ndarray:
        """incidence · incidenceᵀ: how many atoms every two groups share."""
        return self.incidence @ self.incidence.T


@dataclass
class Report:
    figures: int = 0
    hidden: int = 0
    leaks_found: int = 0  # leaks the audit found (and closed)
    structural: int = 0  # cells hidden for every variable by the population audit
    systems: int = 0  # (variable, period) systems audited
    linear_programs: int = 0
    integer_programs: int = 0


def _atoms(pub: Publication, tables: tuple[int, ...]) -> Atoms:
    labels = np.stack([pub.tables[t].group for t in tables], axis=1)
    found, of_person, sizes = np.unique(labels, axis=0, return_inverse=True, return_counts=True)
    first_row: dict[int, int] = {}
    rows: list[np.ndarray] = []
    for j, t in enumerate(tables):
        first_row[t] = sum(block.shape[0] for block in rows)
        rows.append(np.arange(pub.tables[t].n_groups)[:, None] == found[None, :, j])
    incidence = np.vstack(rows).astype(np.float64)
    return Atoms(tables, found, sizes, of_person.reshape(-1), incidence, first_row)


def _rows(atoms: Atoms, cells: list[tuple[int, int]]) -> np.ndarray:
    return np.array([atoms.first_row[t] + g for t, g in cells], dtype=np.int64)


def _incidence(atoms: Atoms, cells: list[tuple[int, int]]) -> np.ndarray:
    """(cells, atoms) 0/1: which atoms each (table, group) cell sums over."""
    return atoms.incidence[_rows(atoms, cells)]


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


def combinations(
    incidence: np.ndarray, targets: np.ndarray, gram: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For each target (a column over atoms), the least-squares combination of the cells
    (rows) giving it, and whether it gives it exactly. Solved in the space of cells (a few
    dozen) through the eigenvectors of M Mᵀ (`gram` when known) rather than over the atoms
    (thousands)."""
    m = incidence
    if m.shape[0] == 0:
        return np.zeros((0, targets.shape[1])), np.zeros(targets.shape[1], dtype=bool)
    values, vectors = np.linalg.eigh(m @ m.T if gram is None else gram)
    keep = values > TOL * max(1.0, float(values.max(initial=0.0)))
    basis = vectors[:, keep]
    weights = basis @ ((basis.T @ (m @ targets)) / values[keep][:, None])
    exact = np.abs(m.T @ weights - targets).max(axis=0, initial=0.0) <= 1e-6
    return weights, exact


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


def stuck_at_bound(
    incidence: np.ndarray, candidates: np.ndarray, at_high: np.ndarray,
    report: Report | None = None, gram: np.ndarray | None = None,
) -> np.ndarray:  # fmt: skip
    """Which candidate atoms (at their low bound in the data, or at their high one where
    `at_high`) no solution of the cells' sums within the bounds can move off that bound.

    The data is a solution and every other atom lies strictly inside its bounds, so a
    candidate can move exactly when some direction d with M d = 0 moves it inwards and no
    candidate outwards; the other atoms may go either way. Projecting the candidates' columns
    off the span of the other atoms' columns leaves that question in the few dimensions the
    others do not span: a candidate whose projection is zero moves alone (usually all of them,
    and no program runs); for the others, one small linear program finds every candidate that
    some direction moves (Freund, Roundy and Todd: maximise Σ s with s ≤ d, 0 ≤ s ≤ 1).
    `gram`: M Mᵀ, when known."""
    m = incidence
    stuck = np.zeros(candidates.size, dtype=bool)
    if candidates.size == 0 or m.shape[0] == 0:
        return stuck
    inside = np.ones(m.shape[1], dtype=bool)
    inside[candidates] = False
    basis = _range_basis(_gram(m, inside, gram))
    inwards = m[:, candidates] * np.where(at_high, -1.0, 1.0)
    left = inwards - basis @ (basis.T @ inwards)
    tied = np.flatnonzero(np.linalg.norm(left, axis=0) > AT)
    if tied.size == 0:
        return stuck
    # Candidates with the same column move together: one variable each.
    first, of_tied = _same_columns(np.vstack([inwards[:, tied] != 0, at_high[tied]]))
    stuck[tied] = _stuck_directions(left[:, tied[first]], report)[of_tied]
    return stuck


def _stuck_directions(directions: np.ndarray, report: Report | None) -> np.ndarray:
    """Which columns p_j take no part in any combination Σ d·p = 0 with d ≥ 0."""
    u = directions.shape[1]
    # Gordan: a y with ⟨y, p_j⟩ > 0 for every j leaves no combination but d = 0.
    unit = directions / np.linalg.norm(directions, axis=0)
    if (unit.sum(axis=1) @ unit > AT).all():
        return np.ones(u, dtype=bool)
    # Variables: d (u) ≥ 0, then s (u) in [0, 1]. Σ d·p = 0; s ≤ d; maximise Σ s.
    rows = directions.shape[0]
    matrix = sparse.bmat(
        [[sparse.csr_matrix(directions), None], [-sparse.identity(u), sparse.identity(u)]]
    )
    if report is not None:
        report.linear_programs += 1
    # milp without integer variables: a linear program, with less overhead than linprog.
    result = optimize.milp(
        np.r_[np.zeros(u), -np.ones(u)],
        constraints=optimize.LinearConstraint(
            matrix, np.r_[np.zeros(rows), np.full(u, -np.inf)], np.zeros(rows + u)
        ),
        bounds=optimize.Bounds(np.zeros(2 * u), np.r_[np.full(u, np.inf), np.ones(u)]),
    )
    if result.x is None:  # not solved: fail closed
        return np.ones(u, dtype=bool)
    return np.asarray(result.x[u:] < 0.5)


def protect(
    pub: Publication,
    value: Callable[[str, int], np.ndarray],
    *,
    contributors: int = MIN_CONTRIBUTORS,
) -> Report:
    """Apply rules 1 to 3 to `pub.reason` in place (sums must be computed)."""
    report = Report(figures=pub.figure_count())
    values: dict[tuple[str, int], np.ndarray] = {}

    def value_of(name: str, period: int) -> np.ndarray:
        if (name, period) not in values:
            values[(name, period)] = np.asarray(value(name, period), dtype=np.float64)
        return values[(name, period)]

    _small_and_few(pub, value_of, contributors)
    atoms_of: dict[tuple[int, ...], Atoms] = {}
    small_sums: dict[bytes, SmallSum | None] = {}
    _structural(pub, atoms_of, small_sums, report)
    by_variable: dict[tuple[str, int], list[int]] = {}
    for t, name, period in pub.cell_keys():
        if not pub.variables[name].constant:
            by_variable.setdefault((name, period), []).append(t)
    read = _read(pub)
    systems = set(by_variable)
    while systems:
        for (name, period), tables in by_variable.items():
            if (name, period) not in systems:
                continue
            key = tuple(sorted(tables))
            if key not in atoms_of:
                atoms_of[key] = _atoms(pub, key)
            _audit(pub, name, period, atoms_of[key], value_of(name, period), read, small_sums,
                   report)  # fmt: skip
        # Where hiding the other sum of a ratio took a figure away, the reader lost that cell
        # (and a group at a bound there no longer excuses its people): audited again.
        now = _read(pub)
        systems = {
            (name, period)
            for (t, name, period), shown in read.items()
            if (shown & ~now[(t, name, period)] & (pub.reason[(t, name, period)] == VISIBLE)).any()
        }
        read = now
    report.hidden = sum(pub.withheld().values())
    return report


def _read(pub: Publication) -> dict[tuple[int, str, int], np.ndarray]:
    """Which cells a figure shown with a value reads (a ratio over an empty denominator,
    0/0, shows nothing)."""
    read = {key: np.zeros(reason.size, dtype=bool) for key, reason in pub.reason.items()}
    for t, table in enumerate(pub.tables):
        for measure in table.measures:
            for period in table.periods_of(measure):
                shown = ~np.isnan(pub.values(t, measure, period))
                for name in measure.variables():
                    read[(t, name, period)] |= shown
    return read


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


def _cheapest(
    pub: Publication, cells: list[tuple[int, int]], weights: np.ndarray
) -> tuple[int, int]:
    used = [cells[i] for i in np.flatnonzero(np.abs(weights) > 1e-6)]
    return min(used or cells, key=lambda cell: (_cost(pub, cell), cell))


def _structural(
    pub: Publication, atoms_of: dict[tuple[int, ...], Atoms],
    small_sums: dict[bytes, SmallSum | None], report: Report,
) -> None:  # fmt: skip
    """Differences of groups that isolate fewer than k people whatever the values: found on
    the groups alone, for each set of tables published together, and hidden for every
    variable of those tables."""
    tables_of: dict[str, set[int]] = {}
    for t, name, _period in pub.cell_keys():
        if not pub.variables[name].constant:
            tables_of.setdefault(name, set()).add(t)
    groups: dict[tuple[int, ...], list[str]] = {}
    for name, tables in tables_of.items():
        groups.setdefault(tuple(sorted(tables)), []).append(name)
    for key, names in groups.items():
        if key not in atoms_of:
            atoms_of[key] = _atoms(pub, key)
        atoms = atoms_of[key]
        # Visible when shown for some variable (a second audit of a protected publication
        # starts where the first ended).
        shown_somewhere = {
            t: np.any(
                [reason == VISIBLE for (t2, name, _p), reason in pub.reason.items()
                 if t2 == t and name in names],
                axis=0,
            )
            for t in key
        }  # fmt: skip
        visible = {
            (t, g)
            for t in key
            for g in np.flatnonzero(shown_somewhere[t] & (pub.tables[t].sizes() >= pub.k)).tolist()
        }
        while True:
            cells = sorted(visible)
            m = _incidence(atoms, cells)
            leak = small_determined_sum(m, atoms.sizes, pub.k, report, small_sums)
            if leak is None:
                break
            report.leaks_found += 1
            cell = _cheapest(pub, cells, leak.weights)
            visible.discard(cell)
            report.structural += 1
            for t, name, period in pub.cell_keys():
                if t == cell[0] and name in names:
                    reason = pub.reason[(t, name, period)]
                    if reason[cell[1]] == VISIBLE:
                        reason[cell[1]] = COMPLEMENT


# The kinds of leak, in the order the audit looks for them.
PINNED_GROUP, PINNED_ATOM, SMALL_UNION, HIDDEN_CELL = range(4)


def _audit(
    pub: Publication, name: str, period: int, atoms: Atoms, x: np.ndarray,
    read: dict[tuple[int, str, int], np.ndarray], small_sums: dict[bytes, SmallSum | None],
    report: Report,
) -> None:  # fmt: skip
    variable = pub.variables[name]
    values = np.bincount(atoms.of_person, x, minlength=atoms.sizes.size)
    low = variable.low * atoms.sizes
    high = variable.high * atoms.sizes
    report.systems += 1
    # Cells hidden by rule 2 (those by rule 1 hold fewer than k people: the search for small
    # unions covers them).
    few = [
        (t, g)
        for t in atoms.tables
        for g in np.flatnonzero(pub.reason[(t, name, period)] == FEW).tolist()
    ]
    start = PINNED_GROUP
    for _round in range(10_000):
        # What a reader has: the visible cells a figure shows with a value.
        cells = [
            (t, g)
            for t in atoms.tables
            for g in np.flatnonzero(
                (pub.reason[(t, name, period)] == VISIBLE) & read[(t, name, period)]
            ).tolist()
        ]
        rows = _rows(atoms, cells)
        m = atoms.incidence[rows]
        sums = m @ values
        # Groups at a bound pin all their members: allowed (a group-level fact).
        extreme = _at(sums, m @ low) | _at(sums, m @ high)
        kind, leaking = _find_leaks(
            pub, m, atoms.gram[np.ix_(rows, rows)], cells, extreme, few, atoms, values, sums,
            low, high, start, small_sums, report,
        )  # fmt: skip
        if not leaking:
            return
        report.leaks_found += len(leaking)
        for cell in leaking:
            _hide(pub, name, period, cell)
        # Hiding cells that pin nobody keeps the known people and only widens what the
        # attacker can solve for: the kinds of leak already ruled out stay ruled out.
        row = {cell: i for i, cell in enumerate(cells)}
        start = PINNED_GROUP if any(extreme[row[cell]] for cell in leaking) else kind


def _at(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(a - b) < AT


def _find_leaks(
    pub: Publication, m: np.ndarray, gram: np.ndarray, cells: list[tuple[int, int]],
    extreme: np.ndarray,
    few: list[tuple[int, int]], atoms: Atoms, values: np.ndarray, sums: np.ndarray,
    low: np.ndarray, high: np.ndarray, start: int,
    small_sums: dict[bytes, SmallSum | None], report: Report,
) -> tuple[int, set[tuple[int, int]]]:  # fmt: skip
    """The kind of the leaks found, from `start` on, and the visible cells to hide next, one
    per leak (none: no leak)."""
    known = m[extreme].any(axis=0)
    open_ = np.flatnonzero(~known)
    sub = m[:, open_]
    sub_gram = _gram(m, ~known, gram)
    if start <= PINNED_GROUP:
        # With them known, another group's remaining people pinned to a bound: a leak.
        remaining = sums - m[:, known] @ values[known]
        pinned = sub.any(axis=1) & (
            _at(remaining, sub @ low[open_]) | _at(remaining, sub @ high[open_])
        )
        if pinned.any():
            return PINNED_GROUP, {cells[i] for i in np.flatnonzero(pinned)}
    if start <= PINNED_ATOM:
        # Atoms at a bound in the data that no solution can move off it: a leak.
        at_high = _at(values[open_], high[open_])
        at_bound = np.flatnonzero(_at(values[open_], low[open_]) | at_high)
        stuck = stuck_at_bound(sub, at_bound, at_high[at_bound], report, sub_gram)
        if stuck.any():
            # For each, the smallest visible group holding it.
            order = sorted(range(len(cells)), key=lambda i: (_cost(pub, cells[i]), cells[i]))
            rank = np.empty(len(cells))
            rank[order] = np.arange(len(cells))
            holding = sub[:, at_bound[stuck]] > 0
            cheapest = np.where(holding, rank[:, None], np.inf).argmin(axis=0)
            return PINNED_ATOM, {cells[i] for i in cheapest.tolist()}
    if start <= SMALL_UNION:
        # With the known people removed, a union of fewer than k people determined: a leak.
        leak = small_determined_sum(sub, atoms.sizes[open_], pub.k, report, small_sums, sub_gram)
        if leak is not None:
            return SMALL_UNION, {_cheapest(pub, cells, leak.weights)}
    # A cell hidden by rule 2 must not be a combination of the visible ones (one hidden by
    # rule 1 cannot be: its people would be a small union, and none is determined).
    if not few:
        return HIDDEN_CELL, set()
    position = {t: j for j, t in enumerate(atoms.tables)}
    inside = np.stack([atoms.labels[open_, position[t]] == g for t, g in few], axis=1)
    weights, exact = combinations(sub, inside.astype(np.float64), sub_gram)
    found = np.flatnonzero(exact & inside.any(axis=0))
    if found.size:
        return HIDDEN_CELL, {_cheapest(pub, cells, weights[:, found[0]])}
    return HIDDEN_CELL, set()
