import numpy as np
import pytest

from tremplin.compute.cat import (
    Answers,
    Bank,
    CatSettings,
    estimate,
    is_finished,
    next_item,
    pilot_positions,
    profile,
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


def brute_force_posterior(bank, answers, rho, domain, domains):
    """θ_domain's posterior mean and sd by integrating over (g, u_1 … u_D) on a full grid."""
    from tremplin.compute.irt import probability

    nodes = np.linspace(-4.5, 4.5, 25)
    grids = np.meshgrid(*[nodes] * (domains + 1), indexing="ij")  # g, u_0, …
    log_w = sum(-0.5 * x**2 for x in grids)
    theta = [np.sqrt(rho) * grids[0] + np.sqrt(1 - rho) * grids[d + 1] for d in range(domains)]
    log_lik = np.zeros_like(grids[0])
    for item, right in zip(answers.asked, answers.correct, strict=True):
        p = probability(theta[bank.domain[item]].ravel(), bank.items.subset([item]))[:, 0]
        p = p.reshape(log_lik.shape)
        log_lik += np.log(p) if right else np.log1p(-p)
    post = np.exp(log_w + log_lik - (log_w + log_lik).max())
    post /= post.sum()
    mean = float((post * theta[domain]).sum())
    return mean, float(np.sqrt((post * (theta[domain] - mean) ** 2).sum()))


def test_competence_profile_is_the_exact_posterior_of_the_correlated_model():
    bank = make_bank(n=30, domains=3)
    answers = Answers([0, 3, 6, 1, 4, 2], [True, True, False, False, False, True])
    settings = CatSettings(pilot_items=0, correlation=0.7)
    found = profile(bank, settings, answers, [0, 1, 2])
    for domain in range(3):
        mean, sd = brute_force_posterior(bank, answers, 0.7, domain, 3)
        assert found[domain].theta == pytest.approx(mean, abs=0.03)
        assert found[domain].se == pytest.approx(sd, abs=0.03)
    assert found[0].theta > found[1].theta  # domain 0 mostly right, domain 1 all wrong


def test_a_competence_without_answers_of_its_own_is_never_precise():
    bank = make_bank(n=120, domains=6)
    settings = CatSettings(pilot_items=0, correlation=0.7)
    elsewhere = [i for i in range(120) if i % 6 != 5][:60]
    answers = Answers(elsewhere, [i % 2 == 0 for i in range(60)])
    found = profile(bank, settings, answers, [5])
    assert found[5].se > np.sqrt(0.3) - 0.01 > settings.competence_se


def test_a_focused_test_asks_each_focus_competence_then_completes_them_one_by_one():
    bank = make_bank(n=240, domains=6)
    settings = CatSettings(max_items=40, pilot_items=0, competence_se=0.45, max_exposure=1)
    rng = np.random.default_rng(3)
    answers, _ = run_simulated_test(
        bank, settings, 0.0, rng, focus=[4, 1, 2], domain_theta=np.zeros(6)
    )
    asked = bank.domain[answers.asked].tolist()
    assert asked[:3] == [4, 1, 2] and set(asked) == {1, 2, 4}
    found = profile(bank, settings, answers, [4, 1, 2])
    if len(asked) < 40:  # finished early: every focus competence is measured
        assert all(found[d].se <= 0.45 for d in (4, 1, 2))
    assert is_finished(bank, settings, answers, estimate(bank, answers), [4, 1, 2])


def test_a_focused_test_stops_at_its_length_and_leaves_the_rest_unmeasured():
    bank = make_bank(n=240, domains=6)
    settings = CatSettings(max_items=8, pilot_items=0, competence_se=0.3, max_exposure=1)
    answers, _ = run_simulated_test(
        bank, settings, 0.0, np.random.default_rng(4), focus=[0, 1, 2, 3, 4, 5]
    )
    assert len(answers.asked) == 8
    found = profile(bank, settings, answers, range(6))
    assert all(e.se > 0.3 for e in found.values())


def test_settings_reject_nonsense():
    with pytest.raises(ValueError):
        CatSettings(min_items=10, max_items=5)
    with pytest.raises(ValueError):
        CatSettings(se_target=0)
    with pytest.raises(ValueError):
        CatSettings(correlation=1.0)


def test_kept_item_planes_give_the_same_posteriors_and_follow_changed_parameters():
    from tremplin.compute import cat as module
    from tremplin.compute.irt import probability

    rng = np.random.default_rng(3)
    items = ItemParameters.of(rng.lognormal(0, 0.3, 40), rng.normal(0, 1, 40))
    plane = module._plane(0.7)
    correct = rng.random(40) < 0.5
    module._ITEM_PLANES.clear()
    first = module._log_likelihoods(plane, items, correct)
    again = module._log_likelihoods(plane, items, correct)  # from the kept planes
    p = probability(plane.theta, items)
    direct = np.where(correct, np.log(p), np.log1p(-p))
    assert np.allclose(first, direct) and np.allclose(again, direct)
    # Recalibrated items are new items: their planes are computed afresh.
    moved = ItemParameters.of(items.a, items.b + 0.5)
    p = probability(plane.theta, moved)
    assert np.allclose(
        module._log_likelihoods(plane, moved, correct), np.where(correct, np.log(p), np.log1p(-p))
    )
