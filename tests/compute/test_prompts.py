"""The prompt coach's detectors and qualities on hand-made cases; the labelled set measures
them as a whole (test_prompt_coach_set.py)."""

from __future__ import annotations

from tremplin.compute.prompts import confidential, iban_valid, luhn, nir_valid, review


def test_each_kind_of_confidential_data_is_found_with_its_checksum():
    text = (
        "Écris à jean.dupont@exemple.fr (06 12 34 56 78) : IBAN FR76 3000 6000 0112 3456 7890 "
        "189, SIRET 732 829 320 00074, carte 4111 1111 1111 1111, client Transports Lefevre."
    )
    kinds = [f.kind for f in confidential(text, ["Transports Lefèvre"])]
    assert kinds == ["email", "phone", "iban", "siret", "card", "client"]


def test_numbers_failing_their_checksum_are_left_alone():
    assert not iban_valid("FR76 3000 6000 0112 3456 7890 188")
    assert not luhn("4111111111111112") and luhn("4111111111111111")
    assert nir_valid("2 69 05 49 588 157 80") and not nir_valid("2 69 05 49 588 157 81")
    text = (
        "Facture 4111 1111 1111 1112 du 12/03/2026, 12 500,00 €, code 69003, "
        "IBAN FR76 3000 6000 0112 3456 7890 188, chez Martin."
    )
    assert confidential(text, ["Boulangeries Martin"]) == []


def test_a_prompt_s_qualities_and_what_it_lacks():
    good = review(
        "Tu es juriste. Dans le cadre d'un audit, résume ce contrat en 5 puces, "
        "sans jargon, par exemple comme ceci : « durée : 3 ans »."
    )
    assert good.lacks == [] and good.length == "fine"
    bare = review("contrat")
    assert bare.length == "short" and "task" in bare.lacks and "format" in bare.lacks


def test_qualities_are_not_read_inside_confidential_items_or_words():
    found = review("Résume ce mail de jean.dupont@exemple.fr en 3 puces, sans jargon.")
    assert "examples" in found.lacks and [f.kind for f in found.findings] == ["email"]
    assert "format" in review("Résume ce rapport informatique.").lacks  # "format" inside a word
