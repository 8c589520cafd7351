"""The status history begins with each system's status as it stands, dated from the system's
creation (the earliest date known of it): what changed before is not known."""

from django.db import migrations


def forwards(apps, schema_editor):
    AISystem = apps.get_model("governance", "AISystem")
    StatusChange = apps.get_model("governance", "StatusChange")
    StatusChange.objects.bulk_create(
        StatusChange(system=system, status=system.status, changed_at=system.created_at)
        for system in AISystem.objects.filter(status_changes__isnull=True).only(
            "status", "created_at"
        )
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_status_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
