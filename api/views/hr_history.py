"""Results for HR decisions (tag ``results``): a person's ratings over several years and the
flags the law attaches to them (``ratings.hr_flags``; docs/hr-decisions.md). Scoped like every
personal read: ``org.access.visible``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.base import READ_ERRORS, PagePagination, V1Mixin
from api.serializers.hr_history import HrHistoryQuerySerializer, HrPersonSerializer
from api.views.common import PERSONAL_NOTE, with_note
from org import access
from org.models import Agency, CivilServant
from ratings.hr_flags import history_years
from ratings.services.hr_history import (
    default_last_year,
    filter_histories,
    histories,
    people_in,
    people_posted,
    window,
)


class HrHistoryView(V1Mixin, generics.ListAPIView):
    """GET /api/v1/hr-history/ — one row per person: the years × rating, the flags raised."""

    serializer_class = HrPersonSerializer
    pagination_class = PagePagination
    filter_backends: list = []
    access_log_type = "annual_rating"
    queryset = CivilServant.objects.none()  # the rows are computed per request

    @extend_schema(
        operation_id="hr_history_list",
        tags=["results"],
        summary=gettext_lazy("Kết quả nhiều năm và cảnh báo phục vụ công tác cán bộ"),
        description=with_note(
            gettext_lazy(
                "Mỗi người một dòng: xếp loại từng năm (đã quyết định, hoặc dự kiến theo điểm "
                "năm) và các cảnh báo theo quy định (hai năm liên tiếp không hoàn thành nhiệm "
                "vụ, nhiều năm hoàn thành xuất sắc…) kèm căn cứ pháp lý. Cảnh báo chỉ tính các "
                "năm đã có quyết định xếp loại, trừ khi cấu hình khác."
            ),
            PERSONAL_NOTE,
        ),
        parameters=[
            OpenApiParameter("agency", str, description=gettext_lazy("Mã cơ quan (tuỳ chọn).")),
            OpenApiParameter("year", int, description=gettext_lazy("Năm cuối của khoảng.")),
            OpenApiParameter("years", int, description=gettext_lazy("Số năm, 1–10.")),
            OpenApiParameter("flag", str, description=gettext_lazy("Mã cảnh báo.")),
            OpenApiParameter("category", str, description=gettext_lazy("Đối tượng.")),
            OpenApiParameter("purpose", str, description=gettext_lazy("Mục đích sử dụng.")),
        ],
        responses={200: HrPersonSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_query(self):
        query = HrHistoryQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["purpose"] = getattr(self, "_purpose", "")
        return context

    def get_queryset(self):
        data = self.get_query()
        self._purpose = data.get("purpose", "")
        last = data.get("year") or default_last_year()
        years = window(last, data.get("years") or history_years())
        people = access.visible(self.request.user, CivilServant)
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
            posted = people_in(agency, years[0], years[-1])
        else:
            posted = people_posted(years[0], years[-1])
        people = people.filter(pk__in=posted.values("pk"))
        return filter_histories(
            histories(people, last, len(years), viewer=self.request.user),
            flag=data.get("flag", ""),
            category=data.get("category", ""),
            purpose=self._purpose,
        )

    def paginate_queryset(self, queryset):
        page = self.paginator.paginate_queryset(queryset, self.request, view=self)
        # The read log: the people returned (``V1Mixin.record_person_read``).
        self._read_rows = [history.person for history in page] if page is not None else None
        return page
