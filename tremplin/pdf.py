"""PDF documents from templates (WeasyPrint), as a download named for what it holds."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _


def pdf_response(request: HttpRequest, template: str, context: dict[str, object], name: str,
                 fallback: str) -> HttpResponse:  # fmt: skip
    """The template printed to PDF; without WeasyPrint's system libraries, a message and a
    redirect to `fallback` (a URL name)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # the system libraries WeasyPrint needs are missing
        messages.error(
            request,
            _("PDF reports need WeasyPrint and its system libraries (Pango); see the README."),
        )
        return redirect(fallback)
    html = render_to_string(template, context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response
