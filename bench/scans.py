"""Rows each page of the load mix reads (run by bench/load.py on its company, before serving).

Every SELECT a page runs is run again under EXPLAIN ANALYZE; the rows its scans read (rows
returned plus those a filter removed, times the loops) are summed per query. A page whose
query count stays fixed but one of whose queries reads the whole company would pass the query
count test and still slow down as the company grows: this finds it. Prints one JSON object:
{page: {"queries": n, "rows_read_max": rows of the heaviest query, "query": its start}}.

    DATABASE_URL=postgresql://… .venv/bin/python bench/scans.py USERS_JSON
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

LINKS = {
    "SELF": ("/assessments/", r'href="(/assessments/campaigns/\d+/people/\d+/self/)"'),
    "RATE": ("/assessments/", r'href="(/assessments/campaigns/\d+/people/\d+/manager/)"'),
    "PLAN": ("/development/plans/", r'href="(/development/plans/\d+/)"'),
}
ID = re.compile(r"/\d+")
PAGES = [
    ("employee", "/"), ("employee", "/assessments/"), ("employee", "SELF"),
    ("employee", "/development/"), ("manager", "/"), ("manager", "/assessments/"),
    ("manager", "RATE"), ("manager", "/development/plans/"), ("manager", "PLAN"),
    ("manager", "/development/gaps/team/"), ("lead", "/insights/"), ("lead", "/insights/heatmap/"),
    ("lead", "/assessments/campaigns/"),
]  # fmt: skip


def rows_read(node: dict[str, Any]) -> int:
    """Rows the scans under a plan node read: returned or removed by a filter, times loops."""
    own = 0
    if "Scan" in node.get("Node Type", ""):
        seen = sum(node.get(k, 0) for k in ("Actual Rows", "Rows Removed by Filter",
                                            "Rows Removed by Index Recheck"))  # fmt: skip
        own = int(seen * node.get("Actual Loops", 1))
    return own + sum(rows_read(child) for child in node.get("Plans", []))


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    accounts = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    found: dict[str, dict[str, Any]] = {}
    for role, url in PAGES:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=accounts[role][0]))
        if url in LINKS:
            listing, pattern = LINKS[url]
            link = re.search(pattern, client.get(listing).content.decode())
            if link is None:
                continue
            url = link.group(1)
        client.get(url)  # once to warm what a first request reads
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        heaviest, query = 0, ""
        for sql in (q["sql"] for q in captured.captured_queries):
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
            plan = plan if isinstance(plan, list) else json.loads(plan)
            read = rows_read(plan[0]["Plan"])
            if read > heaviest:
                heaviest, query = read, sql[:120]
        name = f"{role} {ID.sub('/<id>', url)}"
        found[name] = {"queries": len(captured.captured_queries), "rows_read_max": heaviest,
                       "query": query}  # fmt: skip
    print(json.dumps(found))


if __name__ == "__main__":
    main()
