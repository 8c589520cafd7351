from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("write", "change"),
                    ("read", "personal page read"),
                    ("export", "export downloaded"),
                    ("sign_in", "signed in"),
                    ("sign_out", "signed out"),
                    ("erase", "person erased"),
                    ("retention", "retention rule applied"),
                    ("api", "API read"),
                ],
                max_length=10,
                verbose_name="action",
            ),
        ),
    ]
