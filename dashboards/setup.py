"""Out-of-the-box public pages under the home page, editable by Sở Nội vụ. Idempotent."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import GroupPagePermission

from cms.models import HomePage
from dashboards.models import AgencyResultsPage, MethodPage, TransparencyIndexPage
from org.access import HOME_AFFAIRS_GROUP

# Page content is data (editors change it in the admin), written here in Vietnamese.
INDEX = {
    "title": "Công khai kết quả đánh giá, xếp loại",
    "slug": "cong-khai",
    "intro": "<p>Kết quả theo dõi, đánh giá, xếp loại chất lượng công chức theo Nghị định "
    "335/2025/NĐ-CP, tổng hợp theo cơ quan, của các kỳ đã được Sở Nội vụ công bố.</p>",
}
AGENCIES = {
    "title": "Kết quả theo cơ quan",
    "slug": "co-quan",
    "intro": "<p>Lịch sử điểm, cơ cấu xếp loại và sản phẩm/công việc đã hoàn thành của từng "
    "cơ quan.</p>",
}
METHOD = {
    "title": "Phương pháp và nguồn số liệu",
    "slug": "phuong-phap",
    "intro": "<p>Khung tiêu chí, danh mục sản phẩm/công việc đang áp dụng và cách tổng hợp số "
    "liệu trên trang công khai.</p>",
}
EDITOR_PERMISSIONS = ("change_page", "publish_page")


def _child(parent, model, spec):
    existing = model.objects.child_of(parent).first()
    if existing is not None:
        return existing
    page = model(**spec)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def ensure_public_pages() -> TransparencyIndexPage:
    index = TransparencyIndexPage.objects.first()
    if index is None:
        index = _child(HomePage.objects.first(), TransparencyIndexPage, INDEX)
    _child(index, AgencyResultsPage, AGENCIES)
    _child(index, MethodPage, METHOD)
    group, _created = Group.objects.get_or_create(name=HOME_AFFAIRS_GROUP)
    for codename in EDITOR_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=index,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    return index
