import pytest
from django.db import DatabaseError, connection, transaction

from gongkai.history.models import AppendOnlyError, Event, record


@pytest.fixture
def event(county):
    return record(county.clerk, "test.action", county.civil, agency=county.civil, summary="测试")


def test_record_keeps_who_what_and_the_name_at_the_time(county, event):
    assert event.actor == county.clerk
    assert event.actor_name == "clerk（clerk）"
    assert Event.objects.for_object(county.civil).filter(action="test.action").count() == 1


def test_public_and_system_actors_are_named(county):
    from django.contrib.auth.models import AnonymousUser

    assert record(AnonymousUser(), "a", county.civil, summary="s").actor_name == "公众"
    assert record(None, "a", county.civil, summary="s").actor_name == "系统"


def test_an_event_cannot_be_changed_or_deleted_through_the_orm(event):
    event.summary = "改写"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(summary="改写")
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).delete()
    assert Event.objects.get(pk=event.pk).summary == "测试"


def test_the_database_refuses_an_update_even_in_raw_sql(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE history_event SET summary = %s WHERE id = %s", ["改写", event.pk])
    assert Event.objects.get(pk=event.pk).summary == "测试"


def test_postgresql_refuses_a_raw_delete_too(event):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite refuses UPDATE only: Django empties SQLite test databases with DELETE")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM history_event WHERE id = %s", [event.pk])
    assert Event.objects.filter(pk=event.pk).exists()


def test_changes_are_shown_with_the_fields_own_names(county):
    from gongkai.agencies import services as agency_services

    agency_services.update_agency(
        county.admin, county.civil, {"phone": "0771-1234567"}, reason="更换电话"
    )
    event = Event.objects.filter(action__startswith="agency.").order_by("-id").first()
    labels = [label for label, _old, _new in event.changes()]
    assert "phone" not in labels
    assert any("电话" in label for label in labels)
