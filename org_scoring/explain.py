"""Sentences about a stored organisation score, shared by the admin page and the rating case
(rendered through gettext with ``scoring.explain``'s labels)."""

from django.utils.translation import gettext as _

from scoring.explain import (
    org_condition_label,
    org_fall_through_label,
    org_reason_label,
    rating_label,
)


def condition_lines(score) -> list[str]:
    """Why the stored rating is below each level above it, and what forced "not completed"."""
    if score is None or not score.scored:
        return []
    result = score.result
    lines = [
        _("Chưa đạt mức “%(level)s”: %(reasons)s.")
        % {
            "level": rating_label(level),
            "reasons": "; ".join(org_condition_label(code) for code in codes),
        }
        for level, codes in result.get("failed_conditions", {}).items()
    ]
    if result.get("fall_through"):
        lines.append(
            _(
                "Không đáp ứng điều kiện của mức nào và không thuộc trường hợp không hoàn thành "
                "nhiệm vụ (mục III.3.d): %(reading)s → “%(rating)s”; cấp có thẩm quyền xem xét."
            )
            % {
                "reading": org_fall_through_label(result["fall_through"]),
                "rating": rating_label(result.get("rating")),
            }
        )
    lines += [
        _("Không hoàn thành nhiệm vụ do %(reason)s.") % {"reason": org_reason_label(code)}
        for code in result.get("not_completed_reasons", [])
    ]
    return lines
