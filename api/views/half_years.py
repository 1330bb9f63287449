"""Six-month results (tag ``results``): H1/H2 of each person in the caller's reach
(``ratings.services.half_year``; the one formula ``scoring.services.half_year``). Scoped like
every personal read: ``org.access.visible``."""

from __future__ import annotations

from dataclasses import dataclass

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.base import READ_ERRORS, PagePagination, V1Mixin
from api.serializers.half_years import HalfYearPersonSerializer, HalfYearQuerySerializer
from api.views.common import PERSONAL_NOTE, with_note
from org import access
from org.models import Agency, CivilServant
from ratings.services.half_year import HalfYearRow, people_of, rows_for


@dataclass
class _Person:
    person: CivilServant
    halves: list[HalfYearRow]


class HalfYearView(V1Mixin, generics.ListAPIView):
    """GET /api/v1/half-year-scores/ — one row per person: the six-month results of the year."""

    serializer_class = HalfYearPersonSerializer
    pagination_class = PagePagination
    filter_backends: list = []
    access_log_type = "period_score"
    queryset = CivilServant.objects.none()  # the figures are computed per request

    @extend_schema(
        operation_id="half_year_scores_list",
        tags=["results"],
        summary=gettext_lazy("Kết quả đánh giá 6 tháng"),
        description=with_note(
            gettext_lazy(
                "Mỗi người một dòng: kết quả 6 tháng đầu năm và 6 tháng cuối năm (bình quân các "
                "kỳ đã chấm trong 6 tháng, tính như điểm năm — Điều 21 Nghị định 335/2025/NĐ-CP; "
                "Kế hoạch Gia Lai §IV.4.1.a). Chỉ để theo dõi, không thay kết quả xếp loại năm. "
                "Khi một kỳ trong 6 tháng đang được chấm lại, score là null và "
                "recomputing_since cho biết từ lúc nào."
            ),
            PERSONAL_NOTE,
        ),
        parameters=[
            OpenApiParameter("year", int, description=gettext_lazy("Năm (mặc định: năm nay).")),
            OpenApiParameter("half", int, enum=[1, 2], description=gettext_lazy("Kỳ 6 tháng.")),
            OpenApiParameter("agency", str, description=gettext_lazy("Mã cơ quan (tuỳ chọn).")),
        ],
        responses={200: HalfYearPersonSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def _query(self):
        if not hasattr(self, "_validated"):
            query = HalfYearQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            self._validated = query.validated_data
        return self._validated

    def get_queryset(self):
        data = self._query()
        year = data.get("year") or timezone.localdate().year
        agency = None
        code = data.get("agency")
        if code:
            agency = access.visible(self.request.user, Agency).filter(code=code).first()
            if agency is None:
                raise exceptions.ValidationError(
                    {
                        "agency": [
                            _("Không có cơ quan mã “%(code)s” trong phạm vi được xem.")
                            % {"code": code}
                        ]
                    }
                )
        return people_of(access.visible(self.request.user, CivilServant), agency, year)

    def paginate_queryset(self, queryset):
        page = self.paginator.paginate_queryset(queryset, self.request, view=self)
        if page is None:
            return None
        data = self._query()
        year = data.get("year") or timezone.localdate().year
        rows = rows_for(page, year, data.get("half"))
        self._read_rows = list(page)
        by_person: dict[int, list[HalfYearRow]] = {}
        for row in rows:
            by_person.setdefault(row.person.pk, []).append(row)
        return [_Person(person, by_person.get(person.pk, [])) for person in page]
