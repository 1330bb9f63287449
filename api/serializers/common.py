"""What the read serializers share: fields built once per class, rating, role and group fields.

Natural keys are used wherever integrations know them: agency and job-position ``code``, the
civil servant's ``official_id``, the period ``code`` (``2026-03``, ``2026-Q1``, ``2026``).
Decimal numbers are strings with their stored precision (``"81.83"``), as in the rest of the API.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from api.schema import choice_ref
from org.models import PositionGroup
from scoring.engine import RATINGS, ROLES

_THREAD = threading.local()


if TYPE_CHECKING:
    from rest_framework.serializers import ModelSerializer as _SerializerBase
else:
    _SerializerBase = object


class FieldsBuiltOnce(_SerializerBase):
    """Build a ModelSerializer's fields once per thread and serializer class.

    DRF rebuilds every field from the model on each serializer instance (a few milliseconds
    for the score serializers, more than the query). For read-only serializers whose fields do
    not depend on the request or the context, the fields of the first instance serve all
    later ones. Do NOT use on serializers that read ``self.context`` in a field.
    """

    @property
    def fields(self):
        cache = _THREAD.__dict__.setdefault("fields", {})
        fields = cache.get(type(self))
        if fields is None:
            fields = cache[type(self)] = super().fields
        return fields


def rating_field(help_text=None, **kwargs):
    return choice_ref(
        "RatingEnum",
        RATINGS,
        allow_blank=True,
        help_text=help_text
        or _(
            "Mức xếp loại: excellent — hoàn thành xuất sắc; good — hoàn thành tốt; completed — "
            "hoàn thành; not_completed — không hoàn thành nhiệm vụ. Rỗng khi chưa có."
        ),
        **kwargs,
    )


def role_field():
    return choice_ref(
        "RoleEnum",
        ROLES,
        help_text=_("Chức vụ: staff — công chức; head — cấp trưởng; deputy — cấp phó."),
    )


def group_field(**kwargs):
    return choice_ref(
        "PositionGroupEnum",
        PositionGroup.choices,
        help_text=_("Nhóm vị trí việc làm."),
        **kwargs,
    )
