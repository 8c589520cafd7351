"""Campaigns opened automatically after each completed module become reassessments: one open
per person, gathering the modules and the competences they raise. A campaign in which someone
already submitted stays (it is history); the others go."""


from django.db import migrations

PREFIXES = ("After training: ", "Après la formation : ")


def forwards(apps, schema_editor):
    Campaign = apps.get_model("assessments", "Campaign")
    Reassessment = apps.get_model("assessments", "Reassessment")
    ModuleRaise = apps.get_model("learning", "ModuleRaise")
    for campaign in Campaign.objects.filter(name__startswith=PREFIXES[0]) | Campaign.objects.filter(
        name__startswith=PREFIXES[1]
    ):
        if campaign.drafts.filter(submitted_at__isnull=False).exists():
            continue
        code = next(campaign.name[len(p) :] for p in PREFIXES if campaign.name.startswith(p))
        competences = [r.competence_id for r in ModuleRaise.objects.filter(module__code=code)]
        for person in campaign.people.all():
            found = (
                Reassessment.objects.filter(person=person, self_done_at__isnull=True).first()
                or Reassessment.objects.filter(person=person, manager_done_at__isnull=True).first()
            )
            if found is None:
                found = Reassessment.objects.create(
                    person=person, requested_on=campaign.opens_on, due_on=campaign.closes_on
                )
            if code not in found.modules:
                found.modules = [*found.modules, code]
            found.due_on = max(found.due_on, campaign.closes_on)
            found.save()
            found.competences.add(*competences)
        campaign.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0007_reassessment"),
        ("learning", "0004_plan_gaps_and_revision"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]


