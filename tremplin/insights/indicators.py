"""The KPIs of the programme in three families, each with its definition.

A KPI without data says so and names what would feed it; it never shows a made-up number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tremplin.compute.kpis import mean_levels, share
from tremplin.insights import usage_figures
from tremplin.insights.scopes import View
from tremplin.insights.snapshot import PLAN_CODES, min_group_size
from tremplin.learning.models import PlanStatus
from tremplin.voice import ideas
from tremplin.voice import kpis as surveys

PARTICIPATION = "participation"
ADOPTION = "adoption"
IMPACT = "impact"
FAMILIES = {
    PARTICIPATION: _("Participation and satisfaction"),
    ADOPTION: _("Adoption and competence"),
    IMPACT: _("Business impact"),
}


@dataclass(frozen=True)
class Kpi:
    key: str
    family: str
    label: str | Promise
    definition: str | Promise
    value: float | None  # None: no data yet
    unit: str  # "%", "level", "€", "h", "n" (a number)
    missing: str | Promise = ""  # what would feed it, when there is no data
    withheld: str | Promise = ""  # why it is not shown although there is data

    @property
    def percent(self) -> float | None:
        return None if self.value is None else 100 * self.value


def kpis(view: View) -> list[Kpi]:
    f = view.figures
    mask = view.mask()
    people = int(mask.sum())
    levels = f["levels"][view.period][mask]
    target = f["target"][mask]
    assessed_people = share(float((levels >= 0).any(axis=1).sum()), people)
    aimed = target > 0
    at_target = share(float((aimed & (np.maximum(levels, 0) >= target)).sum()), float(aimed.sum()))
    year_before = max(view.period - 4, 0)
    progression = None
    if view.period > 0 and people:
        earlier = mean_levels(f["levels"][year_before][mask])
        progression = float(np.mean(mean_levels(levels) - earlier))
    known = levels >= 0
    disagreement = share(float(f["disagree"][mask][known].sum()), float(known.sum()))
    agreed = f["plan_status"][mask] >= PLAN_CODES[PlanStatus.AGREED]
    planned = float(f["items_total"][mask].sum())
    completion = share(float(f["items_done"][mask].sum()), planned)
    cost = float(f["cost_done"][mask].sum()) if planned else None
    hours = float(f["hours_done"][mask].sum()) if planned else None
    engaged = share(float(f["engaged"][mask].sum()), people)
    whole = not view.filters  # survey results and use cases are the company's only
    impact = (
        ideas.impact()
        if whole
        else dict.fromkeys(("hours_per_month", "error_points", "value_per_year"))
    )
    missing_ideas = (_("Fed by the deployed use cases of the idea box, once measured.") if whole
                     else _("Use cases are counted company-wide: remove the filters."))  # fmt: skip
    missing_survey = (_("Fed by the surveys' results once built.") if whole
                      else _("Survey results are company-wide: remove the filters."))  # fmt: skip
    usage = usage_figures.overview(f, mask, min_group_size())
    return [
        Kpi("assessed", PARTICIPATION, _("People assessed"),
            _("Share of people with at least one consolidated level."), assessed_people, "%"),
        Kpi("plans_agreed", PARTICIPATION, _("Plans agreed"),
            _("Share of people whose development plan is agreed, running or done."),
            share(float(agreed.sum()), people), "%"),
        Kpi("completion", PARTICIPATION, _("Plan completion rate"),
            _("Modules completed out of the modules of agreed plans."), completion, "%"),
        Kpi("engagement", PARTICIPATION, _("Engagement"),
            _("Share of people who assessed themselves or took the quiz in the last 12 months."),
            engaged, "%"),
        Kpi("satisfaction", PARTICIPATION, _("Satisfaction with sessions"),
            _("Share of answers of 4 or 5 out of 5 to the overall satisfaction question of the "
              "post-session surveys, company-wide, from their protected results."),
            surveys.satisfaction() if whole else None, "%", missing_survey),
        Kpi("at_target", ADOPTION, _("At target"),
            _("Share of (person, competence) pairs targeted by the job where the level reaches "
              "the target."), at_target, "%"),
        Kpi("progression", ADOPTION, _("Progression over a year"),
            _("Change of the mean level per competence since four quarters earlier; a "
              "competence not assessed counts as 0."), progression, "level",
            _("Needs ratings older than this period.")),
        Kpi("disagreement", ADOPTION, _("Disagreement rate"),
            _("Share of assessed pairs where the self-assessment differs by two levels or more "
              "from the manager's or the quiz's."), disagreement, "%"),
        Kpi("sentiment", ADOPTION, _("Sentiment about AI tools"),
            _("Share agreeing (4 or 5 out of 5) that AI tools improve quality, reduce effort, "
              "save time and make them more productive: the mean of the four statements in the "
              "latest sentiment survey, company-wide, from its protected results."),
            surveys.sentiment() if whole else None, "%", missing_survey),
        Kpi("usage", ADOPTION, _("AI-tool usage rate"),
            _("Share of people who used at least one of the company's AI tools in the 28 days "
              "to the figures' date (whatever date is chosen), as the tools report it; a "
              "team's totals cannot say who used a tool, and are not counted."),
            usage.active.value, "%", usage.missing, usage.active.why),
        Kpi("usage_actions", ADOPTION, _("Actions per active user"),
            _("Actions (prompts, messages) in the same 28 days, per person who used a tool "
              "that counts them; a report of last activity dates counts none."),
            usage.actions.value, "n", usage.missing or _("No tool reports actions."),
            usage.actions.why),
        Kpi("time_saved", IMPACT, _("Time saved"),
            _("Hours saved per month by the deployed use cases of the idea box, as measured "
              "before and after (minutes per task × tasks per month), company-wide."),
            impact["hours_per_month"], "h", missing_ideas),
        Kpi("errors", IMPACT, _("Error reduction"),
            _("Mean change of the error rate, in points, on the processes the deployed use "
              "cases touch, as measured before and after."), impact["error_points"], "pts",
            missing_ideas),
        Kpi("use_case_value", IMPACT, _("Value of use cases"),
            _("Yearly value of the hours the deployed use cases save, at the hourly cost set "
              "in the idea box, in euros."), impact["value_per_year"], "€", missing_ideas),
        Kpi("training_cost", IMPACT, _("Cost of training"),
            _("Cost per seat of the modules completed in agreed plans."), cost, "€",
            _("Fed by completed modules of agreed plans.")),
        Kpi("training_hours", IMPACT, _("Training hours"),
            _("Hours of the modules completed in agreed plans."), hours, "h",
            _("Fed by completed modules of agreed plans.")),
        Kpi("return", IMPACT, _("Return on training"),
            _("Yearly value of the use cases divided by the cost of the training completed."),
            (impact["value_per_year"] / cost if impact["value_per_year"] is not None and cost
             else None), "×", _("Needs the value of use cases and the cost of training.")),
    ]  # fmt: skip
