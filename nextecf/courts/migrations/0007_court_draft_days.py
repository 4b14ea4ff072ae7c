from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courts", "0006_courtstaff_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="court",
            name="draft_days",
            field=models.PositiveSmallIntegerField(
                default=7,
                help_text="A filer who is signed out (or times out) resumes the draft within this time.",
                verbose_name="days an untouched filing draft is kept",
            ),
        ),
    ]
