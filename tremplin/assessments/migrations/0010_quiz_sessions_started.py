"""The count of quizzes started, kept in the settings row (it was counted at every answer)."""

from django.db import migrations, models


def count_started(apps, schema_editor):
    QuizSettings = apps.get_model("assessments", "QuizSettings")
    QuizSession = apps.get_model("assessments", "QuizSession")
    QuizSettings.objects.update(sessions_started=QuizSession.objects.count())


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0009_campaign_submission"),
    ]

    operations = [
        migrations.AddField(
            model_name="quizsettings",
            name="sessions_started",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(count_started, migrations.RunPython.noop),
    ]
