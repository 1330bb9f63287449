from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts import second_factor
from accounts.services import operator_code
from demo.common import DEMO_PASSWORD
from demo.loader import load_demo
from demo.org_scoring_demo import YEAR as ORG_YEAR


class Command(BaseCommand):
    help = _("Nạp tỉnh mẫu Thanh An (có thể chạy lại nhiều lần).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=_(
                "Nạp cả khi cấu hình không phải môi trường phát triển (chỉ cho máy thử nghiệm, "
                "không bao giờ cho dữ liệu thật)."
            ),
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.KPI_DEMO_ALLOWED and not allow_production:
            raise CommandError(
                _(
                    "Không nạp tỉnh mẫu vào cơ sở dữ liệu này: tỉnh mẫu tạo các tài khoản (kể cả "
                    "tài khoản Sở Nội vụ) với mật khẩu công khai “%(pw)s”. Chỉ dùng cho máy phát "
                    "triển, thử nghiệm; nếu chắc chắn, chạy lại với --allow-production."
                )
                % {"pw": DEMO_PASSWORD}
            )
        # The change history of score inputs says how these rows came: the loader says it
        # (audit.history), however it is called.
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
        self._enrolment_codes(summary.users)
        if summary.hr_history:
            self.stdout.write(
                _("Kết quả nhiều năm có cảnh báo (Xếp loại chất lượng → Kết quả nhiều năm):")
            )
            for name, text in summary.hr_history:
                self.stdout.write(f"  {name}: {text}")

    def _enrolment_codes(self, users):
        """The demo's sign-ins that must present a second factor enrol their first authenticator
        with an activation code, never with the (published) password alone
        (``accounts.enrolment``): a fresh code each, printed here, for /tai-khoan/kich-hoat/."""
        from django_otp import user_has_device

        from django.contrib.auth import get_user_model

        User = get_user_model()
        lines = []
        for username, _role in users:
            user = User.objects.filter(username=username).first()
            if user and second_factor.required(user) and not user_has_device(user):
                lines.append(f"  {username:<22} {operator_code(user)}")
        if lines:
            self.stdout.write(
                _(
                    "Mã kích hoạt để thiết lập xác thực hai lớp lần đầu (mở /tai-khoan/kich-hoat/, "
                    "đặt mật khẩu, đăng nhập rồi thiết lập trên cùng trình duyệt):"
                )
            )
            for line in lines:
                self.stdout.write(line)
