"""The plan optimiser: least hours, order, languages, yearly maximum, budgets, determinism."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tremplin.compute.plans import (
    COST,
    ENGLISH,
    FRENCH,
    GREEDY,
    HOURS,
    LANGUAGE,
    NO_MODULE,
    OPTIMAL,
    Catalogue,
    Module,
    Need,
    _models_of,
    check_catalogue,
    greedy,
    plan_everyone,
    plan_one,
    prerequisite_cycle,
    within_budgets,
)

THEORY, WORKSHOP, MICRO, LONG, ADVANCED = range(5)


def small_catalogue() -> Catalogue:
    return Catalogue(
        [
            Module("THEORY", 2.0, 0.0, ((0, 0, 1),), order=0),
            Module("WORKSHOP", 4.0, 400.0, ((0, 1, 2),), (THEORY,), order=1),
            Module("MICRO", 0.5, 10.0, ((0, 0, 1),)),
            Module("LONG", 6.0, 30.0, ((0, 1, 2),)),
            Module("ADVANCED", 7.0, 900.0, ((0, 2, 3),), languages=ENGLISH),
        ],
        n_competences=1,
    )


def need(current: int, target: int, **kwargs: object) -> Need:
    return Need((current,), (target,), (1.0,), **kwargs)  # type: ignore[arg-type]


def test_plan_takes_the_least_hours_and_puts_theory_before_the_workshop() -> None:
    plan = plan_one(small_catalogue(), need(0, 2))
    # Workshop with its theory: 6 h; micro-learning then the long e-learning: 6.5 h.
    assert plan.modules == (THEORY, WORKSHOP)
    assert plan.hours == 6.0 and plan.method == OPTIMAL and plan.open_steps == ()


def test_least_cost_setting_chooses_the_cheaper_route() -> None:
    plan = plan_one(small_catalogue(), need(0, 2), objective=COST)
    # free theory and the cheap e-learning (30 €) beat the workshop (400 €)
    assert plan.modules == (THEORY, LONG) and plan.cost == 30.0


def test_completed_prerequisite_is_not_proposed_again() -> None:
    plan = plan_one(small_catalogue(), need(1, 2, done=frozenset({THEORY})))
    assert plan.modules == (WORKSHOP,)


def test_gap_out_of_reach_says_why() -> None:
    catalogue = small_catalogue()
    french = plan_one(catalogue, need(2, 3, language=FRENCH))
    assert [(s.level, s.reason) for s in french.open_steps] == [(3, LANGUAGE)]
    english = plan_one(catalogue, need(2, 4, language=ENGLISH))
    assert english.modules == (ADVANCED,)
    assert [(s.level, s.reason) for s in english.open_steps] == [(4, NO_MODULE)]


def test_yearly_maximum_spreads_the_plan_over_years_in_order() -> None:
    plan = plan_one(small_catalogue(), need(0, 3, language=ENGLISH, max_hours=7.0))
    assert plan.modules == (THEORY, WORKSHOP, ADVANCED)
    assert plan.years == (1, 1, 2)
    assert plan.hours_in(small_catalogue(), 1) <= 7.0


def test_budget_moves_the_least_useful_spending_to_next_year() -> None:
    catalogue = small_catalogue()
    needs = [need(0, 2), need(0, 2)]
    plans = plan_everyone(catalogue, needs)
    assert sum(p.cost_in(catalogue, 1) for p in plans) == 800.0
    within_budgets(catalogue, needs, plans, [7, 7], {7: 500.0})
    assert sum(p.cost_in(catalogue, 1) for p in plans) <= 500.0
    assert [p.deferred for p in plans].count((WORKSHOP,)) == 1
    assert all(p.hours == 6.0 for p in plans)  # deferred, not dropped


def test_same_input_gives_the_same_plans_with_one_or_two_processes() -> None:
    catalogue = small_catalogue()
    needs = [need(c, t, language=lang) for c in range(3) for t in range(4) for lang in (1, 2, 3)]
    needs *= 40  # enough blocks for the pool to share them
    one = plan_everyone(catalogue, needs, workers=1)
    two = plan_everyone(catalogue, needs, workers=2)
    assert one == two == plan_everyone(catalogue, needs, workers=1)


def test_progress_reaches_everyone() -> None:
    seen: list[tuple[int, int]] = []
    plan_everyone(small_catalogue(), [need(0, 2)] * 3, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (3, 3)


def test_time_limit_falls_back_to_greedy_and_says_so() -> None:
    plans = plan_everyone(small_catalogue(), [need(0, 2)], time_limit=0.0)
    assert plans[0].method == GREEDY and plans[0].open_steps == ()


def test_catalogue_problems_are_found() -> None:
    modules = [
        Module("A", -1.0, 5.0, ((0, 0, 1),), (1,)),
        Module("B", 1.0, -5.0, ((0, 2, 1), (3, 0, 1)), (0,)),
    ]
    problems = {(p.module, p.field, p.code) for p in check_catalogue(modules, 1)}
    assert problems == {
        (0, "hours", "negative"),
        (1, "cost", "negative"),
        (1, "raises", "level_order"),
        (1, "raises", "competence"),
        (0, "prerequisites", "cycle"),
        (1, "prerequisites", "cycle"),
    }


def test_prerequisite_cycle_is_returned_in_order() -> None:
    assert prerequisite_cycle([(1,), (2,), (0,), ()]) == [0, 1, 2]
    assert prerequisite_cycle([(1,), (), (0, 1)]) == []


# --- against brute force -------------------------------------------------------------------


def _reached(catalogue: Catalogue, chosen: set[int], current: tuple[int, ...]) -> list[int]:
    reached = list(current)
    changed = True
    while changed:
        changed = False
        for m in chosen:
            for c, low, high in catalogue.modules[m].raises:
                if reached[c] >= low and high > reached[c]:
                    reached[c] = high
                    changed = True
    return reached


def _feasible(catalogue: Catalogue, chosen: set[int], current: tuple[int, ...]) -> bool:
    """Some order lets the person follow every chosen module: each once its prerequisites are
    done (or waived: the person already holds every level it brings) and its entry levels held.
    Taking a module never blocks another, so taking any ready one until none is left decides."""
    waived = {i for i, m in enumerate(catalogue.modules)
              if all(current[c] >= high for c, _, high in m.raises)}  # fmt: skip
    reached, taken, left = list(current), set(waived), set(chosen)
    while left:
        ready = [
            m
            for m in left
            if all(p in taken for p in catalogue.modules[m].prerequisites)
            and all(reached[c] >= low for c, low, _ in catalogue.modules[m].raises)
        ]
        if not ready:
            return False
        for m in ready:
            left.discard(m)
            taken.add(m)
            for c, _, high in catalogue.modules[m].raises:
                reached[c] = max(reached[c], high)
    return True


@st.composite
def problems(draw: st.DrawFn) -> tuple[Catalogue, Need]:
    n_comp = draw(st.integers(1, 2))
    modules = []
    for index in range(draw(st.integers(1, 7))):
        competence = draw(st.integers(0, n_comp - 1))
        low = draw(st.integers(0, 2))
        high = draw(st.integers(low + 1, 3))
        raises = [(competence, low, high)]
        if n_comp == 2 and draw(st.booleans()):
            raises.append((1 - competence, low, high))
        prerequisites = tuple(p for p in range(index) if draw(st.integers(0, 5)) == 0)
        hours = draw(st.sampled_from([0.5, 1.0, 2.0, 3.5, 7.0]))
        modules.append(Module(f"M{index}", hours, 1.0, tuple(raises), prerequisites))
    current = tuple(draw(st.integers(0, 2)) for _ in range(n_comp))
    target = tuple(draw(st.integers(0, 3)) for _ in range(n_comp))
    weight = tuple(draw(st.sampled_from([0.0, 1.0, 3.0])) for _ in range(n_comp))
    return Catalogue(modules, n_comp), Need(current, target, weight)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_plan_is_the_best_of_every_possible_set_of_modules(problem: tuple[Catalogue, Need]) -> None:
    catalogue, person = problem

    def closed(chosen: set[int]) -> float:
        reached = _reached(catalogue, chosen, person.current)
        return sum(
            (1 + person.weight[c]) * (min(reached[c], person.target[c]) - person.current[c])
            for c in range(catalogue.n_competences)
            if person.target[c] > person.current[c]
        )

    def elsewhere(m: int) -> bool:  # most of what it raises is not targeted for the person
        raises = catalogue.modules[m].raises
        return sum(person.target[c] == 0 for c, _, _ in raises) * 2 > len(raises)

    def value(chosen: set[int]) -> tuple[float, int, float]:
        hours = sum(catalogue.modules[m].hours for m in chosen)
        return closed(chosen), -sum(map(elsewhere, chosen)), -hours

    best = (-math.inf, 0, 0.0)
    indices = range(len(catalogue.modules))
    for size in range(len(catalogue.modules) + 1):
        for subset in itertools.combinations(indices, size):
            chosen = set(subset)
            if _feasible(catalogue, chosen, person.current):
                best = max(best, value(chosen))
    plan = plan_one(catalogue, person)
    assert _feasible(catalogue, set(plan.modules), person.current)
    found = value(set(plan.modules))
    assert found[:2] == best[:2] and math.isclose(found[2], best[2])
    chosen = set(greedy(catalogue, person))
    if _feasible(catalogue, chosen, person.current):
        assert value(chosen)[:1] <= best[:1]


def unfollowable(catalogue: Catalogue, plan_modules, plan_years, current, done=frozenset()):
    """The first module that cannot be taken when the plan is followed as shown (by year,
    then in order), or None: its prerequisites must be done and its entry levels held."""
    waived = {i for i, m in enumerate(catalogue.modules)
              if all(current[c] >= high for c, _, high in m.raises)}  # fmt: skip
    reached, taken = list(current), set(done) | waived
    for m, _ in sorted(zip(plan_modules, plan_years, strict=True), key=lambda t: t[1]):
        module = catalogue.modules[m]
        if any(p not in taken for p in module.prerequisites):
            return m
        if any(reached[c] < low for c, low, _ in module.raises):
            return m
        taken.add(m)
        for c, _, high in module.raises:
            reached[c] = max(reached[c], high)
    return None


@settings(max_examples=400, deadline=None)
@given(problems())
def test_every_plan_can_be_followed_in_the_order_shown(problem) -> None:
    catalogue, person = problem
    plan = plan_one(catalogue, person)
    assert unfollowable(catalogue, plan.modules, plan.years, person.current) is None


def test_a_prerequisite_the_person_already_masters_is_waived() -> None:
    """At level 4 in prompting, nobody is sent through the beginners' prompting module first."""
    modules = [
        Module("PROMPT-101", 7.0, 300.0, ((0, 0, 1),)),
        Module("AGENTS-WORKSHOP", 3.5, 200.0, ((1, 0, 2),), prerequisites=(0,)),
    ]
    catalogue = Catalogue(modules, 2)
    expert = Need(current=(4, 0), target=(4, 2), weight=(1.0, 1.0))
    plan = plan_one(catalogue, expert)
    assert [catalogue.modules[m].code for m in plan.modules] == ["AGENTS-WORKSHOP"]
    beginner = Need(current=(0, 0), target=(0, 2), weight=(1.0, 1.0))
    plan = plan_one(catalogue, beginner)
    assert [catalogue.modules[m].code for m in plan.modules] == ["PROMPT-101", "AGENTS-WORKSHOP"]


def test_a_module_aimed_at_other_jobs_only_when_nothing_else_closes_the_gap() -> None:
    """Competence 0 (reporting) is targeted for workshop staff; the finance module raises it
    with two finance competences they do not target."""
    modules = [
        Module("FINANCE-AI", 2.0, 100.0, ((0, 0, 1), (1, 0, 1), (2, 0, 1))),
        Module("SHOPFLOOR-REPORTING", 4.0, 100.0, ((0, 0, 1),)),
        Module("ANOMALY-ADVANCED", 7.0, 100.0, ((0, 1, 2), (1, 0, 1), (2, 0, 1))),
    ]
    workshop = Need(current=(0, 0, 0), target=(1, 0, 0), weight=(1.0, 0.0, 0.0))
    plan = plan_one(Catalogue(modules, 3), workshop)
    assert [modules[m].code for m in plan.modules] == ["SHOPFLOOR-REPORTING"]
    finance = Need(current=(0, 0, 0), target=(1, 1, 1), weight=(1.0, 1.0, 1.0))
    plan = plan_one(Catalogue(modules, 3), finance)
    assert [modules[m].code for m in plan.modules] == ["FINANCE-AI"]
    further = Need(current=(1, 0, 0), target=(2, 0, 0), weight=(1.0, 0.0, 0.0))
    plan = plan_one(Catalogue(modules, 3), further)  # only the finance route reaches level 2
    assert [modules[m].code for m in plan.modules] == ["ANOMALY-ADVANCED"]


@st.composite
def groups(draw: st.DrawFn) -> tuple[Catalogue, list[Need]]:
    catalogue, first = draw(problems())
    n_comp, n_modules = catalogue.n_competences, len(catalogue.modules)
    others = [
        Need(
            tuple(draw(st.integers(0, 3)) for _ in range(n_comp)),
            tuple(draw(st.integers(0, 4)) for _ in range(n_comp)),
            tuple(draw(st.sampled_from([0.0, 1.0, 3.0])) for _ in range(n_comp)),
            language=draw(st.sampled_from([FRENCH, ENGLISH, FRENCH | ENGLISH])),
            done=frozenset(draw(st.sets(st.integers(0, n_modules - 1), max_size=2))),
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    return catalogue, [first, *others]


@settings(max_examples=150, deadline=None)
@given(groups())
def test_each_persons_program_is_the_same_built_alone_or_with_others(group) -> None:
    """Programs are built for a block of people at once: nobody's depends on the others'."""
    catalogue, people = group
    together = _models_of(catalogue, people, HOURS)
    for need, model in zip(people, together, strict=True):
        alone = _models_of(catalogue, [need], HOURS)[0]
        assert model.modules == alone.modules
        for name in ("cost", "upper", "row", "column", "value", "low", "high"):
            assert np.array_equal(getattr(model, name), getattr(alone, name)), name
