"""Checks across rows: duplicate ids, unknown managers, loops in reporting lines."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.compute.hierarchy import tree_paths
from tremplin.people.imports.rows import PersonRow, RowProblem


def check_duplicates(rows: list[PersonRow], id_column: str) -> list[RowProblem]:
    """Every row of an id that appears more than once, each message naming the first row
    (or, on the first row, how many others share it): the report grows with the rows, never
    with their square."""
    by_id: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_id[row.employee_id].append(row.row)
    problems = []
    for employee_id, numbers in by_id.items():
        if len(numbers) < 2:
            continue
        first, others = numbers[0], len(numbers) - 1
        problems.append(
            RowProblem(
                first,
                id_column,
                ngettext(
                    "employee id %(id)s appears again on %(count)s other row",
                    "employee id %(id)s appears again on %(count)s other rows",
                    others,
                )
                % {"id": employee_id, "count": others},
                employee_id,
            )
        )
        problems += [
            RowProblem(
                n,
                id_column,
                _("employee id %(id)s already appears on row %(row)s")
                % {"id": employee_id, "row": first},
                employee_id,
            )
            for n in numbers[1:]
        ]
    return problems


def check_managers(
    rows: list[PersonRow],
    rejected: set[int],
    existing_managers: dict[str, str | None],
    manager_column: str,
) -> list[RowProblem]:
    """Reject rows whose manager is unknown, themselves, on a rejected row, or in a loop.

    `rejected` holds the numbers of rows already rejected for other reasons (they are still
    checked for an unknown manager, so that one reading shows every problem of a row).
    `existing_managers` maps every employee id already in the database to their manager's id.
    Repeats until stable, since rejecting a row can orphan the rows that report to it.
    """
    problems: list[RowProblem] = []
    in_file: dict[str, PersonRow] = {}
    for row in rows:
        in_file.setdefault(row.employee_id, row)
    valid = {row.employee_id: row for row in rows if row.row not in rejected}
    for row in rows:
        if row.row in rejected:
            message = _manager_problem(row, in_file, existing_managers)
            if message and row.values.get("manager") not in in_file:
                problems.append(
                    RowProblem(row.row, manager_column, message, str(row.values["manager"]))
                )
    while True:
        rejected_now: list[PersonRow] = []
        for row in valid.values():
            manager = row.values.get("manager")
            if not manager:
                continue
            message = _manager_problem(row, in_file, existing_managers)
            if message is None:
                if manager in valid or manager in existing_managers:
                    continue
                message = _("manager %(id)s is on row %(row)s, which is rejected") % {
                    "id": manager,
                    "row": in_file[str(manager)].row,
                }
            problems.append(RowProblem(row.row, manager_column, message, str(manager)))
            rejected_now.append(row)
        if not rejected_now:
            rejected_now = _rows_in_loops(valid, existing_managers, manager_column, problems)
        if not rejected_now:
            return problems
        for row in rejected_now:
            valid.pop(row.employee_id, None)


def _manager_problem(
    row: PersonRow, in_file: dict[str, PersonRow], existing: dict[str, str | None]
) -> str | None:
    manager = row.values.get("manager")
    if not manager:
        return None
    if manager == row.employee_id:
        return _("a person cannot be their own manager")
    if manager not in in_file and manager not in existing:
        return (
            _("unknown manager %s: no row of the file and no person has this employee id") % manager
        )
    return None


def _rows_in_loops(
    valid: dict[str, PersonRow],
    existing: dict[str, str | None],
    manager_column: str,
    problems: list[RowProblem],
) -> list[PersonRow]:
    parent_of: dict[str, str | None] = dict(existing)
    for employee_id, row in valid.items():
        if "manager" in row.values:
            parent_of[employee_id] = str(row.values["manager"]) or None
        else:
            parent_of.setdefault(employee_id, None)
    loops = tree_paths(parent_of).in_cycle
    rejected = []
    for employee_id in sorted(loops):
        looping = valid.get(employee_id)
        if looping is None:
            continue
        chain = [employee_id]
        node = parent_of[employee_id]
        while node is not None and node != employee_id and len(chain) < 50:
            chain.append(node)
            node = parent_of[node]
        chain.append(employee_id)
        problems.append(
            RowProblem(
                looping.row,
                manager_column,
                _("the reporting line loops: %s") % " → ".join(chain),
                str(looping.values.get("manager", "")),
            )
        )
        rejected.append(looping)
    return rejected
