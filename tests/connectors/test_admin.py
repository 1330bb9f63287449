"""The admin pages: the review queue with its "map" links, the mapping form prefilled from it,
and the reconciliation report — Sở Nội vụ's, refused to others."""

import os

from django.test import Client

from connectors.models import Package, PackageState, TaskTypeMapping
from connectors.schedule import pull
from tests.connectors.world import document, ident


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _world_with_packages(world, tmp_path):
    source = world.source(tmp_path)
    TaskTypeMapping.objects.create(source=source, external_type="CV", product_code="CV")
    for age, (name, body) in enumerate(
        [
            ("a.xml", document()),
            ("b.xml", document("DOC-2", number="126", email="la@x.vn")),
            ("c.xml", b"<hong"),
        ]
    ):
        path = tmp_path / name
        path.write_bytes(body)
        os.utime(path, (1_700_000_000 + age, 1_700_000_000 + age))
    pull(source)
    return source


def test_the_review_queue_lists_what_waits_with_a_link_to_map_it(world, tmp_path):
    source = _world_with_packages(world, tmp_path)
    page = _client(world.users["home_affairs"]).get("/admin/connector_queue/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chưa xác định được công chức của người xử lý “la@x.vn”." in text
    assert "Chọn công chức cho “la@x.vn”" in text
    link = f"/admin/connector_people/new/?source={source.pk}&amp;external_person=la%40x.vn"
    assert link in text
    assert "125/STP-VP" not in text  # applied packages are not in the queue

    form = _client(world.users["home_affairs"]).get(link.replace("&amp;", "&"))
    assert form.status_code == 200
    assert 'value="la@x.vn"' in form.content.decode()


def test_mapping_in_the_admin_applies_the_waiting_package(
    world, tmp_path, django_capture_on_commit_callbacks
):
    source = _world_with_packages(world, tmp_path)
    binh = world.people["binh"]
    with django_capture_on_commit_callbacks(execute=True):
        answer = _client(world.users["home_affairs"]).post(
            "/admin/connector_people/new/",
            {"source": source.pk, "external_person": "la@x.vn", "civil_servant": binh.pk},
        )
    assert answer.status_code == 302
    package = Package.objects.get(document_id=ident("DOC-2"))
    assert package.state == PackageState.APPLIED
    assert package.line.civil_servant == binh


def test_the_reconciliation_report_counts_and_explains(in_november, world, tmp_path):
    _world_with_packages(world, tmp_path)
    page = _client(world.users["home_affairs"]).get(
        f"/admin/ket-noi/doi-soat/?co_quan={world.stp.pk}&thang=11/2026"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Sở Tư pháp — tháng 11/2026" in text
    total = text.split('id="reconciliation-total"')[1].split("</tr>")[0]
    numbers = [cell.split("</th>")[0] for cell in total.split("<th>")[2:]]
    assert numbers == ["3", "1", "1", "0", "0", "1", "0"]
    assert "Không đọc được gói tin XML (ParseError)." in text

    wrong = _client(world.users["home_affairs"]).get(
        f"/admin/ket-noi/doi-soat/?co_quan={world.stp.pk}&thang=13-2026"
    )
    assert "Tháng “13-2026” không đúng dạng mm/yyyy (ví dụ 11/2026)." in wrong.content.decode()


def test_others_are_refused(world, tmp_path):
    _world_with_packages(world, tmp_path)
    outsider = _client(world.users["outsider"])
    assert outsider.get("/admin/ket-noi/doi-soat/").status_code in (302, 403)
    answer = outsider.get("/admin/connector_queue/")
    assert answer.status_code in (302, 403)
    assert "la@x.vn" not in answer.content.decode()
