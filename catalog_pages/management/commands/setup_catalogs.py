from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from catalog_pages.setup import setup_catalogs


class Command(BaseCommand):
    help = _(
        "Tạo trang danh mục toàn tỉnh, trang danh mục của từng cơ quan, quy trình thẩm định và "
        "phân quyền biên tập (có thể chạy lại nhiều lần)."
    )

    def handle(self, *args, **options):
        index = setup_catalogs()
        self.stdout.write(
            _("Đã thiết lập %(n)d trang danh mục.") % {"n": index.get_children().count()}
        )
