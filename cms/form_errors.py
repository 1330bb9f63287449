"""The red banner at the top of a page whose form was refused: what was not saved and each
reason, named by the field's label, so that the person sees it without scrolling to the field
(review 2026-11-23 B1, C4)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
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


def check_all(*checks: Callable[[], object]) -> None:
    """Run every check and raise their refusals together, by field, as a model's
    ``full_clean`` gives them (a write service's ``full_clean`` and its own rules: the person
    sees every reason at once, not the first one)."""
    errors: dict = {}
    for check in checks:
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
