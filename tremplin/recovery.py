"""What a crash leaves behind, set right when the background worker starts again.

Background work (a snapshot of the figures, a population's plans, a calibration, a quarter
of the Article 4 register) runs in the
worker only; when the worker starts, nothing of its own can be running, so a run still marked
running was cut off (the machine or the process was killed). It is marked failed with a
message saying so, and running it again from its page works: each run writes its results in
transactions of its own, so nothing half-written is ever shown.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

INTERRUPTED = _("Interrupted: the server stopped while this ran. Run it again.")


def mark_interrupted() -> dict[str, int]:
    """Mark every run left running as failed; returns how many of each kind."""
    from tremplin.assessments.quiz_models import CalibrationRun
    from tremplin.governance.models import RegisterRelease
    from tremplin.insights.models import Snapshot
    from tremplin.learning.models import PlanRun

    with translation.override(settings.LANGUAGE_CODE):  # the installation's language, always
        message = str(INTERRUPTED)
    now = timezone.now()
    return {
        "snapshots": Snapshot.objects.filter(state=Snapshot.State.RUNNING).update(
            state=Snapshot.State.FAILED, error=message
        ),
        "plan runs": PlanRun.objects.filter(state=PlanRun.State.RUNNING).update(
            state=PlanRun.State.FAILED, error=message, finished_at=now
        ),
        "calibrations": CalibrationRun.objects.filter(status=CalibrationRun.Status.RUNNING).update(
            status=CalibrationRun.Status.FAILED, error=message, finished_at=now
        ),
        # Read again, the register's page asks for a failed quarter again.
        "register quarters": RegisterRelease.objects.filter(
            state=RegisterRelease.State.RUNNING
        ).update(state=RegisterRelease.State.FAILED, error=message, finished_at=now),
    }
