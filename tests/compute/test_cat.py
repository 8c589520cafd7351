import numpy as np
import pytest

from tremplin.compute.cat import (
    Answers,
    Bank,
    CatSettings,
    domain_estimates,
    estimate,
    is_finished,
    next_item,
    pilot_positions,
    run_simulated_test,
)
from tremplin.compute.irt import ItemParameters


def make_bank(n=120, domains=6, pilots=0, seed=0, exposure=None):
    rng = np.random.default_rng(seed)
    items = ItemParameters.of(rng.uniform(0.8, 2.0, n), rng.normal(0, 1, n))
    pilot = np.zeros(n, dtype=bool)
    pilot[:pilots] = True
    return Bank.of(items, np.arange(n) % domains, pilot, exposure)


def test_adaptive_test_balances_the_competences():
    bank = make_bank()
    settings = CatSettings(max_items=12, min_items=12, pilot_items=0)
    answers, history = run_simulated_test(bank, settings, 0.3, np.random.default_rng(1))
    assert len(history) == 12
    counts = np.bincount(bank.domain[answers.asked], minlength=6)
    assert counts.tolist() == [2] * 6


def test_adaptive_test_follows_the_person():
    bank = make_bank(n=300)
    settings = CatSettings(max_items=15, content_balance=False, pilot_items=0)
    low, _ = run_simulated_test(bank, settings, -2.0, np.random.default_rng(2))
    high, _ = run_simulated_test(bank, settings, 2.0, np.random.default_rng(2))
    assert bank.items.b[high.asked[5:]].mean() > bank.items.b[low.asked[5:]].mean() + 1.5


def test_pilot_items_are_shown_but_never_scored():
    bank = make_bank(pilots=10)
    settings = CatSettings(max_items=10, min_items=10, pilot_items=2)
    answers, history = run_simulated_test(bank, settings, 0.0, np.random.default_rng(4))
    shown_pilots = [i for i in answers.asked if bank.pilot[i]]
    assert len(shown_pilots) == 2
    assert len(history) == 10 and len(answers.asked) == 12
    scored, _ = answers.scored(bank)
    assert not bank.pilot[scored].any()
    # The estimate does not move whatever the pilot answers were.
    flipped = Answers(
        answers.asked,
        [
            not c if bank.pilot[i] else c
            for i, c in zip(answers.asked, answers.correct, strict=True)
        ],
    )
    assert estimate(bank, flipped).theta == pytest.approx(estimate(bank, answers).theta)


def test_pilot_positions_are_drawn_per_test_and_never_first():
    settings = CatSettings(pilot_items=2, min_items=8)
    drawn = {pilot_positions(settings, seed) for seed in range(30)}
    assert len(drawn) > 5
    assert all(len(p) == 2 and 0 not in p and max(p) < 8 for p in drawn)


def test_test_stops_on_precision_or_length():
    bank = make_bank(n=300)
    precise = CatSettings(max_items=40, min_items=5, se_target=0.45, pilot_items=0)
    _, history = run_simulated_test(bank, precise, 0.0, np.random.default_rng(5))
    assert history[-1].se <= 0.45 and len(history) < 40
    assert all(h.se > 0.45 for h in history[4:-1])
    short = CatSettings(max_items=6, min_items=3, se_target=0.01, pilot_items=0)
    _, history = run_simulated_test(bank, short, 0.0, np.random.default_rng(5))
    assert len(history) == 6


def test_exposure_cap_leaves_overused_items_aside():
    exposure = np.zeros(120)
    exposure[::2] = 0.9  # every even item is overused
    bank = make_bank(exposure=exposure)
    settings = CatSettings(max_items=20, pilot_items=0, max_exposure=0.4)
    answers, _ = run_simulated_test(bank, settings, 0.0, np.random.default_rng(6))
    assert all(i % 2 == 1 for i in answers.asked)


def test_nothing_left_to_ask_ends_the_test():
    bank = make_bank(n=4, domains=2)
    settings = CatSettings(max_items=10, min_items=10, pilot_items=0)
    answers = Answers([0, 1, 2, 3], [True, False, True, True])
    current = estimate(bank, answers)
    assert next_item(bank, settings, answers, current, np.random.default_rng(0)) is None
    assert is_finished(bank, settings, answers, current)


def test_choice_is_reproducible_for_a_given_seed():
    bank = make_bank(n=200)
    settings = CatSettings(top_k=4, pilot_items=0)
    first, _ = run_simulated_test(bank, settings, 0.5, np.random.default_rng(9))
    second, _ = run_simulated_test(bank, settings, 0.5, np.random.default_rng(9))
    assert first.asked == second.asked


def test_competence_estimates_start_from_the_overall_ability():
    bank = make_bank(n=60, domains=3)
    settings = CatSettings(pilot_items=0)
    answers = Answers([0, 3, 6, 1, 4, 7, 2, 5], [True, True, True, False, False, False, True, True])
    overall = estimate(bank, answers)
    per_domain = domain_estimates(bank, settings, answers, overall)
    assert set(per_domain) == {0, 1, 2}
    assert per_domain[0].theta > overall.theta > per_domain[1].theta


def test_settings_reject_nonsense():
    with pytest.raises(ValueError):
        CatSettings(min_items=10, max_items=5)
    with pytest.raises(ValueError):
        CatSettings(se_target=0)
