"""Background work: rebuild the dashboards' snapshot."""

from __future__ import annotations

from django_tasks import task

from tremplin.insights.models import Snapshot
from tremplin.insights.snapshot import refresh


@task()
def refresh_snapshot(snapshot_id: int) -> None:
    refresh(Snapshot.objects.get(pk=snapshot_id))
