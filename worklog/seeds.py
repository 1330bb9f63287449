"""Production seed of worklog, called by migration 0002 and by ``demo.base_data``: public
holidays of 2026 for civil servants (editable data: Sở Nội vụ confirms or corrects).

Sources: Labour Code 2019 (Bộ luật Lao động số 45/2019/QH14), Art. 112 — New Year 1 day, Lunar
New Year 5 days, Hùng Kings' day (10/3 lunar) 1 day, 30/4 1 day, 1/5 1 day, National Day 2 days
(2/9 and one adjacent day); Art. 111(3) — a holiday on a weekly rest day gives a compensatory
day off on the next working day. Lunar New Year 2026 (Bính Ngọ) is Tuesday 17/02/2026; the
announced break for civil servants is the 9 days from Saturday 14/02 to Sunday 22/02/2026
(the 5 statutory days are Monday 16/02 — last day of the lunar year — to Friday 20/02, so no
make-up day is needed). 10/3 lunar is Sunday 26/04/2026, hence Monday 27/04 off.

Rows marked inactive are proposals found in reference calendars that the province must check
against the official notices before switching them on; inactive rows never count.
"""

import datetime

LAW = "Bộ luật Lao động 2019, Điều 112"
COMPENSATORY = "Bộ luật Lao động 2019, khoản 3 Điều 111"
TET = "Lịch nghỉ Tết Âm lịch 2026 của cán bộ, công chức, viên chức (Bộ Nội vụ thông báo)"
CONFIRM = "Tỉnh cần xác nhận theo văn bản chính thức."
PROPOSAL = (
    "Chưa áp dụng: có trong lịch tham khảo, cần Sở Nội vụ đối chiếu văn bản chính thức "
    "trước khi bật “đang áp dụng”."
)


def d(month, day):
    return datetime.date(2026, month, day)


# (date, name, kind, active, source, note)
ROWS = [
    (d(1, 1), "Tết Dương lịch", "holiday", True, LAW, CONFIRM),
    *[
        (d(2, day), f"Nghỉ Tết Nguyên đán Bính Ngọ (ngày {n}/9)", "holiday", True, TET, CONFIRM)
        for n, day in enumerate(range(14, 23), start=1)
    ],
    (d(4, 26), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", "holiday", True, LAW, CONFIRM),
    (
        d(4, 27),
        "Nghỉ bù Giỗ Tổ Hùng Vương (26/4 là Chủ nhật)",
        "day_off",
        True,
        COMPENSATORY,
        CONFIRM,
    ),
    (d(4, 30), "Ngày Chiến thắng", "holiday", True, LAW, CONFIRM),
    (d(5, 1), "Ngày Quốc tế Lao động", "holiday", True, LAW, CONFIRM),
    (d(9, 1), "Quốc khánh (ngày liền kề)", "holiday", True, LAW, CONFIRM),
    (d(9, 2), "Quốc khánh", "holiday", True, LAW, CONFIRM),
    (d(8, 31), "Nghỉ hoán đổi dịp Quốc khánh (đề xuất)", "day_off", False, "", PROPOSAL),
    (d(8, 22), "Làm việc bù cho ngày 31/8 (đề xuất)", "working", False, "", PROPOSAL),
    (d(11, 24), "Ngày Văn hóa Việt Nam (đề xuất)", "holiday", False, "", PROPOSAL),
]


def seed_holidays_2026(apps, schema_editor=None):
    Holiday = apps.get_model("worklog", "Holiday")
    for date, name, kind, active, source, note in ROWS:
        Holiday.objects.get_or_create(
            date=date,
            defaults={
                "name": name,
                "kind": kind,
                "is_active": active,
                "source": source,
                "note": note,
            },
        )


def unseed_holidays_2026(apps, schema_editor=None):
    Holiday = apps.get_model("worklog", "Holiday")
    Holiday.objects.filter(date__in=[row[0] for row in ROWS]).delete()
