import pytest
from django.db import DatabaseError, connection, transaction

from gongkai.history.models import AppendOnlyError, Event, record


@pytest.fixture
def event(county):
    return record(county.clerk, "agency.update", county.civil, agency=county.civil, summary="测试")


def test_record_keeps_who_what_and_the_name_at_the_time(county, event):
    assert event.actor == county.clerk
    assert event.actor_name == "clerk（clerk）"
    assert Event.objects.for_object(county.civil).filter(action="agency.update").count() == 1


def test_public_and_system_actors_are_named(county):
    from django.contrib.auth.models import AnonymousUser

    assert record(AnonymousUser(), "agency.update", county.civil, summary="s").actor_name == "公众"
    assert record(None, "agency.update", county.civil, summary="s").actor_name == "系统"


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


# --- the registry of event kinds (gongkai.history.kinds) -------------------------------------


def test_an_event_of_a_kind_the_registry_does_not_name_is_refused(county):
    from gongkai.history import kinds

    before = Event.objects.count()
    with pytest.raises(kinds.UnknownEventKind, match=r"item\.publsh"):
        record(county.clerk, "item.publsh", county.civil, summary="错拼的类别")
    assert Event.objects.count() == before


def test_an_event_carrying_a_field_its_kind_does_not_name_is_refused(county):
    from gongkai.history import kinds

    before = Event.objects.count()
    with pytest.raises(kinds.UnknownEventKind, match="applicant_name"):
        record(
            county.clerk,
            "application.assign",
            county.civil,
            summary="s",
            after={"status": "open", "applicant_name": "张三"},
        )
    assert Event.objects.count() == before


def test_every_kind_written_in_the_code_is_registered():
    """Each literal event code in gongkai/ (``"item.publish"``, ``ACTION = "…"``) names a kind
    of the registry, and each kind of the registry is written somewhere: no dead kinds."""
    import re
    from pathlib import Path

    from gongkai.history import kinds

    root = Path(kinds.__file__).parents[1]
    prefixes = "|".join(sorted({code.split(".")[0] for code in kinds.KINDS}))
    pattern = re.compile(r'"((?:' + prefixes + r')\.[a-z_]+(?:\.[a-z_]+)?)"')
    written = set()
    for path in root.rglob("*.py"):
        if path.name == "kinds.py" or "migrations" in path.parts:
            continue
        written |= set(pattern.findall(path.read_text(encoding="utf-8")))
    codes_like = {c for c in written if c.split(".")[-1] not in {"html", "txt", "py", "json"}}
    assert codes_like - set(kinds.KINDS) == set()
    assert set(kinds.KINDS) - written == set()


def test_the_history_page_filters_by_kind(county):
    from django.test import Client

    from gongkai.agencies import services as agency_services

    agency_services.update_agency(county.admin, county.civil, {"phone": "0771-1234567"})
    client = Client()
    client.force_login(county.clerk)
    url = f"/office/agencies/{county.civil.pk}/history/"
    page = client.get(url, {"kind": "agency.update"}).content.decode()
    assert "修改机关信息" in page and 'value="agency.update" selected' in page
    assert "<td>修改机关信息</td>" in page
    empty = client.get(url, {"kind": "item.publish"}).content.decode()
    assert "暂无记录" in empty
    # An unknown kind shows everything, as if none was chosen.
    assert "<td>修改机关信息</td>" in client.get(url, {"kind": "<script>"}).content.decode()
