"""The programme lead's page for AI-tool usage: upload a vendor's usage report, say what its
columns hold, read the preview, import. One address: the upload waiting for its import is named
in the query string (`?upload=…`) and belongs to the session that sent it."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tremplin.insights.forms import UsageMappingForm, UsageUploadForm
from tremplin.insights.usage import WINDOW_DAYS
from tremplin.insights.usage_import import Upload, app_name, find, first_look, keep, preview_file
from tremplin.insights.usage_models import UsageDay
from tremplin.people.access import role_required
from tremplin.people.models import Role
from tremplin.uploads import UploadError, read_upload

MOST_PROBLEMS_SHOWN = 500


@role_required(Role.LEAD)
def usage(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("upload") or request.GET.get("upload")
    if token:
        upload = find(request, token)
        if upload is None:
            raise Http404
        return _preview(request, upload)
    form = UsageUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sent = form.cleaned_data["file"]
        try:
            content = read_upload(sent)
        except UploadError as error:
            form.add_error("file", str(error))
        else:
            mapping, problems = first_look(content, sent.name)
            if mapping is not None:  # read: kept for its preview; refused: not kept
                upload = keep(request, content, sent.name, mapping)
                return redirect(f"{reverse('insights:usage')}?upload={upload.token}")
            for problem in problems:
                form.add_error("file", problem)
    last = UsageDay.objects.aggregate(last=Max("day"))["last"]
    return render(request, "insights/usage.html",
                  {"form": form, "last_day": last, "window": WINDOW_DAYS})  # fmt: skip


def _preview(request: HttpRequest, upload: Upload) -> HttpResponse:
    content = upload.content()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "cancel":
        upload.delete(request)
        return redirect("insights:usage")
    preview = preview_file(content, upload.filename, upload.mapping)
    form = UsageMappingForm(request.POST if action == "remap" else None,
                            headers=preview.headers, mapping=preview.mapping)  # fmt: skip
    if action == "remap" and form.is_valid():
        upload.mapping = form.mapping()
        upload.save()
        return redirect(f"{reverse('insights:usage')}?upload={upload.token}")
    if action in ("import", "import_valid") and preview.can_import:
        done = preview_file(content, upload.filename, upload.mapping, write=True,
                            valid_only=action == "import_valid")  # fmt: skip
        if done.written:
            upload.delete(request)
            messages.success(request, _(
                "Usage imported: %(created)s days of use added, %(updated)s updated, "
                "%(unchanged)s already there. Recompute the figures to see them in the "
                "dashboards.") % {"created": done.created, "updated": done.updated,
                                  "unchanged": done.unchanged})  # fmt: skip
            return redirect("insights:usage")
        messages.error(request, _("Nothing was imported: the file has rows with problems. "
                                  "Correct them, or import only the valid rows."))  # fmt: skip
        return redirect(f"{reverse('insights:usage')}?upload={upload.token}")
    apps = [h for h in preview.headers if app_name(h)]
    return render(
        request,
        "insights/usage.html",
        {
            "upload": upload,
            "preview": preview,
            "mapping_form": form,
            "apps": apps,
            "problems": preview.problems[:MOST_PROBLEMS_SHOWN],
            "more_problems": max(len(preview.problems) - MOST_PROBLEMS_SHOWN, 0),
        },
    )
