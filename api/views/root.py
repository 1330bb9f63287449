"""GET /api/v1/ (tag ``api``) and the API's JSON 404 for every other /api/ address."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api.serializers.root import ApiRootSerializer

#: (name, URL name, methods, description) of every endpoint listed by the API root.
ENDPOINTS = [
    (
        "score-preview",
        "api:score-preview",
        ["POST"],
        gettext_lazy("Tính thử điểm và mức xếp loại của một kỳ đánh giá (không cần đăng nhập)."),
    ),
    ("agencies", "api:agency-list", ["GET"], gettext_lazy("Cây cơ quan, đơn vị.")),
    (
        "job-positions",
        "api:job-position-list",
        ["GET"],
        gettext_lazy("Vị trí việc làm, với bản mô tả công việc đang áp dụng."),
    ),
    (
        "job-descriptions",
        "api:job-description-list",
        ["GET"],
        gettext_lazy("Các phiên bản bản mô tả công việc đã phê duyệt."),
    ),
    (
        "competencies",
        "api:competency-list",
        ["GET"],
        gettext_lazy("Khung năng lực: năng lực và các cấp độ."),
    ),
    (
        "work-plans",
        "api:work-plan-list",
        ["GET"],
        gettext_lazy(
            "Kế hoạch công tác tháng, quý, năm của cơ quan, đơn vị, với kết quả thực hiện từng mục."
        ),
    ),
    (
        "catalogs",
        "api:catalog-list",
        ["GET"],
        gettext_lazy("Danh mục sản phẩm/công việc của từng cơ quan và các phiên bản."),
    ),
    (
        "catalog-versions",
        "api:catalog-version-list",
        ["GET"],
        gettext_lazy("Phiên bản danh mục đã phê duyệt (chi tiết kèm sản phẩm/công việc)."),
    ),
    (
        "catalog-items",
        "api:catalog-item-list",
        ["GET"],
        gettext_lazy("Sản phẩm/công việc của các phiên bản danh mục."),
    ),
    (
        "frameworks",
        "api:framework-list",
        ["GET"],
        gettext_lazy("Khung tiêu chí đánh giá đang áp dụng."),
    ),
    ("periods", "api:period-list", ["GET"], gettext_lazy("Kỳ theo dõi, đánh giá.")),
    (
        "civil-servants",
        "api:civil-servant-list",
        ["GET"],
        gettext_lazy("Công chức trong phạm vi được xem."),
    ),
    (
        "assignment-lines",
        "api:assignment-line-list",
        ["GET"],
        gettext_lazy("Dòng giao việc và kết quả thực hiện."),
    ),
    (
        "period-scores",
        "api:period-score-list",
        ["GET"],
        gettext_lazy("Kết quả chấm điểm theo kỳ, kèm diễn giải."),
    ),
    (
        "annual-scores",
        "api:annual-score-list",
        ["GET"],
        gettext_lazy("Kết quả theo dõi, đánh giá năm."),
    ),
    (
        "annual-ratings",
        "api:annual-rating-list",
        ["GET"],
        gettext_lazy("Kết quả xếp loại chất lượng năm đã quyết định."),
    ),
    (
        "quarterly-assessments",
        "api:quarterly-assessment-list",
        ["GET"],
        gettext_lazy("Kết quả đánh giá quý của sở, ngành, UBND xã, phường đã được xác nhận."),
    ),
    (
        "aggregates-agencies",
        "api:aggregates-agencies",
        ["GET"],
        gettext_lazy("Tổng hợp số người theo mức xếp loại và điểm bình quân theo cơ quan."),
    ),
    (
        "aggregates-province",
        "api:aggregates-province",
        ["GET"],
        gettext_lazy("Tổng hợp toàn tỉnh."),
    ),
    (
        "hr-history",
        "api:hr-history",
        ["GET"],
        gettext_lazy("Kết quả nhiều năm và cảnh báo theo quy định phục vụ công tác cán bộ."),
    ),
    (
        "half-year-scores",
        "api:half-year-scores",
        ["GET"],
        gettext_lazy("Kết quả đánh giá 6 tháng (6 tháng đầu năm, 6 tháng cuối năm)."),
    ),
    (
        "integration-lines",
        "api:integration-lines",
        ["POST"],
        gettext_lazy("Hệ thống tích hợp gửi một dòng giao việc và kết quả."),
    ),
    (
        "integration-lines-bulk",
        "api:integration-lines-bulk",
        ["POST"],
        gettext_lazy("Hệ thống tích hợp gửi tới 5.000 dòng giao việc và kết quả."),
    ),
    (
        "integration-leader-marks",
        "api:integration-leader-marks",
        ["POST"],
        gettext_lazy("Hệ thống tích hợp gửi mức tiêu chí đ, e của công chức lãnh đạo, quản lý."),
    ),
    (
        "integration-me",
        "api:integration-me",
        ["GET"],
        gettext_lazy("Hệ thống tích hợp đang gọi và phạm vi được cấp."),
    ),
    (
        "national-export",
        "api:national-export",
        ["GET"],
        gettext_lazy("Lô dữ liệu gửi Cơ sở dữ liệu quốc gia (JSON hoặc CSV)."),
    ),
    (
        "national-export-acknowledge",
        "api:national-export-acknowledge",
        ["POST"],
        gettext_lazy("Xác nhận Cơ sở dữ liệu quốc gia đã nhận các bản ghi."),
    ),
    (
        "schema",
        "api:schema",
        ["GET"],
        gettext_lazy("Tài liệu OpenAPI 3 của API (YAML; thêm ?format=json để nhận JSON)."),
    ),
    ("docs", "api:docs", ["GET"], gettext_lazy("Tài liệu API tương tác (Swagger UI).")),
    ("redoc", "api:redoc", ["GET"], gettext_lazy("Tài liệu API dạng đọc (Redoc).")),
]


class ApiRootView(APIView):
    """GET /api/v1/ — what this API offers (nothing personal)."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="api_root",
        tags=["api"],
        summary=gettext_lazy("Danh sách các điểm cuối của API"),
        description=gettext_lazy(
            "Liệt kê các điểm cuối hiện có của API phiên bản 1 cùng tài liệu OpenAPI. "
            "Không cần đăng nhập."
        ),
        responses={
            200: OpenApiResponse(
                ApiRootSerializer, description=gettext_lazy("Danh sách các điểm cuối.")
            )
        },
    )
    def get(self, request):
        def url(name):
            return request.build_absolute_uri(reverse(name))

        endpoints = [
            {
                "name": name,
                "url": url(url_name),
                "methods": methods,
                "description": str(description),
            }
            for name, url_name, methods, description in ENDPOINTS
        ]
        return Response({"name": "KPI Công vụ API", "version": "v1", "endpoints": endpoints})


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other /api/ address: the API's JSON 404 (GET/HEAD without the final slash redirect)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    def handle(self, request, *args, **kwargs):
        if not request.path.endswith("/"):
            try:
                match = resolve(request.path + "/")
            except Resolver404:
                match = None
            if match is not None and getattr(match.func, "view_class", None) is not NotFoundView:
                if request.method in ("GET", "HEAD"):
                    query = request.META.get("QUERY_STRING", "")
                    return HttpResponsePermanentRedirect(
                        request.path + "/" + (f"?{query}" if query else "")
                    )
                raise exceptions.NotFound(
                    _(
                        "Không tìm thấy địa chỉ này. Có phải bạn muốn gọi %(path)s (có dấu / "
                        "ở cuối)?"
                    )
                    % {"path": request.path + "/"}
                )
        raise exceptions.NotFound()

    get = head = post = put = patch = delete = options = handle
