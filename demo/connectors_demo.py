"""edXML work for the demo (issue 33): the demo civil servant's agency gets a folder source and a
webhook source, like its document-management system would feed them.

The folder receives four packages and is pulled once: a document due next week for the demo
civil servant (``congchuc``, found by official ID), one due three days ago that a status says
was completed yesterday (a late completion), one for an officer nobody mapped and one of an
unmapped document type (both wait in the review queue). The webhook receives one signed push: a
document for the unit head (``lanhdao.phong``), completed on time. Dates are relative to today.

Idempotent: the sources are found by name, the packages by document id; a second run changes
nothing. Not part of ``load_demo`` (its figures stay as they are): ``manage.py load_demo_edxml``.
"""

from __future__ import annotations

import datetime
import json
import os
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone

from catalog_pages.models import CatalogVersion
from connectors import samples
from connectors.models import AcceptedSignature, Source, SourceKind, TaskTypeMapping
from connectors.report import reconcile
from connectors.schedule import pull
from connectors.views import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, webhook
from demo.workplans_demo import load_workplans_demo
from org.models import CivilServant

STAFF, LEADER = "congchuc", "lanhdao.phong"
FOLDER_SOURCE = "QLVB (demo, thư mục)"
WEBHOOK_SOURCE = "QLVB (demo, webhook)"


def _person(username) -> CivilServant:
    return CivilServant.objects.get(user=get_user_model().objects.get(username=username))


def _drop(folder: Path, name: str, content: bytes, order: int) -> None:
    path = folder / name
    if path.exists() and path.read_bytes() == content:
        return
    path.write_bytes(content)
    stamp = 1_700_000_000 + order
    os.utime(path, (stamp, stamp))


def load_demo_edxml(
    folder: Path, today: datetime.date | None = None, *, with_plan: bool = True
) -> dict:
    today = today or timezone.localdate()
    staff, leader = _person(STAFF), _person(LEADER)
    agency = staff.primary_posting_on(today).agency.owning_agency
    item = CatalogVersion.objects.in_force(agency, today).items.order_by("sort_order", "code")[0]
    folder.mkdir(parents=True, exist_ok=True)
    # The demo province takes the document system's "completed" as accepted (a per-source
    # choice; the default is that the evaluator accepts it on the worklog), so the demo's
    # scores show the late completion at once.
    source, _created = Source.objects.get_or_create(
        name=FOLDER_SOURCE,
        defaults={
            "agency": agency,
            "kind": SourceKind.FOLDER,
            "folder": str(folder),
            "completion_needs_review": False,
        },
    )
    pushed, _created = Source.objects.get_or_create(
        name=WEBHOOK_SOURCE,
        defaults={"agency": agency, "kind": SourceKind.WEBHOOK, "completion_needs_review": False},
    )
    for each in (source, pushed):
        TaskTypeMapping.objects.get_or_create(
            source=each, external_type="CV", defaults={"product_code": item.code}
        )
    notation = f"{agency.code}-VP"
    week = datetime.timedelta(days=7)
    packages = [
        (
            "01-giao-viec.xml",
            samples.document(
                "DEMO-EDXML-1",
                number="101",
                notation=notation,
                date=today,
                subject="Rà soát thủ tục hành chính quý IV",
                due=today + week,
                staff=staff.official_id,
            ),
        ),
        (
            "02-giao-viec.xml",
            samples.document(
                "DEMO-EDXML-2",
                number="102",
                notation=notation,
                date=today - 2 * week,
                subject="Báo cáo kết quả công tác tháng",
                due=today - datetime.timedelta(days=3),
                staff=staff.official_id,
            ),
        ),
        (
            "03-hoan-thanh.xml",
            samples.status(
                "DEMO-EDXML-2",
                when=datetime.datetime.combine(
                    today - datetime.timedelta(days=1), datetime.time(16)
                ),
            ),
        ),
        (
            "04-chua-ro-nguoi.xml",
            samples.document(
                "DEMO-EDXML-3",
                number="103",
                notation=notation,
                date=today,
                subject="Góp ý dự thảo quy chế",
                due=today + week,
                email="van.thu@example.vn",
            ),
        ),
        (
            "05-loai-chua-anh-xa.xml",
            samples.document(
                "DEMO-EDXML-4",
                number="104",
                notation=notation,
                date=today,
                subject="Quyết định thành lập tổ công tác",
                doc_type="QĐ",
                type_name="Quyết định",
                due=today + week,
                staff=staff.official_id,
            ),
        ),
    ]
    for order, (name, content) in enumerate(packages):
        _drop(folder, name, content, order)
    run = pull(source)

    body = samples.document(
        "DEMO-EDXML-5",
        number="105",
        notation=notation,
        date=today - week,
        subject="Kế hoạch kiểm tra công vụ",
        due=today + week,
        staff=leader.official_id,
    )
    answers = [_push(pushed, body)]
    done = samples.status("DEMO-EDXML-5", when=datetime.datetime.combine(today, datetime.time(9)))
    answers.append(_push(pushed, done))
    report = reconcile(agency, (today + week).replace(day=1))
    # The unit's quarterly work plan, one item matched to the first received task (issue 45).
    plan = load_workplans_demo(today) if with_plan else None
    return {
        "run": run,
        "pushed": answers,
        "report": report,
        "source": source,
        "webhook": pushed,
        "plan": plan,
    }


def _push(source: Source, body: bytes) -> str:
    # A sender sends each request once: the same body with the same stamp is a replay and is
    # refused (409). Loading the demo twice within a second would send exactly that, so the
    # demo's sender, like a real one, stamps a later second for a new request.
    now = int(time.time())
    stamp = str(now)
    while AcceptedSignature.objects.filter(
        source=source, signature=sign(source.secret, stamp, body)
    ).exists():
        now += 1
        stamp = str(now)
    request = RequestFactory().post(
        f"/ket-noi/webhook/{source.pk}/",
        data=body,
        content_type="application/xml",
        headers={TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: sign(source.secret, stamp, body)},
    )
    return json.loads(webhook(request, source.pk).content)["result"]
