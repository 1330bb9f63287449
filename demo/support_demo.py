"""The demo province's support contact and a few frequently asked questions (review
2026-11-25, coverage L4: the demo's contact had no phone, e-mail or hours and the FAQ was
empty). Fictional numbers and addresses; a province fills in its own in Cài đặt → Liên hệ hỗ
trợ, câu hỏi thường gặp. Only empty fields are filled: what a trial changed is kept."""

from support.models import SupportSettings

CONTACT = {
    "phone": "0299 3 800 135 (giờ hành chính)",
    "email": "hotro.kpi@snv.thanhan.gov.vn",
    "hours": "Sáng 7:30–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu",
}

FAQ = (
    "<h3>Quên mật khẩu hoặc mã xác thực hai lớp?</h3>"
    "<p>Nhờ quản trị cơ quan (hoặc Sở Nội vụ với lãnh đạo, quản trị) cấp lại mã kích hoạt, rồi "
    "kích hoạt lại ở trang <b>Kích hoạt tài khoản</b>.</p>"
    "<h3>Kết quả tháng của tôi chưa đúng?</h3>"
    "<p>Mở <b>Kết quả của tôi</b>, bấm <b>Kiến nghị</b> ở dòng của kỳ trong thời hạn kiến nghị; "
    "người đánh giá trả lời, sau đó có thể đề nghị phúc tra.</p>"
    "<h3>Nhập Excel báo lỗi?</h3>"
    "<p>Bảng lỗi ghi rõ trang, dòng, cột và cách sửa; sửa tệp rồi bấm "
    "<b>Tải lên tệp đã sửa</b>.</p>"
)


def load_support_demo() -> SupportSettings:
    settings = SupportSettings.load()
    changed = []
    for name, value in CONTACT.items():
        if not getattr(settings, name):
            setattr(settings, name, value)
            changed.append(name)
    if not settings.faq:
        settings.faq = FAQ
        changed.append("faq")
    if changed:
        settings.save(update_fields=changed)
    return settings
