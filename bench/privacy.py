"""Benchmark of the privacy cube at scale: the line rules alone, then with the exact audit.

Builds the generated company of bench/company.py (org tree, job families, sites; no database)
and suppresses its cube at the default minimum group size, once with the line rules only and
once with the audit that protects every combination of filters. Prints how long each takes,
what the audit found and hid, by how many dimensions the hidden groups cover whole (0: a
crossing of unit, family and site; 2: a unit's total…), and the peak memory. Last line: one
JSON object.

    .venv/bin/python bench/privacy.py [--people 100000]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from company import generate_company, log, peak_mb

from tremplin.compute import privacy
from tremplin.compute.audit import Leaks
from tremplin.compute.privacy import VISIBLE, suppress_cube

FAMILIES = 10  # the values of the family and site dimensions include "none", as in snapshots


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    company = generate_company(np.random.default_rng(7), args.people, FAMILIES)
    n = int(company.unit_parent.size)
    dims = [company.family, company.site]
    n_values = [FAMILIES + 1, int(company.site.max()) + 2]
    found: list[int] = []

    def counted(*call: object) -> Leaks:
        leaks = find_leaks(*call)  # type: ignore[arg-type]
        found.append(len(leaks.atoms) + len(leaks.cells))
        return leaks

    find_leaks = privacy.find_leaks
    audit = privacy.audit_cube
    privacy.audit_cube = lambda *_args: None  # type: ignore[assignment]
    started = time.perf_counter()
    lines_only = suppress_cube(company.unit_parent, company.unit, dims, n_values, args.k)
    lines_s = time.perf_counter() - started
    privacy.audit_cube = audit
    privacy.find_leaks = counted  # type: ignore[assignment]
    started = time.perf_counter()
    cube = suppress_cube(company.unit_parent, company.unit, dims, n_values, args.k)
    audited_s = time.perf_counter() - started
    privacy.find_leaks = find_leaks

    selectable = np.r_[0:n, 2 * n]
    nonempty = cube.sizes[selectable] > 0
    before = (lines_only.reason[selectable] != VISIBLE) & nonempty
    after = (cube.reason[selectable] != VISIBLE) & nonempty
    added = np.argwhere(after & ~before)
    sizes = cube.sizes[selectable]
    breadth = [
        int(unit == n) + sum(int(v == m) for v, m in zip(values, n_values, strict=True))
        for unit, *values in added.tolist()
    ]
    log(f"{args.people} people, {n} units: lines {lines_s:.1f} s, with the audit {audited_s:.1f} s")
    result = {
        "people": args.people,
        "units": n,
        "cells": int(nonempty.sum()),
        "lines_only_s": round(lines_s, 2),
        "with_audit_s": round(audited_s, 2),
        "audit_rounds": len(found),
        "leaks_found": found[0] if found else 0,
        "hidden_by_lines": int(before.sum()),
        "hidden_by_audit": len(added),
        "audit_hidden_by_breadth": np.bincount(breadth, minlength=4).tolist(),
        "largest_audit_hidden": int(max((sizes[tuple(c)] for c in added), default=0)),
        "peak_mb": round(peak_mb()),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
