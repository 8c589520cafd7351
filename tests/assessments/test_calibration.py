import csv
import io
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from tests.assessments.test_quiz import take_quiz
from tremplin.assessments.models import CalibrationRun, Item, ItemStatus, QuizAnswer

FILES = Path(__file__).parent / "files"


def test_calibrate_command_recovers_the_parameters_of_a_pilot_run(tmp_path, capsys):
    output = tmp_path / "params.csv"
    call_command("calibrate", responses=str(FILES / "pilot_responses.csv"), output=str(output))
    rows = list(csv.DictReader(io.StringIO(output.read_text())))
    assert list(rows[0]) == ["item", "a", "b", "c"]
    truth = {r["item"]: r for r in csv.DictReader((FILES / "pilot_truth.csv").open())}
    b_found = [float(r["b"]) for r in rows]
    b_true = [float(truth[r["item"]]["b"]) for r in rows]
    assert np.corrcoef(b_found, b_true)[0, 1] > 0.95
    assert all(float(r["c"]) == 0 for r in rows)


def test_calibrate_command_3pl_writes_guessing(tmp_path, capsys):
    call_command("calibrate", responses=str(FILES / "pilot_responses.csv"), model="3pl")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 12 and all(float(r["c"]) > 0 for r in rows)


def test_calibrate_command_reports_bad_rows_and_writes_nothing(tmp_path, capsys):
    output = tmp_path / "params.csv"
    with translation.override("en"), pytest.raises(CommandError):
        call_command("calibrate", responses=str(FILES / "bad_responses.csv"), output=str(output))
    errors = capsys.readouterr().err
    assert "Row 3, correct" in errors and "yes" in errors
    assert "Row 4" in errors  # person missing
    assert "Row 5" in errors  # P1 answered Q1 twice
    assert not output.exists()


def test_lead_runs_a_calibration_from_the_browser_and_pilots_get_promoted(bank, org, client):
    people = list(org.people.values())
    for n, person in enumerate(people):
        take_quiz(person, right=n % 2 == 0)
    answered = QuizAnswer.objects.filter(choice__isnull=False).count()
    client.force_login(org.users["lead"])
    client.cookies["django_language"] = "en"
    empty = client.get(reverse("assessments:calibration")).content.decode()
    assert "No calibration has run yet" in empty and "at least 30 answers" in empty
    assert "<table" not in empty and ">2PL<" not in empty
    response = client.post(reverse("assessments:calibration"), {"model": "2pl"})
    run = CalibrationRun.objects.get()
    assert response.url == reverse("assessments:calibration_run", args=[run.pk])
    assert run.status == CalibrationRun.Status.DONE  # tasks run at once in tests
    assert run.answers == answered and run.people == len(people)
    # Nine people are far too few: every item is flagged and keeps its parameters.
    assert all("few_answers" in line["flags"] for line in run.report if line["answers"] < 30)
    assert not Item.objects.filter(calibrated_at__isnull=False).exists()
    page = client.get(reverse("assessments:calibration_run", args=[run.pk]))
    assert page.status_code == 200 and "few answers" in page.content.decode()  # in words
    assert "few_answers" not in page.content.decode()


def test_only_the_lead_can_calibrate(bank, org, client):
    client.force_login(org.users["manager"])
    assert client.post(reverse("assessments:calibration"), {"model": "2pl"}).status_code == 403
    assert not CalibrationRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_calibration_task_runs_on_the_database_queue(bank, org, settings):
    from django.core.management import call_command as run

    from tremplin.assessments.calibration import calibrate_bank

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    take_quiz(org.people["seller_a"])
    run_row = CalibrationRun.objects.create(model="2pl")
    calibrate_bank.enqueue(run_row.pk)
    run_row.refresh_from_db()
    assert run_row.status == CalibrationRun.Status.QUEUED
    run("db_worker", batch=True, interval=0, startup_delay=False)
    run_row.refresh_from_db()
    assert run_row.status == CalibrationRun.Status.DONE
    assert ItemStatus.PILOT in set(Item.objects.values_list("status", flat=True))
