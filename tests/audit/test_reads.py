"""The read log of personal data (security review 2026-11-22, M5): what one row records, that a
read which cannot be recorded does not happen, and the mixins for Wagtail listings and
inspect pages (tried on the civil servants' snippet viewset, subclassed here)."""

from unittest import mock

import pytest

from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

import audit
from audit.models import AppendOnlyError, PersonalDataRead, ReadKind
from cms import read_audit
from cms.read_audit import AuditedExportMixin, AuditedInspectMixin
from org.access import HOME_AFFAIRS_GROUP
from org.models import CivilServant
from scoring.services import score_person
from tests.factories import UserFactory
from tests.scoring.helpers import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    for name in ("Nguyễn Thị Minh Thư", "Trần Văn Bình", "Lê Thị Cúc"):
        person = world.person(name)
        world.line(person, "X", 4, 4)
        world.marks(person, 27)
    return world


@pytest.fixture
def home_affairs():
    return UserFactory(username="sonoivu.thu", groups=[HOME_AFFAIRS_GROUP])


def _request(user, path="/admin/x/?agency=5&export=csv&p=2", **meta):
    request = RequestFactory().get(path, **meta)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_one_row_says_who_when_how_what_whose_and_from_where(settings, world, home_affairs):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    people = CivilServant.objects.filter(full_name__in=world.people)
    request = _request(
        home_affairs,
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )
    row = audit.record_read(
        request, ReadKind.LISTING_EXPORT, format="csv", queryset=people, agency=world.unit
    )
    stored = PersonalDataRead.objects.get(pk=row.pk)
    assert stored.user == home_affairs and stored.username == "sonoivu.thu"
    assert stored.kind == "listing_export" and stored.format == "csv"
    assert stored.model == "org.civilservant" and stored.label == "công chức"
    assert stored.row_count == 3 and stored.subject_count == 3
    assert sorted(PersonalDataRead.id_list(stored.subject_ids)) == sorted(
        people.values_list("pk", flat=True)
    )
    # The filter, without paging and the export switch; the path as requested.
    assert stored.query == "agency=5"
    assert stored.path == "/admin/x/?agency=5&export=csv&p=2" and stored.method == "GET"
    # The client behind the one trusted proxy, not a forged header.
    assert stored.ip == "203.0.113.9"
    assert stored.agency == world.unit
    # Every read of one person is found by one portable filter.
    person = people.first()
    assert PersonalDataRead.objects.filter(subject_ids__contains=f",{person.pk},").count() == 1


def test_the_person_and_agency_of_a_single_row_come_from_its_declared_scope(world, home_affairs):
    person = world.people["Trần Văn Bình"]
    score = score_person(person, world.period)
    row = audit.record_read(_request(home_affairs), ReadKind.EXPLAIN, objects=[score])
    assert row.model == "scoring.periodscore"
    assert PersonalDataRead.id_list(row.object_ids) == [score.pk]
    assert PersonalDataRead.id_list(row.subject_ids) == [person.pk]
    assert row.agency_id == score.agency_id


def test_the_log_is_append_only(world, home_affairs):
    row = audit.record_read(_request(home_affairs), ReadKind.INSPECT, objects=[world.unit])
    stored = PersonalDataRead.objects.get(pk=row.pk)
    with pytest.raises(AppendOnlyError):
        stored.save()
    with pytest.raises(AppendOnlyError):
        stored.delete()
    with pytest.raises(AppendOnlyError):
        PersonalDataRead.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        PersonalDataRead.objects.update(kind="x")


def test_an_unknown_kind_is_a_programming_error(home_affairs):
    with pytest.raises(ValueError):
        audit.record_read(_request(home_affairs), "peeked")


def test_a_read_that_cannot_be_recorded_does_not_happen(world, home_affairs):
    """Fail closed: the database refusing the log row answers 503 without the data."""
    person = world.people["Nguyễn Thị Minh Thư"]
    score = score_person(person, world.period)
    client = Client(raise_request_exception=False)
    client.force_login(home_affairs)
    url = reverse("scoring_explain", args=[score.pk])
    with mock.patch.object(
        PersonalDataRead.objects, "bulk_create", side_effect=OperationalError("disk I/O error")
    ):
        response = client.get(url)
    assert response.status_code == 503
    assert "Nguyễn Thị Minh Thư" not in response.content.decode()
    assert client.get(url).status_code == 200
    assert PersonalDataRead.objects.filter(kind=ReadKind.EXPLAIN).count() == 1


def test_an_announced_read_nobody_records_is_refused(home_affairs):
    receivers = read_audit.personal_data_read.receivers
    read_audit.personal_data_read.receivers = []
    read_audit.personal_data_read.sender_receivers_cache.clear()
    try:
        with pytest.raises(ImproperlyConfigured):
            read_audit.announce_read(_request(home_affairs), read_audit.INSPECT, objects=[])
    finally:
        read_audit.personal_data_read.receivers = receivers
        read_audit.personal_data_read.sender_receivers_cache.clear()


def test_the_announced_kinds_are_read_kinds():
    assert {read_audit.LISTING_EXPORT, read_audit.INSPECT} <= set(ReadKind.values)


# --- the mixins, on a concrete snippet viewset ------------------------------------------------


def _audited(viewset, view_class, mixin):
    """The snippet viewsets' own views carry the mixin (``org.admin_scope``)."""
    assert issubclass(view_class, mixin), view_class
    return view_class


@pytest.mark.parametrize("spreadsheet", ["csv", "xlsx"])
def test_listing_exports_are_recorded_with_their_rows_and_people(world, home_affairs, spreadsheet):
    viewset = CivilServant.snippet_viewset
    view = viewset.construct_view(
        _audited(viewset, viewset.index_view_class, AuditedExportMixin),
        **viewset.get_index_view_kwargs(),
    )
    request = _request(home_affairs, f"/admin/snippets/org/civilservant/?export={spreadsheet}")
    response = view(request)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body
    row = PersonalDataRead.objects.get()
    assert (row.kind, row.format, row.model) == ("listing_export", spreadsheet, "org.civilservant")
    everyone = set(CivilServant.objects.values_list("pk", flat=True))
    assert row.row_count == len(everyone) == row.subject_count
    assert set(PersonalDataRead.id_list(row.subject_ids)) == everyone
    # The page itself (no export) is not an export.
    view(_request(home_affairs, "/admin/snippets/org/civilservant/")).render()
    assert PersonalDataRead.objects.count() == 1


def test_a_filtered_export_records_only_the_rows_exported(world, home_affairs):
    viewset = CivilServant.snippet_viewset
    view = viewset.construct_view(
        _audited(viewset, viewset.index_view_class, AuditedExportMixin),
        **viewset.get_index_view_kwargs(),
    )
    response = view(_request(home_affairs, "/admin/snippets/org/civilservant/?export=csv&q=Cúc"))
    b"".join(response.streaming_content)
    row = PersonalDataRead.objects.get()
    cuc = world.people["Lê Thị Cúc"]
    assert PersonalDataRead.id_list(row.subject_ids) == [cuc.pk]
    assert row.query == "q=Cúc"


def test_inspect_pages_are_recorded_after_the_permission_check(world, home_affairs):
    viewset = CivilServant.snippet_viewset
    view = viewset.construct_view(
        _audited(viewset, viewset.inspect_view_class, AuditedInspectMixin),
        **viewset.get_inspect_view_kwargs(),
    )
    person = world.people["Trần Văn Bình"]
    response = view(
        _request(home_affairs, f"/admin/snippets/org/civilservant/inspect/{person.pk}/"),
        pk=str(person.pk),
    )
    response.render()
    assert response.status_code == 200
    row = PersonalDataRead.objects.get()
    assert (row.kind, row.model) == ("inspect", "org.civilservant")
    assert PersonalDataRead.id_list(row.subject_ids) == [person.pk]
    # Someone without reach is refused, and nothing is recorded for them.
    stranger = UserFactory()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        view(_request(stranger), pk=str(person.pk))
    assert PersonalDataRead.objects.count() == 1
