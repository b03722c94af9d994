"""A decided 更正申请 (条例第四十一条) has a record outcome instead of a table-三 outcome."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0009_law_rules_part_two"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="application",
            name="application_outcome_when_decided",
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.CheckConstraint(
                condition=~Q(status__in=["decided", "replied", "archived"])
                | ~Q(outcome="")
                | ~Q(record_outcome=""),
                name="application_outcome_when_decided",
            ),
        ),
    ]
