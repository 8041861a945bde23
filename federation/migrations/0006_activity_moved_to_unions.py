# Activity and ActivityPhoto (and their history) moved to the unions app, keeping their tables: this
# app lets go of them in the migration state only; unions 0003 takes them over.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0005_export_job"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="historicalactivityphoto", name="activity"),
                migrations.RemoveField(model_name="activityphoto", name="activity"),
                migrations.RemoveField(model_name="historicalactivity", name="federation"),
                migrations.RemoveField(model_name="historicalactivity", name="history_user"),
                migrations.RemoveField(model_name="historicalactivity", name="union"),
                migrations.RemoveField(model_name="historicalactivityphoto", name="history_user"),
                migrations.DeleteModel(name="Activity"),
                migrations.DeleteModel(name="ActivityPhoto"),
                migrations.DeleteModel(name="HistoricalActivity"),
                migrations.DeleteModel(name="HistoricalActivityPhoto"),
            ],
            database_operations=[],
        ),
    ]
