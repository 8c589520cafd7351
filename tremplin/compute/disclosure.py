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
     sum that is a linear combination of visible sums: the union is searched exactly by a
     small integer program over the directions the large atoms leave free;
   - a cell hidden by rule 1 or 2 must not be such a combination either.
   Each leak is closed by hiding one more visible cell among those the attacker used, the
   smallest group first (so totals go last), and the audit runs again until nothing leaks.
   Population-level leaks (differences of groups, whatever the values) are found once on the
   groups alone and hidden for every variable.

Pass condition checked here and by the independent attackers of the tests: no sum over fewer
than `k` people is determined, and no person's value is pinned unless every member of a visible
group of at least `k` people is pinned to that same value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, sparse

from tremplin.compute.publication import COMPLEMENT, FEW, SMALL, VISIBLE, Publication

MIN_CONTRIBUTORS = 3
TOL = 1e-7


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
    structural: int = 0  # cells hidden for every variable by the population audit
    systems: int = 0  # (variable, period) systems audited
    linear_programs: int = 0
    integer_programs: int = 0


def _atoms(pub: Publication, tables: tuple[int, ...]) -> Atoms:
    labels = np.stack([pub.tables[t].group for t in tables], axis=1)
    found, of_person, sizes = np.unique(labels, axis=0, return_inverse=True, return_counts=True)
    return Atoms(tables, found, sizes, of_person.reshape(-1))


def _incidence(pub: Publication, atoms: Atoms, cells: list[tuple[int, int]]) -> sparse.csr_matrix:
    """(cells, atoms) 0/1: which atoms each (table, group) cell sums over."""
    position = {t: j for j, t in enumerate(atoms.tables)}
    rows, cols = [], []
    for r, (t, g) in enumerate(cells):
        found = np.flatnonzero(atoms.labels[:, position[t]] == g)
        rows.append(np.full(found.size, r))
        cols.append(found)
    data = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    return sparse.csr_matrix(
        (np.ones(data.size), (data, np.concatenate(cols) if cols else data)),
        shape=(len(cells), atoms.sizes.size),
    )


def _range_basis(gram: np.ndarray) -> np.ndarray:
    """Orthonormal basis (columns) of the range of a symmetric positive semi-definite matrix."""
    if gram.size == 0:
        return np.zeros((gram.shape[0], 0))
    values, vectors = np.linalg.eigh(gram)
    keep = values > TOL * max(1.0, float(values.max(initial=0.0)))
    return vectors[:, keep]


@dataclass(frozen=True)
class SmallSum:
    atoms: np.ndarray  # atom indexes whose union's sum is determined
    weights: np.ndarray  # (cells,) a combination of visible cells giving it


def small_determined_sum(
    incidence: sparse.csr_matrix, sizes: np.ndarray, k: int, report: Report | None = None
) -> SmallSum | None:
    """A union of atoms with fewer than `k` people whose sum is a combination of the cells'
    sums, or None. Exact: such a union is orthogonal to every atom it leaves out, in
    particular to every atom of `k` people or more, so the search runs over the directions
    those leave free (usually none at scale) with an integer program over the small atoms."""
    m = incidence
    big = sizes >= k
    gram_all = (m @ m.T).toarray()
    all_basis = _range_basis(gram_all)
    big_part = m[:, np.flatnonzero(big)]
    big_basis = _range_basis((big_part @ big_part.T).toarray())
    # Directions w with ⟨w, atom⟩ = 0 for every big atom, within the span of all atoms.
    free = all_basis - big_basis @ (big_basis.T @ all_basis)
    free_basis = _range_basis(free @ free.T)
    if free_basis.shape[1] == 0:
        return None
    small = np.flatnonzero(~big)
    coords = np.asarray(m[:, small].T @ free_basis)  # (small atoms, d)
    moving = np.linalg.norm(coords, axis=1) > TOL
    small, coords = small[moving], coords[moving]
    if small.size == 0:
        return None
    d = coords.shape[1]
    n = small.size
    # Variables: t (d, free) then z (n, binary). ⟨coords_a, t⟩ = z_a; Σ size·z ≤ k−1; Σ z ≥ 1.
    equal = sparse.hstack([sparse.csr_matrix(coords), -sparse.identity(n)])
    weight = sparse.csr_matrix(np.r_[np.zeros(d), sizes[small]].reshape(1, -1))
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
        np.r_[np.zeros(d), sizes[small]],
        constraints=constraints,
        bounds=bounds,
        integrality=np.r_[np.zeros(d), np.ones(n)],
        options={"time_limit": 60},
    )
    if result.status == 2:  # proven infeasible: no such union
        return None
    if result.x is None:  # not proven either way (time limit): fail closed
        return SmallSum(small, np.ones(m.shape[0]))
    chosen = small[result.x[d:] > 0.5]
    target = np.zeros(sizes.size)
    target[chosen] = 1.0
    weights, *_ = np.linalg.lstsq(m.T.toarray(), target, rcond=None)
    return SmallSum(chosen, weights)


def determined(incidence: sparse.csr_matrix, target: np.ndarray) -> np.ndarray | None:
    """The combination of cells giving `target` (a vector over atoms), or None when no
    combination does."""
    m = incidence
    if m.shape[0] == 0:
        return None
    weights, *_ = np.linalg.lstsq(m.T.toarray(), target, rcond=None)
    if np.abs(m.T @ weights - target).max(initial=0.0) > 1e-6:
        return None
    return np.asarray(weights)


def implicit_bounds(
    incidence: sparse.csr_matrix, sums: np.ndarray, low: np.ndarray, high: np.ndarray,
    candidates: np.ndarray, report: Report | None = None,
) -> np.ndarray:  # fmt: skip
    """Which candidate atoms no solution can move off their bound (low when `candidates` is
    at low in the data, else high): one linear program, homogenised so that every bound that
    some solution leaves is left by at least 1 at the optimum (Freund, Roundy and Todd)."""
    m = incidence
    n = low.size
    c = candidates.size
    if c == 0:
        return np.zeros(0, dtype=bool)
    # Variables: y (n), λ (1), s (c). Maximise Σ s.
    # M y − λ·sums = 0; λ·low ≤ y ≤ λ·high; s_j ≤ y_j − λ·low_j (or λ·high_j − y_j); 0 ≤ s ≤ 1.
    ident = sparse.identity(n, format="csr")
    rows_eq = sparse.hstack(
        [m, sparse.csr_matrix(-sums.reshape(-1, 1)), sparse.csr_matrix((m.shape[0], c))]
    )
    lower = sparse.hstack(
        [-ident, sparse.csr_matrix(low.reshape(-1, 1)), sparse.csr_matrix((n, c))]
    )
    upper = sparse.hstack(
        [ident, sparse.csr_matrix(-high.reshape(-1, 1)), sparse.csr_matrix((n, c))]
    )
    pick = sparse.csr_matrix((np.ones(c), (np.arange(c), candidates)), shape=(c, n))
    slack = sparse.hstack(
        [-pick, sparse.csr_matrix(low[candidates].reshape(-1, 1)), sparse.identity(c)]
    )
    a_ub = sparse.vstack([lower, upper, slack]).tocsr()
    b_ub = np.zeros(a_ub.shape[0])
    bounds = [(None, None)] * n + [(1, None)] + [(0, 1)] * c
    if report is not None:
        report.linear_programs += 1
    result = optimize.linprog(
        np.r_[np.zeros(n + 1), -np.ones(c)], A_ub=a_ub, b_ub=b_ub, A_eq=rows_eq,
        b_eq=np.zeros(m.shape[0]), bounds=bounds, method="highs",
    )  # fmt: skip
    if result.x is None:
        return np.ones(c, dtype=bool)
    return np.asarray(result.x[n + 1 :] < 1e-6)


@dataclass
class _System:
    """One variable at one period: its visible cells and the atoms of its tables."""

    cells: list[tuple[int, int]]  # visible (table, group)
    hidden: list[tuple[int, int]]  # hidden by rule 1 or 2: must stay undetermined
    atoms: Atoms
    sums: np.ndarray  # (cells,)
    values: np.ndarray  # (atoms,) true sums
    low: np.ndarray
    high: np.ndarray


def protect(
    pub: Publication,
    value: Callable[[str, int], np.ndarray],
    *,
    contributors: int = MIN_CONTRIBUTORS,
) -> Report:
    """Apply rules 1 to 3 to `pub.reason` in place (sums must be computed)."""
    report = Report(figures=pub.figure_count())
    _small_and_few(pub, value, contributors)
    atoms_of: dict[tuple[int, ...], Atoms] = {}
    _structural(pub, atoms_of, report)
    by_variable: dict[tuple[str, int], list[int]] = {}
    for t, name, period in pub.cell_keys():
        by_variable.setdefault((name, period), []).append(t)
    for (name, period), tables in by_variable.items():
        variable = pub.variables[name]
        if variable.constant:
            continue
        key = tuple(sorted(tables))
        if key not in atoms_of:
            atoms_of[key] = _atoms(pub, key)
        x = np.asarray(value(name, period), dtype=np.float64)
        _audit(pub, name, period, atoms_of[key], x, report)
    report.hidden = sum(pub.withheld().values())
    return report


def _small_and_few(
    pub: Publication, value: Callable[[str, int], np.ndarray], contributors: int
) -> None:
    for (t, name, period), reason in pub.reason.items():
        table = pub.tables[t]
        sizes = table.sizes()
        reason[(sizes > 0) & (sizes < pub.k)] = SMALL
        variable = pub.variables[name]
        if variable.constant:
            continue
        x = np.asarray(value(name, period))
        inside = table.group >= 0
        above = np.bincount(table.group[inside], x[inside] > variable.low, table.n_groups)
        below = np.bincount(table.group[inside], x[inside] < variable.high, table.n_groups)
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


def _structural(pub: Publication, atoms_of: dict[tuple[int, ...], Atoms], report: Report) -> None:
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
            m = _incidence(pub, atoms, cells)
            leak = small_determined_sum(m, atoms.sizes, pub.k, report)
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


def _audit(
    pub: Publication, name: str, period: int, atoms: Atoms, x: np.ndarray, report: Report
) -> None:
    variable = pub.variables[name]
    values = np.bincount(atoms.of_person, x, minlength=atoms.sizes.size)
    low = variable.low * atoms.sizes
    high = variable.high * atoms.sizes
    report.systems += 1
    for _round in range(10_000):
        cells = [
            (t, g)
            for t in atoms.tables
            for g in np.flatnonzero(pub.reason[(t, name, period)] == VISIBLE).tolist()
        ]
        hidden = [
            (t, g)
            for t in atoms.tables
            for g in np.flatnonzero(
                np.isin(pub.reason[(t, name, period)], (SMALL, FEW)) & (pub.tables[t].sizes() > 0)
            ).tolist()
        ]
        m = _incidence(pub, atoms, cells)
        sums = np.asarray(m @ values)
        leaking = _find_leaks(pub, m, cells, hidden, atoms, values, sums, low, high, report)
        if not leaking:
            return
        report.leaks_found += len(leaking)
        for cell in leaking:
            _hide(pub, name, period, cell)


def _find_leaks(
    pub: Publication, m: sparse.csr_matrix, cells: list[tuple[int, int]],
    hidden: list[tuple[int, int]], atoms: Atoms, values: np.ndarray, sums: np.ndarray,
    low: np.ndarray, high: np.ndarray, report: Report,
) -> set[tuple[int, int]]:  # fmt: skip
    """The visible cells to hide next, one per leak found in this round (none: no leak)."""
    k = pub.k
    # Groups at a bound pin all their members: allowed (a group-level fact).
    group_low = np.asarray(m @ low)
    group_high = np.asarray(m @ high)
    extreme = (np.abs(sums - group_low) < 1e-9) | (np.abs(sums - group_high) < 1e-9)
    known = np.asarray(m[np.flatnonzero(extreme)].sum(axis=0)).reshape(-1) > 0
    # With them known, another group's remaining people pinned to a bound: a leak.
    rest = m[:, ~known]
    remaining = sums - np.asarray(m[:, known] @ values[known])
    rest_low, rest_high = np.asarray(rest @ low[~known]), np.asarray(rest @ high[~known])
    has_rest = np.asarray(rest.sum(axis=1)).reshape(-1) > 0
    pinned = has_rest & (
        (np.abs(remaining - rest_low) < 1e-9) | (np.abs(remaining - rest_high) < 1e-9)
    )
    if pinned.any():
        return {cells[i] for i in np.flatnonzero(pinned)}
    open_ = np.flatnonzero(~known)
    sub = m[:, open_]
    # Atoms at a bound in the data that no solution can move off it: a leak.
    at_bound = np.flatnonzero(
        (np.abs(values[open_] - low[open_]) < 1e-9) | (np.abs(values[open_] - high[open_]) < 1e-9)
    )
    if at_bound.size and sub.shape[0]:
        flip = np.abs(values[open_][at_bound] - high[open_][at_bound]) < 1e-9
        lo, hi = low[open_].copy(), high[open_].copy()
        # Mirror atoms at their upper bound so that every candidate sits at its lower bound.
        mirror = np.ones(open_.size)
        mirror[at_bound[flip]] = -1
        mirrored = sub @ sparse.diags(mirror)
        lo_m = np.where(mirror < 0, -hi, lo)
        hi_m = np.where(mirror < 0, -lo, hi)
        stuck = implicit_bounds(
            sparse.csr_matrix(mirrored), remaining, lo_m, hi_m, at_bound, report
        )
        if stuck.any():
            found = set()
            by_atom = m.tocsc()
            for atom in open_[at_bound[np.flatnonzero(stuck)]].tolist():
                holding = by_atom.indices[by_atom.indptr[atom] : by_atom.indptr[atom + 1]]
                found.add(min((cells[i] for i in holding), key=lambda c: (_cost(pub, c), c)))
            return found
    # With the known people removed, a union of fewer than k people determined: a leak.
    leak = small_determined_sum(sub, atoms.sizes[open_], k, report)
    if leak is not None:
        return {_cheapest(pub, cells, leak.weights)}
    # A cell hidden by rule 1 or 2 must not be a combination of the visible ones.
    position = {t: j for j, t in enumerate(atoms.tables)}
    for t, g in hidden:
        inside = atoms.labels[open_, position[t]] == g
        if not inside.any():
            continue
        weights = determined(sub, inside.astype(float))
        if weights is not None:
            return {_cheapest(pub, cells, weights)}
    return set()
