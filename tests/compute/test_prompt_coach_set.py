"""The confidentiality detectors measured on the labelled set (bench/prompt_coach.py), and the
measure shown to catch a planted failure: detectors that skip their checksum."""

from __future__ import annotations

from bench.prompt_coach import measure


def test_every_detector_is_precise_and_complete_on_the_labelled_set():
    found = measure()
    assert found["prompts"] == 60 and found["findings"] == 56
    for kind, figures in found["per_kind"].items():
        assert figures["precision"] >= 0.95 and figures["recall"] >= 0.95, (kind, figures)


def test_the_measure_catches_detectors_that_skip_their_checksums(monkeypatch):
    monkeypatch.setattr("tremplin.compute.prompts.luhn", lambda _digits: True)
    monkeypatch.setattr("tremplin.compute.prompts.iban_valid", lambda _text: True)
    found = measure()
    assert found["per_kind"]["card"]["precision"] < 0.95
    assert found["per_kind"]["iban"]["precision"] < 0.95
