"""Form 01 and Form 02 as one-sheet .xlsx workbooks (A4 portrait, print-ready; ``cms.xlsx``)."""

from django.utils.translation import gettext as _

from cms.xlsx import CENTER, print_sheet, put, put_signatures, to_bytes


def _header(sheet, header, width: int) -> int:
    half = max(2, width // 2)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=half)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=half)
    sheet.merge_cells(start_row=1, start_column=half + 1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=half + 1, end_row=2, end_column=width)
    put(sheet, 1, 1, header.upper_body, size=12, align=CENTER)
    put(sheet, 2, 1, header.agency, bold=True, size=12, align=CENTER)
    put(sheet, 1, half + 1, header.motto[0], bold=True, size=12, align=CENTER)
    put(sheet, 2, half + 1, header.motto[1], bold=True, size=13, align=CENTER, underline="single")
    sheet.merge_cells(start_row=3, start_column=half + 1, end_row=3, end_column=width)
    put(sheet, 3, half + 1, header.place_date, italic=True, align=CENTER)
    for row, value, bold in ((5, header.title, True), (6, header.subtitle, False)):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        put(sheet, row, 1, value, bold=bold, size=14 if bold else 12, align=CENTER)
    # The legal basis under the title, a line each (Form 02), as on the printed page.
    for row, line in enumerate(getattr(header, "basis", ()), start=7):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        put(sheet, row, 1, line, italic=True, size=11, align=CENTER)
    return 8 + len(getattr(header, "basis", ()))


def _label_rows(sheet, rows, start: int, width: int) -> int:
    row = start
    for item in rows:
        put(sheet, row, 1, item.label, bold=True)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        put(sheet, row, 2, item.value)
        row += 1
    return row


def form02_xlsx(form) -> bytes:
    """Form 02 in the layout of the printed page (``ratings.printing.form02``): the header, the
    person, then each part with its signature and date under it."""
    width = 4
    book, sheet = print_sheet(_("Mẫu 02"))
    for col, size in zip("ABCD", (34, 30, 20, 20), strict=True):
        sheet.column_dimensions[col].width = size
    start = _header(sheet, form.header, width)
    if getattr(form.header, "form_number", ""):
        sheet.merge_cells(start_row=4, start_column=1, end_row=4, end_column=width)
        put(sheet, 4, 1, form.header.form_number, bold=True, align=CENTER)
    row = _label_rows(sheet, form.identity, start, width) + 1
    for index, section in enumerate(form.sections):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        heading = f"{section.number}. {section.title}"
        if "." not in section.number:
            heading = heading.upper()
        if section.note:
            heading = f"{heading} {section.note}"
        put(sheet, row, 1, heading, bold=True)
        row = _label_rows(sheet, section.rows, row + 1, width) + 1
        if index == 0 and form.periods:
            row = _periods(sheet, form, row, width)
        if section.signature is not None:
            row = put_signatures(sheet, [section.signature], row, width, right=True) + 1
    if form.signatures:
        put_signatures(sheet, form.signatures, row + 1, width)
    return to_bytes(book)


def _periods(sheet, form, row: int, width: int) -> int:
    """The periods the year's mean is made of, and the mean written out (Form 02, part I)."""
    if form.periods:
        titles = (_("Kỳ"), _("Số tháng tính"), _("Tổng điểm"), _("Mức theo điểm"))
        for col, title in enumerate(titles, start=1):
            put(sheet, row, col, title, bold=True, border=True, align=CENTER)
        for period in form.periods:
            row += 1
            for col, value in enumerate(period, start=1):
                put(sheet, row, col, value, border=True)
        if form.working:
            row += 1
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            put(sheet, row, 1, f"{_('Cách tính điểm năm:')} {form.working}")
        row += 2
    return row


def form01_xlsx(form) -> bytes:
    width = 5
    book, sheet = print_sheet(_("Mẫu 01"))
    for col, size in zip("ABCDE", (8, 52, 12, 14, 16), strict=True):
        sheet.column_dimensions[col].width = size
    row = _header(sheet, form.header, width)
    for item in form.identity:
        put(sheet, row, 1, item.label, bold=True)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        put(sheet, row, 2, item.value)
        row += 1
    row += 1
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    put(sheet, row, 1, form.marks_title or _("I. KẾT QUẢ ĐÁNH GIÁ TIÊU CHÍ CHUNG"), bold=True)
    row += 1
    titles = (
        _("TT"),
        _("Tiêu chí chấm điểm"),
        _("Điểm tối đa"),
        _("Điểm tự chấm"),
        _("Điểm người đánh giá chấm"),
    )
    for col, title in enumerate(titles, start=1):
        put(sheet, row, col, title, bold=True, border=True, align=CENTER)
    for mark in form.marks:
        row += 1
        values = (mark.code, mark.label, mark.max_points, mark.self_mark, mark.evaluator_mark)
        for col, value in enumerate(values, start=1):
            put(sheet, row, col, value, bold=mark.is_group, border=True)
    row += 1
    put(
        sheet,
        row,
        2,
        form.marks_total_label or _("Điểm tiêu chí chung (1)"),
        bold=True,
        border=True,
    )
    put(sheet, row, 5, form.general_total, bold=True, border=True)
    if not form.contract:  # a contract worker under the own method has no section II (M7)
        row += 2
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        put(sheet, row, 1, _("II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"), bold=True)
        for item in form.tasks:
            row += 1
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            put(sheet, row, 1, item.label, border=True)
            put(sheet, row, 5, item.value, border=True)
    row += 2
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    put(
        sheet,
        row,
        1,
        form.total_title or _("III. TỔNG ĐIỂM THEO DÕI, ĐÁNH GIÁ (3 = 1 + 2)"),
        bold=True,
    )
    put(sheet, row, 5, form.total, bold=True)
    row += 1
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    put(sheet, row, 1, _("Mức xếp loại theo điểm"), bold=True)
    put(sheet, row, 5, form.rating, bold=True)
    if form.rounding:
        row += 1
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        put(sheet, row, 1, form.rounding)
    put_signatures(sheet, form.signatures, row + 2, width)
    return to_bytes(book)
