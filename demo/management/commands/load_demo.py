from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demo.loader import DEMO_PASSWORD, load_demo
from demo.org_scoring_demo import YEAR as ORG_YEAR


class Command(BaseCommand):
    help = _("Nạp tỉnh mẫu Thanh An (có thể chạy lại nhiều lần).")

    def handle(self, *args, **options):
        summary = load_demo()
        self.stdout.write(
            _(
                "Đã nạp tỉnh mẫu: %(a)d cơ quan, đơn vị; %(p)d vị trí việc làm; %(c)d công chức; "
                "%(s)d quá trình công tác; %(k)d danh mục đã công bố; %(n)d kỳ đánh giá, "
                "%(r)d kết quả chấm điểm mới; %(x)d hồ sơ xếp loại."
            )
            % {
                "a": summary.agencies,
                "p": summary.job_positions,
                "c": summary.civil_servants,
                "s": summary.postings,
                "k": summary.catalogs,
                "n": summary.periods,
                "r": summary.scores,
                "x": summary.rating_cases,
            }
        )
        self.stdout.write(
            _("Đánh giá tổ chức năm %(year)d: %(n)d cơ quan, đơn vị được chấm điểm.")
            % {"year": ORG_YEAR, "n": summary.organisation_scores}
        )
        self.stdout.write(_("Tài khoản mẫu (mật khẩu: %(pw)s):") % {"pw": DEMO_PASSWORD})
        for username, role in summary.users:
            self.stdout.write(f"  {username:<22} {role}")
