"""Lists shown 50 rows at a time, keeping the reader's filters in the page links."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def page_of(request: HttpRequest, rows: Any, size: int = PAGE_SIZE) -> tuple[Page[Any], str]:
    """The page the request asks for, and its query string without the page number, for
    `_pagination.html`."""
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
