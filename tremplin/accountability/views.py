"""Data-protection pages: people's data requests (export, erasure), the retention rules and the
audit log, for the programme lead and the data-protection officer; "my data" for everyone."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tremplin.accountability import retention, rights
from tremplin.accountability.details import shown
from tremplin.accountability.models import Action, AuditEntry, Erasure, RetentionRule
from tremplin.downloads import file_name
from tremplin.engagement.forms import flash_errors
from tremplin.paging import page_of
from tremplin.params import INT_MAX, bounded_int
from tremplin.pdf import pdf_response
from tremplin.people.access import role_required
from tremplin.people.models import Person, Role, person_of
from tremplin.people.name_search import search_people
from tremplin.spreadsheets import XLSX_TYPE, Cell, csv_bytes, xlsx_bytes

OFFICERS = (Role.LEAD, Role.DATA_PROTECTION)
DATE = {"type": "date"}


class RuleForm(forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = ["target", "months", "active"]


class EraseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (the request, its date, or the rule applied)"), max_length=300
    )
    confirm = forms.CharField(
        label=gettext_lazy("Type the person's employee id to confirm"), max_length=64
    )


class AuditFilter(forms.Form):
    who = forms.CharField(label=gettext_lazy("Who"), required=False, max_length=150)
    person = forms.IntegerField(
        label=gettext_lazy("Person concerned (id)"), required=False, min_value=1, max_value=INT_MAX
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Action"), required=False, choices=[("", "—"), *Action.choices]
    )
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(DATE, format="%Y-%m-%d")
    )


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


@role_required(*OFFICERS)
def home(request: HttpRequest) -> HttpResponse:
    retention.defaults()
    query = request.GET.get("q", "").strip()[:100]
    found: QuerySet[Person] | list[Person] = []
    if query:
        found = search_people(Person.objects.all(), query, email="iexact").select_related(
            "org_unit"
        )[:20]
    if request.method == "POST":
        return _rules_posted(request)
    rules = [(rule, RuleForm(instance=rule, prefix=f"rule{rule.pk}"))
             for rule in RetentionRule.objects.all()]  # fmt: skip
    return render(request, "accountability/home.html", {
        "query": query, "found": found, "rules": rules,
        "new_rule": RuleForm(prefix="new"),
        "erasures": Erasure.objects.select_related("person")[:20],
        "next_run": retention.next_run(),
    })  # fmt: skip


def _rules_posted(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    if action == "apply":
        done = retention.apply_rules()
        messages.success(request, _("Retention rules applied: %(n)s items removed.")
                         % {"n": sum(done.values())})  # fmt: skip
        return redirect("accountability:home")
    pk = bounded_int(request.POST.get("rule"), 0)
    rule = get_object_or_404(RetentionRule, pk=pk) if pk else None
    form = RuleForm(request.POST, instance=rule, prefix=f"rule{rule.pk}" if rule else "new")
    if form.is_valid():
        form.save()
        retention.schedule()
        messages.success(request, _("Retention rule saved."))
    else:
        flash_errors(request, form)
    return redirect("accountability:home")


@role_required(*OFFICERS)
def person(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(Person.objects.select_related("org_unit", "job_family"), pk=pk)
    erasure = Erasure.objects.filter(person=subject).first()
    form = EraseForm()
    if request.method == "POST" and erasure is None:
        form = EraseForm(request.POST)
        if form.is_valid():
            if form.cleaned_data["confirm"].strip() != subject.employee_id:
                form.add_error("confirm", _("This is not the person's employee id."))
            else:
                try:
                    rights.erase(subject, request.user, form.cleaned_data["reason"])
                except rights.ErasureError as refused:
                    messages.error(request, str(refused))
                else:
                    messages.success(request, _("The person's data is erased."))
                    return redirect("accountability:person", pk=subject.pk)
    elif request.method == "POST" and erasure is not None:
        messages.error(request, rights.already_erased(erasure))
    reads = AuditEntry.objects.filter(person=subject).select_related(None)[:20]
    return render(request, "accountability/person.html", {
        "subject": subject, "erasure": erasure, "form": form,
        "holdings": rights.holding_counts(subject), "reads": reads,
    })  # fmt: skip


def _export(
    request: HttpRequest, subject: Person, file_format: str, own: bool = False
) -> HttpResponse:
    """`own`: the person downloading their own data, without what another is still writing
    about them (an officer's export has it)."""
    today = timezone.localdate()
    stem = (pgettext("file name", "personal data"), subject.pk, today.isoformat())
    if file_format == "json":
        content = json.dumps(rights.export(subject, own), ensure_ascii=False, indent=1)
        return _download(content.encode(), "application/json",
                         file_name(*stem, extension="json"))  # fmt: skip
    if file_format == "pdf":
        sections = [_readable(section) for section in rights.sections(subject, own)]
        return pdf_response(request, "accountability/export_pdf.html",
                            {"subject": subject, "sections": sections, "today": today,
                             "own": own, "pending": rights.PENDING},
                            file_name(*stem, extension="pdf"), "home")  # fmt: skip
    raise Http404


OWNERS = {"person", "author", "mentee"}
WIDE = 6  # a table of more columns is printed one record at a time


def _readable(section: rights.Section) -> dict[str, Any]:
    """A table for the PDF: without its ids nor the column naming the person (the reader)."""
    columns = [
        (name, label)
        for name, label in section.columns
        if name != "id" and not (name in OWNERS and section.label != "people.Person")
    ]
    return {
        "name": section.name, "columns": columns, "count": len(section.values),
        "wide": len(columns) > WIDE,
        "cells": [[(label, row[name]) for name, label in columns] for row in section.shown],
    }  # fmt: skip


@role_required(*OFFICERS)
def person_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    return _export(request, get_object_or_404(Person, pk=pk), file_format)


@login_required
def mine(request: HttpRequest, file_format: str) -> HttpResponse:
    subject = person_of(request.user)
    if subject is None:
        raise Http404
    return _export(request, subject, file_format, own=True)


def _entries(request: HttpRequest) -> tuple[AuditFilter, QuerySet[AuditEntry]]:
    form = AuditFilter(request.GET or None)
    entries = AuditEntry.objects.all()
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        if data["who"]:
            entries = entries.filter(actor__icontains=data["who"])
        if data["person"]:
            entries = entries.filter(person_id=data["person"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["start"]:
            entries = entries.filter(at__gte=_day_start(data["start"]))
        if data["end"]:
            entries = entries.filter(at__lt=_day_start(data["end"] + datetime.timedelta(days=1)))
    return form, entries


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@role_required(*OFFICERS)
def audit(request: HttpRequest) -> HttpResponse:
    form, entries = _entries(request)
    page, query = page_of(request, entries.select_related("person"))
    return render(request, "accountability/audit.html",
                  {"form": form, "page": page, "query": query})  # fmt: skip


AUDIT_MAX_ROWS = 1_000_000


@role_required(*OFFICERS)
def audit_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in ("csv", "xlsx"):
        raise Http404
    _form, entries = _entries(request)
    header = [_("When"), _("Who"), _("Action"), _("Method"), _("Address"), _("Page"),
              _("Answer"), _("Person concerned (id)"), _("Detail")]  # fmt: skip
    labels = dict(Action.choices)

    def rows() -> Any:
        columns = ("at", "actor", "action", "method", "path", "view", "status", "person_id",
                   "detail")  # fmt: skip
        for e in entries.values_list(*columns)[:AUDIT_MAX_ROWS].iterator(5000):
            row: list[Cell] = [timezone.localtime(e[0]), e[1], str(labels.get(e[2], e[2])),
                               *e[3:7], e[7] or "", shown(e[8])]  # fmt: skip
            yield row

    name = file_name(pgettext("file name", "audit log"), timezone.localdate().isoformat(),
                     extension=file_format)  # fmt: skip
    if file_format == "csv":
        return _download(csv_bytes(header, rows()), "text/csv; charset=utf-8", name)
    return _download(xlsx_bytes(header, rows(), _("Audit log")), XLSX_TYPE, name)
