"""The red banner at the top of a page whose form was refused: what was not saved and each
reason, named by the field's label, so that the person sees it without scrolling to the field
(review 2026-11-23 B1, C4)."""

from django.utils.translation import gettext as _


def error_summary(form) -> str:
    """ "Chưa lưu được. Hãy sửa rồi gửi lại: Ngày họp: Bắt buộc nhập. …"."""
    reasons = [str(error) for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else name
        reasons += [f"{label}: {error}" for error in errors]
    return _("Chưa lưu được. Hãy sửa rồi gửi lại: %(reasons)s") % {"reasons": " ".join(reasons)}
