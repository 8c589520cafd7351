"""Background work: rebuild the dashboards' snapshot."""

from __future__ import annotations

from django_tasks import task

from tremplin.insights.models import Snapshot
from tremplin.insights.published import publish
from tremplin.insights.snapshot import latest, refresh


@task()
def refresh_snapshot(snapshot_id: int) -> None:
    refresh(Snapshot.objects.get(pk=snapshot_id))


@task()
def republish(audience: str) -> None:
    """Rebuild a company audience's publication on the latest snapshot (its plan changed)."""
    figures = latest()
    if figures is not None:
        publish(figures, audience)


@task()
def publish_due(audiences: list[str]) -> None:
    """The company audiences' publications due on the latest snapshot (a quarter ended)."""
    from tremplin.insights.published import publish_company

    figures = latest()
    if figures is not None:
        publish_company(figures, tuple(audiences))
