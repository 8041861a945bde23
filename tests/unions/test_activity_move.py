"""Activities moved from the federation app to the unions app in code only (federation 0006, unions 0003):
they keep the tables they were created with, and a permission granted on them before the move still
holds after it (their content types are relabelled, not made anew)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from federation.models import User
from tests.support.factories import UserFactory
from unions.activities.models import Activity, ActivityPhoto, activity_photo_path

BEFORE_THE_MOVE = [
    ("federation", "0005_export_job"),
    ("unions", "0002_alter_grassrootsunion_union_credit_code_unique"),
]


def _migrate(targets=None) -> None:
    """Migrate the test database to `targets`, or to the latest migrations."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def test_activities_keep_the_tables_they_were_created_with():
    assert Activity._meta.app_label == ActivityPhoto._meta.app_label == "unions"
    assert Activity._meta.db_table == "federation_activity"
    assert ActivityPhoto._meta.db_table == "federation_activityphoto"
    assert Activity.history.model._meta.db_table == "federation_historicalactivity"
    assert ActivityPhoto.history.model._meta.db_table == "federation_historicalactivityphoto"


def test_photos_are_stored_where_they_were():
    assert activity_photo_path(ActivityPhoto(activity_id=7), "开幕式.jpg") == "activities/7/开幕式.jpg"


@pytest.mark.django_db(transaction=True)
def test_a_permission_granted_before_the_move_still_holds_after_it():
    _migrate(BEFORE_THE_MOVE)
    try:
        # Before the move, the permissions are the federation app's.
        change = Permission.objects.get(content_type__app_label="federation", codename="change_activity")
        view_photo = Permission.objects.get(
            content_type__app_label="federation", codename="view_activityphoto"
        )
        group = Group.objects.create(name="活动管理")
        group.permissions.add(change)
        user = UserFactory(username="granted_before_the_move")
        user.groups.add(group)
        user.user_permissions.add(view_photo)
    finally:
        _migrate()

    user = User.objects.get(pk=user.pk)
    assert user.has_perm("unions.change_activity")
    assert user.has_perm("unions.view_activityphoto")
    assert not user.has_perm("unions.delete_activity")
    assert not ContentType.objects.filter(app_label="federation", model__contains="activity").exists()
