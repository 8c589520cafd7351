"""A survey's results as a protected publication: true figures where groups are large enough,
small groups pooled or hidden, an audit that finds nothing left to work out, comments only
from ten, and the page for the company's audiences only."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from tests.browsing import pdf_pages
from tests.pdftext import pdf_text
from tests.voice.surveying import open_survey
from tremplin.compute.disclosure import protect
from tremplin.compute.survey_results import build
from tremplin.people.models import OrgUnit, Person
from tremplin.people.services import refresh_unit_paths
from tremplin.voice import services
from tremplin.voice.results import build_result, items_of, respondents, splits_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def answered(org):
    """A confidential sentiment survey answered by 24 people of sales and 3 of a small unit."""
    top = OrgUnit.objects.get(parent=None)
    small = OrgUnit.objects.create(code="LAB", name="Lab", parent=top)
    refresh_unit_paths()
    sales = OrgUnit.objects.get(code="COM")
    people = [
        Person.objects.create(
            employee_id=f"S{i}",
            first_name="S",
            last_name=str(i),
            org_unit=small if i < 3 else sales,
        )
        for i in range(27)
    ]
    survey = open_survey("sentiment", anonymity="confidential", days=3)
    for i, person in enumerate(people):
        services.answer(survey, person, {
            "quality": str(1 + i % 5), "effort": "4", "speed": str(5 if i < 3 else 3),
            "productivity": "4", "comment": f"comment {i}" if i < 12 else "",
        })  # fmt: skip
    services.close_now(survey)  # results are shown once a survey closes
    return survey, people


def test_results_show_true_figures_and_hide_what_gives_someone_away(answered):
    survey, _people = answered
    result = build_result(survey)
    total = result.data["tables"][0]["groups"][0]["figures"]
    truth = np.mean([1 + i % 5 for i in range(27)])
    assert abs(1 + total["quality/mean"]["value"] - truth) <= 0.05
    assert abs(total["quality/answered"]["value"] - 27) <= 1  # counts rounded to 2
    department = next(t for t in result.data["tables"] if t["dimension"] == "department")
    small = [g for g in department["groups"] if g["size"] < 10]
    # the lab's 3 people are pooled with the root's people or hidden: never shown alone
    for group in small:
        assert all(f["value"] is None for f in group["figures"].values())
    comments = result.data["comments"]["comment"]
    assert comments["count"] == 12 and len(comments["shown"]) == 12  # at least 10: shown


def test_an_audit_of_the_stored_results_finds_nothing_more_to_hide(answered):
    survey, _people = answered
    answers = list(survey.responses.order_by("pk").values_list("answers", flat=True))
    publication, report, values = build("company", items_of(survey), answers,
                                        splits_of(respondents(survey)), 10)  # fmt: skip
    again = copy.deepcopy(publication)
    assert protect(again, lambda name, _p: values[name]).leaks_found == 0
    assert report.figures > 0


def test_the_results_page_is_for_the_company_s_audiences(client, org, answered):
    survey, _people = answered
    client.force_login(org.users["cse"])
    page = client.get(f"/voice/surveys/{survey.pk}/results/").content.decode()
    assert "AI tools make me faster" in page or "faster" in page
    assert "Mean by" in page
    client.force_login(org.users["employee"])
    assert client.get(f"/voice/surveys/{survey.pk}/results/").status_code == 403


def test_the_sentiment_indicator_is_read_from_the_protected_results(answered):
    from tremplin.voice import kpis

    survey, _people = answered
    assert kpis.sentiment() is None  # no results built yet: nothing made up
    build_result(survey)
    quality = sum(1 for i in range(27) if 1 + i % 5 >= 4) / 27
    truth = (quality + 1 + 3 / 27 + 1) / 4
    assert kpis.sentiment() == pytest.approx(truth, abs=0.03)
    assert kpis.satisfaction() is None  # no post-session survey


def test_satisfaction_pools_the_sessions_each_too_small_to_show(org):
    from tremplin.voice import kpis

    people = [
        Person.objects.create(
            employee_id=f"Q{i}",
            first_name="Q",
            last_name=str(i),
            org_unit=OrgUnit.objects.get(code="COM"),
        )
        for i in range(12)
    ]
    ratings = []
    for half in (people[:6], people[6:]):
        survey = open_survey("post_session", units=OrgUnit.objects.filter(code="COM"))
        for i, person in enumerate(half):
            rating = 5 if i % 3 else 2
            ratings.append(rating)
            services.answer(
                survey,
                person,
                {
                    "overall_satisfaction": str(rating),
                    "content_useful": "4",
                    "pace_right": "4",
                    "trainer_clear": "4",
                    "apply_next_week": "4",
                    "recommend": "8",
                },
            )
    truth = sum(r >= 4 for r in ratings) / len(ratings)
    # one figure, rounded to a step leaving two possible totals on 12 people (0.2)
    assert kpis.satisfaction() == pytest.approx(truth, abs=0.1)


def test_the_results_download_as_a_workbook_with_the_same_figures(client, org, answered):
    import io

    from openpyxl import load_workbook

    survey, _people = answered
    client.force_login(org.users["executive"])
    response = client.get(f"/voice/surveys/{survey.pk}/results/?format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    mean = next(r for r in rows if r[1] == "mean" and "quality" in r[0].lower())
    shown = survey.result.data["tables"][0]["groups"][0]["figures"]["quality/mean"]["value"]
    assert mean[2] == pytest.approx(1 + shown)
    assert "department" in book.sheetnames and "Comments" in book.sheetnames


def test_a_series_of_surveys_from_one_template_shows_its_trend(client, org, answered):
    survey, people = answered
    build_result(survey)
    again = open_survey("sentiment", anonymity="confidential", days=9)
    for person in people:
        services.answer(
            again, person, {"quality": "5", "effort": "4", "speed": "4", "productivity": "4"}
        )
    services.close_now(again)
    build_result(again)
    client.force_login(org.users["lead"])
    page = client.get(f"/voice/surveys/{again.pk}/results/").content.decode()
    assert "Over time" in page and "5.00" in page  # the second survey's quality mean


def test_the_results_summary_prints_to_pdf_with_every_question(client, org, answered, tmp_path):
    survey, _people = answered
    client.force_login(org.users["cse"])
    response = client.get(f"/voice/surveys/{survey.pk}/results/?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    (tmp_path / "r.pdf").write_bytes(response.content)
    text = pdf_text(response)
    for question in survey.questions.all():
        assert question.text_en.split()[0] in text
    pdf_pages(tmp_path / "r.pdf", "survey-results-pdf")


def test_an_open_survey_s_results_wait_for_its_close_and_its_answers_leave_no_trace(client, org):
    """The attack: the lead looks at the results, someone answers, the lead looks again, and
    the difference is that person's answer, comment included; the audit log named who posted
    an answer to the second. Now nothing of an open survey's answers is shown, and answering
    writes no line to the log."""
    from tremplin.accountability.models import AuditEntry

    survey = open_survey("sentiment", anonymity="anonymous", days=3)
    client.force_login(org.users["lead"])
    url = f"/voice/surveys/{survey.pk}/results/"
    assert "once the survey closes" in client.get(url).content.decode()
    assert client.get(url, {"format": "xlsx"})["Content-Type"].startswith("text/html")
    client.force_login(org.users["employee"])
    answers = {"quality": "5", "effort": "4", "speed": "4", "productivity": "4",
               "comment": "I will cut the Roanne team"}  # fmt: skip
    before = AuditEntry.objects.count()
    posted = {f"q-{key}": value for key, value in answers.items()}
    assert client.post(f"/voice/surveys/{survey.pk}/answer/", posted).status_code == 302
    assert survey.responses.count() == 1 and AuditEntry.objects.count() == before
    client.force_login(org.users["lead"])
    page = client.get(url).content.decode()
    assert "once the survey closes" in page and "Roanne" not in page
    services.close_now(survey)
    page = client.get(url).content.decode()  # closed: the results, one comment is under 10
    assert "once the survey closes" not in page and "Groups of fewer than" in page
    assert "Roanne" not in page


def test_a_named_survey_has_no_results_page_but_the_lead_s_network(client, org):
    survey = open_survey("sentiment", anonymity="named", days=3)
    url = f"/voice/surveys/{survey.pk}/results/"
    client.force_login(org.users["lead"])
    assert client.get(url)["Location"] == f"/voice/surveys/{survey.pk}/network/"
    client.force_login(org.users["cse"])
    assert client.get(url).status_code == 404


def test_building_the_results_again_shows_the_same_comments(answered):
    survey, _people = answered
    first = build_result(survey).data["comments"]
    assert all(build_result(survey).data["comments"] == first for _ in range(3))


def test_the_workbook_s_headers_are_nouns_in_french(client, org, answered):
    """ "Answer" and "Comment" were the buttons' msgids: "Répondre" and "Commenter" in French."""
    import io

    from openpyxl import load_workbook

    survey, _people = answered
    client.cookies["django_language"] = "fr"
    client.force_login(org.users["executive"])
    response = client.get(f"/voice/surveys/{survey.pk}/results/?format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    headers = {cell.value for sheet in book.worksheets for cell in sheet[1]}
    assert "Question" in headers
    assert not headers & {"Répondre", "Commenter"}


def test_the_council_and_the_sponsor_find_the_results_from_the_surveys_page(client, org):
    closed = open_survey("sentiment", anonymity="anonymous", days=3)
    services.close_now(closed)
    still_open = open_survey("sentiment", anonymity="confidential", days=3)
    named = open_survey("sentiment", anonymity="named", days=3)
    for user in ("cse", "executive"):
        client.force_login(org.users[user])
        page = client.get("/voice/surveys/")
        assert [s.pk for s in page.context["readable"]] == [still_open.pk, closed.pk]
        html = page.content.decode()
        assert f'href="/voice/surveys/{closed.pk}/results/"' in html
        assert f"/voice/surveys/{still_open.pk}/results/" not in html and "once it closes" in html
        assert f"/voice/surveys/{named.pk}/results/" not in html
    client.force_login(org.users["employee"])
    assert list(client.get("/voice/surveys/").context["readable"]) == []
