"""Vietnamese personal names for demo civil servants.

A full name is ``family + middle (1-2 syllables) + given``, e.g. "Nguyễn Thị Thu Hà".
All strings are NFC; ``full_name`` is deterministic for a given ``random.Random`` state.

Shapes:

    FAMILY_NAMES = [(family_name, weight), ...]     # weights are relative frequencies
    MIDDLE_NAMES_MALE / MIDDLE_NAMES_FEMALE / GIVEN_NAMES_MALE / GIVEN_NAMES_FEMALE = [str, ...]
    full_name(rng) -> (full_name, "male" | "female")
"""

import random
import unicodedata

# Approximate shares (per mille) of Vietnamese family names; the long tail is compressed.
FAMILY_NAMES: list[tuple[str, int]] = [
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Phan", 45),
    ("Hoàng", 31),
    ("Đặng", 21),
    ("Huỳnh", 20),
    ("Vũ", 20),
    ("Bùi", 20),
    ("Võ", 19),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Đinh", 8),
    ("Trương", 7),
    ("Đoàn", 6),
    ("Lý", 5),
    ("Lương", 5),
    ("Mai", 5),
    ("Trịnh", 5),
    ("Hà", 5),
    ("Cao", 4),
    ("Lâm", 4),
    ("Tạ", 3),
    ("Tô", 3),
    ("Lưu", 3),
    ("Châu", 3),
    ("Phùng", 3),
    ("Thái", 2),
    ("Quách", 2),
    ("Vương", 2),
    ("Kiều", 2),
    ("Triệu", 2),
    ("Hứa", 1),
    ("Lò", 1),
    ("Nông", 1),
]

MIDDLE_NAMES_MALE: list[str] = [
    "Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Xuân", "Công", "Đình", "Ngọc",
    "Hoàng", "Quốc", "Anh", "Tuấn", "Trung", "Thế", "Hải", "Bá", "Duy", "Mạnh",
    "Tiến", "Trọng", "Viết", "Khắc", "Hồng", "Gia", "Nhật", "Thành", "Tấn", "Phú",
    "Kim", "Chí", "Huy", "Bảo", "Đăng", "Thiện", "Hoài", "Việt", "Phước", "Trường",
    "Sỹ", "Như", "Vĩnh", "Đại", "Nam",
]  # fmt: skip

MIDDLE_NAMES_FEMALE: list[str] = [
    "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng", "Kim", "Phương", "Mai", "Lan",
    "Bích", "Thúy", "Thùy", "Diệu", "Hoài", "Khánh", "Bảo", "Mỹ", "Tường", "Quỳnh",
    "Ánh", "Hải", "Hà", "Thảo", "Tuyết", "Xuân", "Như", "Cẩm", "Hoàng", "Diễm",
    "Kiều", "Vân", "Huyền", "Thiên", "Gia", "Tú", "Hạnh", "Yến", "Thục", "Uyên",
    "Lệ", "Nguyệt", "Trúc",
]  # fmt: skip

GIVEN_NAMES_MALE: list[str] = [
    "An", "Bảo", "Bình", "Cường", "Chiến", "Công", "Dũng", "Duy", "Dương", "Đạt",
    "Định", "Đức", "Giang", "Hải", "Hào", "Hậu", "Hiển", "Hiếu", "Hoàng", "Hùng",
    "Hưng", "Huy", "Khang", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Lợi",
    "Luân", "Minh", "Nam", "Nghĩa", "Nhân", "Phong", "Phúc", "Quân", "Quang", "Sơn",
    "Tài", "Tâm", "Thắng", "Thành", "Thịnh", "Toàn", "Trí", "Trung", "Tuấn", "Tùng",
    "Vinh", "Việt", "Vũ",
]  # fmt: skip

GIVEN_NAMES_FEMALE: list[str] = [
    "Anh", "Chi", "Dung", "Diệp", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền",
    "Hoa", "Hồng", "Huệ", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Ly",
    "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh",
    "Tâm", "Thảo", "Thơ", "Thủy", "Thúy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân",
    "Xuân", "Yến", "Nhàn", "Thư", "Vy", "Lệ",
]  # fmt: skip

_FAMILIES = [name for name, _ in FAMILY_NAMES]
_FAMILY_WEIGHTS = [weight for _, weight in FAMILY_NAMES]
_SECOND_FEMALE_MIDDLES = [m for m in MIDDLE_NAMES_FEMALE if m != "Thị"]


def full_name(rng: random.Random) -> tuple[str, str]:
    """Return ``(full name in NFC, "male" | "female")`` drawn from ``rng``.

    About 30% of men are "Văn"; about 40% of women are "Thị" and another 12% have
    "Thị" followed by a second middle name (four-syllable names such as
    "Nguyễn Thị Thu Hà"). Middle and given names never repeat each other or the
    family name ("Hoàng Hoàng ..." is avoided).
    """
    gender = "female" if rng.random() < 0.5 else "male"
    family = rng.choices(_FAMILIES, weights=_FAMILY_WEIGHTS, k=1)[0]
    if gender == "male":
        middle = ["Văn"] if rng.random() < 0.30 else [rng.choice(MIDDLE_NAMES_MALE)]
        given_pool = GIVEN_NAMES_MALE
    else:
        draw = rng.random()
        if draw < 0.40:
            middle = ["Thị"]
        elif draw < 0.52:
            middle = ["Thị", rng.choice(_SECOND_FEMALE_MIDDLES)]
        else:
            middle = [rng.choice(MIDDLE_NAMES_FEMALE)]
        given_pool = GIVEN_NAMES_FEMALE
    while middle[0] == family:
        middle[0] = rng.choice(MIDDLE_NAMES_MALE if gender == "male" else _SECOND_FEMALE_MIDDLES)
    given = rng.choice(given_pool)
    while given in middle or given == family:
        given = rng.choice(given_pool)
    return unicodedata.normalize("NFC", " ".join([family, *middle, given])), gender
