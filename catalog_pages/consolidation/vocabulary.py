"""Data for the duplicate finder: abbreviations, light stop-words and period words.

Plain data (no code, no Django) so that Sở Nội vụ can extend it by editing this file alone.
Keys are written as people write them; the matcher folds case and diacritics before looking them
up ("QĐ", "qđ" and "QD" are the same key), and tries keys joined by "&" or "-" ("KH&CN",
"KT-XH") before splitting them, so that "KH" inside "KH&CN" is not read as "kế hoạch".

No key spells a Vietnamese syllable (most are runs of consonants), so ignoring case and
diacritics cannot turn an ordinary word into an abbreviation; the tests check this.
"""

ABBREVIATIONS: dict[str, str] = {
    # --- Administrative documents and bodies (the demo products use these) -------------------
    "VB": "văn bản",
    "VBQPPL": "văn bản quy phạm pháp luật",
    "QPPL": "quy phạm pháp luật",
    "QĐ": "quyết định",
    "NQ": "nghị quyết",
    "NĐ": "nghị định",
    "KH": "kế hoạch",
    "BC": "báo cáo",
    "TTr": "tờ trình",
    "CV": "công văn",
    "TB": "thông báo",
    "GM": "giấy mời",
    "BB": "biên bản",
    "KL": "kết luận",
    "TTHC": "thủ tục hành chính",
    "CCHC": "cải cách hành chính",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "VPUBND": "Văn phòng Ủy ban nhân dân",
    "CBCCVC": "cán bộ, công chức, viên chức",
    "CBCC": "cán bộ, công chức",
    "CCVC": "công chức, viên chức",
    "VTVL": "vị trí việc làm",
    "NSNN": "ngân sách nhà nước",
    "NS": "ngân sách",
    "ĐTC": "đầu tư công",
    "XDCB": "xây dựng cơ bản",
    "KT-XH": "kinh tế - xã hội",
    "KTXH": "kinh tế - xã hội",
    "QP-AN": "quốc phòng - an ninh",
    "PCTN": "phòng, chống tham nhũng",
    "KNTC": "khiếu nại, tố cáo",
    "TCD": "tiếp công dân",
    "PBGDPL": "phổ biến, giáo dục pháp luật",
    "GCN": "giấy chứng nhận",
    "QSDĐ": "quyền sử dụng đất",
    "GPXD": "giấy phép xây dựng",
    "ĐTM": "đánh giá tác động môi trường",
    "ATTP": "an toàn thực phẩm",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "BTXH": "bảo trợ xã hội",
    "NTM": "nông thôn mới",
    "KH&CN": "khoa học và công nghệ",
    "KHCN": "khoa học và công nghệ",
    "CĐS": "chuyển đổi số",
    "CNTT": "công nghệ thông tin",
    "GD&ĐT": "giáo dục và đào tạo",
    "GDĐT": "giáo dục và đào tạo",
    "THPT": "trung học phổ thông",
    "THCS": "trung học cơ sở",
    "DVC": "dịch vụ công",
    "HCC": "hành chính công",
    "TDP": "tổ dân phố",
    # --- Added for the province catalogs -------------------------------------------------------
    "KH&ĐT": "kế hoạch và đầu tư",
    "MTTQ": "Mặt trận Tổ quốc",
    "BCĐ": "ban chỉ đạo",
    "HTX": "hợp tác xã",
    "ĐVSNCL": "đơn vị sự nghiệp công lập",
    "PCCC": "phòng cháy, chữa cháy",
    "GPMB": "giải phóng mặt bằng",
    "CCCD": "căn cước công dân",
    "TCCB": "tổ chức cán bộ",
    "TĐKT": "thi đua, khen thưởng",
    "VPĐKĐĐ": "văn phòng đăng ký đất đai",
}
"""Abbreviation → expansion. Longest keys win; keys are matched whole-token only."""

STOP_WORDS: frozenset[str] = frozenset(
    {"và", "của", "về", "các", "những", "hằng", "được", "đối", "với", "đã", "để", "tại"}
)
"""Function words that carry no product meaning ("Báo cáo định kỳ hằng tháng về ...").

Matched on the lower-cased word *with* its diacritics, before folding: "hằng" (every) is dropped
but "hàng" (goods) is kept, and a word typed without diacritics is simply kept. Every entry has a
diacritic for that reason (a bare "cho" would also swallow an unaccented "chợ").
"""

UNACCENTED_STOP_WORDS: frozenset[str] = frozenset({"va", "cua", "cac", "nhung"})
"""Stop-words recognised in names typed entirely without diacritics.

Only words whose unaccented form is not also a common catalog word: "ve" (vẽ), "hang" (hàng),
"duoc" (dược), "doi" (đổi), "de" (đề) and "tai" (tài) stay out.
"""

PERIOD_WORDS: frozenset[str] = frozenset({"năm", "quý", "tháng", "tuần", "ngày"})
"""Words naming the reporting period. "Báo cáo ... năm" and "Báo cáo ... 6 tháng đầu năm" are
different products even though one name contains the other, so names whose period words differ
are scored as if a word had been substituted. Only checked on names with diacritics ("quy",
"nam" and "thang" without them are also "quy chế", "Việt Nam", "thăng hạng")."""
