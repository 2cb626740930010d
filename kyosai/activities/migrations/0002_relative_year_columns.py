"""Register columns named relative to the row's fiscal year (`_cur` / `_prev`), not after 2024.

The registers keep their rows in ordinary columns (no JSON), so renaming the columns moves every
stored figure with it: nothing is copied or recomputed. The audit trail is append-only and keeps
the names its entries were written with."""

from django.db import migrations, models

RENAMES = {
    "meetingstat": (("value_2024", "value_cur"),),
    "newhireresult": (("coop_joined_2024", "coop_joined_cur"), ("coop_joined_2023", "coop_joined_prev"),
                      ("life_joined_2024", "life_joined_cur"), ("life_joined_2023", "life_joined_prev")),
    "mycarestimate": (("basic_members_2024_11", "basic_members_cur"),
                      ("new_contracts_2024_05", "new_contracts_prev"),
                      ("estimates_05_end", "estimates_prev"),
                      ("new_contracts_2024_11", "new_contracts_cur"),
                      ("estimates_11_end", "estimates_cur")),
}

LABELS = {
    ("mycarestimate", "basic_members_cur"): "基本型加入者数（当年度の半期末）",
    ("mycarestimate", "new_contracts_prev"): "前年度 マイカー新契約（前年度末）",
    ("mycarestimate", "estimates_prev"): "前年度 見積り数（前年度末）",
    ("mycarestimate", "new_contracts_cur"): "当年度 マイカー新契約（半期末）",
    ("mycarestimate", "estimates_cur"): "当年度 見積り数（半期末）",
}


class Migration(migrations.Migration):

    dependencies = [
        ("activities", "0001_initial"),
    ]

    operations = [
        *(migrations.RenameField(model_name=model, old_name=old, new_name=new)
          for model, pairs in RENAMES.items() for old, new in pairs),
        *(migrations.AlterField(model_name=model, name=name,
                                field=models.IntegerField(default=0, verbose_name=label))
          for (model, name), label in LABELS.items()),
    ]
