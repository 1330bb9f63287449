"""Vietnamese text that arrives garbled: a legacy 8-bit encoding (TCVN3/ABC, VNI) or UTF-8 text
read as Windows-1252 (a CSV opened as "ANSI").

Before Unicode, Vietnamese documents used fonts such as ``.VnTime`` (TCVN3) or ``VNI-Times``
(VNI): the bytes are Latin-1 characters drawn as Vietnamese letters by the font. Pasted into
Excel they stay those Latin-1 characters: "Phạm Ánh Tuyết" arrives as "Ph¹m \u00b8nh TuyÕt" (TCVN3)
or "Phaïm AÙnh Tuyeát" (VNI); "Lê Thị My" saved as UTF-8 and opened as Windows-1252 arrives as
"LÃª Thá»\u2039 My".

Detection decodes the name with **each encoding's full table** (TCVN3: one code per letter; VNI:
a base letter followed by a mark code; UTF-8 → cp1252: Python's own codecs) and compares the
readings: a reading wins when all its words are well-formed Vietnamese syllables and it explains
the name better than the text as it stands — the text has a character no Vietnamese name holds,
or a word that is no syllable ("Haèng"), or fewer of its words are common name syllables ("Chu
Thò Hoàng" against "Chu Thị Hồng"). A correct Unicode name is never diagnosed: its reading as
typed is well-formed, and no decoding of it is both well-formed and more name-like.
"""

import re
import unicodedata

TCVN3 = "TCVN3"
VNI = "VNI"
UTF8_AS_ANSI = "UTF8_AS_ANSI"
UNKNOWN = "UNKNOWN"  # garbled, but no table gives a well-formed name

# TCVN 5712:1993 (VN3, "ABC"): code → Unicode letter. Capitals with tone marks do not exist in
# this code page (a separate capital font drew the lower-case codes), hence title-casing below.
_TCVN3_TABLE = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip
_TCVN3_DECODE = dict(_TCVN3_TABLE)

# VNI Windows: a letter is a base letter followed by a mark code. Lower-case mark codes (the
# upper-case font uses their capitals: Ù Ø Û Õ Ï Â Á À Å Ã Ä Ê É È Ú Ü Ë).
_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VNI_TONE = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
# After a, e, o: circumflex (alone or with a tone).
_VNI_CIRCUMFLEX = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
# After a: breve (alone or with a tone).
_VNI_BREVE = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
# Letters that are one code in VNI: ơ ư đ and the i/y letters with some tones.
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ò": "ị", "ó": "ĩ", "æ": "ỉ", "î": "ỵ"}
# (Bases for the two-code letters; "ô"/"ö" as bases are ơ/ư taking a tone: "ôù" = ớ.)
_VNI_BASES = "aeiouyô"  # plus "ö", handled with "ô"


def _compose(*parts: str) -> str:
    return unicodedata.normalize("NFC", "".join(parts))


def _vni_pairs() -> dict[str, str]:
    pairs = {}
    for base in "aeiouy":
        for code, tone in _VNI_TONE.items():
            pairs[base + code] = _compose(base, tone)
    for base in "aeo":
        for code, tone in _VNI_CIRCUMFLEX.items():
            pairs[base + code] = _compose(base, _CIRCUMFLEX, tone)
    for code, tone in _VNI_BREVE.items():
        pairs["a" + code] = _compose("a", _BREVE, tone)
    for base, letter in (("ô", "o"), ("ö", "u")):
        for code, tone in _VNI_TONE.items():
            pairs[base + code] = _compose(letter, _HORN, tone)
    upper = {}
    for code, letter in pairs.items():
        upper[code.upper()] = letter.upper()  # "AÙ" = Á
        upper[code[0].upper() + code[1]] = letter.upper()  # a capital base, lower-case mark
    return {**pairs, **upper}


_VNI_PAIRS = _vni_pairs()
_VNI_SINGLES = {**_VNI_SINGLE, **{k.upper(): v.upper() for k, v in _VNI_SINGLE.items()}}

# --- what a Vietnamese syllable looks like ------------------------------------------------------

_TONE_MARKS = frozenset((_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT))
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d",
           "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")  # fmt: skip
_CODAS = frozenset(("", "c", "ch", "m", "n", "ng", "nh", "p", "t"))
_VOWEL_LETTERS = "aăâeêioôơuưy"


def _listed(text: str) -> list[str]:
    return text.split()


_NUCLEI = frozenset(
    _listed(
        "a ă â e ê i o ô ơ u ư y "
        "ai ao au ay âu ây eo êu ia iu iê oa oă oe oi ôi ơi ua uâ uê ui uô uơ uy ưa ưi ưu ươ yê oo "
        "iêu yêu oai oay oeo uây uôi uya uyê uyu ươi ươu"
    )
)
# Nuclei ending in a glide take no final ("uy", "uyê" and "oo" do: "huỳnh", "quyết", "xoong").
_GLIDE_ENDED = frozenset(
    n for n in _NUCLEI if len(n) > 1 and n[-1] in "iyou" and n not in ("oo", "uy")
)
_NUCLEI_VOWEL = re.compile(f"^[{_VOWEL_LETTERS}]+")

# Family names: a name starts with one (a reading that does is the likelier one).
FAMILY_NAMES = frozenset(
    unicodedata.normalize("NFC", word).casefold()
    for word in _listed(
        """
    Nguyễn Trần Lê Phạm Phan Hoàng Huỳnh Đặng Vũ Võ Bùi Đỗ Hồ Ngô Dương Đinh Trương Đoàn Lý
    Lương Mai Trịnh Hà Cao Lâm Tạ Tô Lưu Châu Phùng Thái Quách Vương Kiều Triệu Hứa Lò Nông
    Chu Tống Tăng Lại Khúc Mạc Đào Đồng Doãn Hầu Khổng Kha Lục Ông Quan Thân Tôn Từ Ưng Văn
    Vi Âu Bạch Cù Diệp Giang Hàn Lã La Lạc Mã Nghiêm Ninh Phó Phương Quản Sầm Thạch Tiêu
    """
    )
)

# Syllables common in Vietnamese personal names (family, middle and given names): the tie-break
# between two well-formed readings ("Chu Thò Hoàng" as typed, "Chu Thị Hồng" from VNI).
NAME_SYLLABLES = frozenset(
    unicodedata.normalize("NFC", word).casefold()
    for word in _listed(
        """
    Nguyễn Trần Lê Phạm Phan Hoàng Huỳnh Đặng Vũ Võ Bùi Đỗ Hồ Ngô Dương Đinh Trương Đoàn Lý
    Lương Mai Trịnh Hà Cao Lâm Tạ Tô Lưu Châu Phùng Thái Quách Vương Kiều Triệu Hứa Lò Nông
    Chu Tống Tăng Lại Khúc Mạc Đào Đồng Doãn Hầu Khổng Kha Lục Ông Quan Thân Tôn Từ Ưng Văn
    Vi Yên Âu Bạch Cù Diệp Giang Hàn Lã La Lạc Mã Nghiêm Ninh Phó Phương Quản Sầm Thạch Tiêu
    Thị Văn Hữu Đức Minh Quang Thanh Xuân Công Đình Ngọc Quốc Anh Tuấn Trung Thế Hải Bá Duy
    Mạnh Tiến Trọng Viết Khắc Hồng Gia Nhật Thành Tấn Phú Kim Chí Huy Bảo Đăng Thiện Hoài
    Việt Phước Trường Sỹ Sĩ Như Vĩnh Đại Nam Thu Phương Lan Bích Thúy Thuý Thùy Thuỳ Diệu
    Khánh Mỹ Tường Quỳnh Ánh Thảo Tuyết Cẩm Diễm Vân Huyền Thiên Tú Hạnh Yến Thục Uyên Lệ
    Nguyệt Trúc An Bình Cường Chiến Dũng Đạt Định Hào Hậu Hiển Hiếu Hùng Hưng Khang Khoa Kiên
    Long Lộc Lợi Luân Nghĩa Nhân Phong Phúc Quân Sơn Tài Tâm Thắng Thịnh Toàn Trí Tùng Vinh
    Chi Dung Diệp Duyên Hằng Hiền Hoa Hòa Hoà Huệ Hương Liên Linh Loan Ly My Nga Ngân Nhung
    Oanh Quyên Thơ Thủy Thuỷ Trang Trâm Nhàn Thư Vy Hạ Hân Hoan Hợp Hoà Hiệp Kỳ Lực Lành Mến
    Nhi Nhung Phát Quý Quí Sang Sáng Tín Tiên Thông Thuận Thương Trinh Tuệ Vui Xuyến Ý Hảo
    Lợi Lụa Đông Đào Điệp Hạnh Hường Khôi Khiêm Lam Lễ Luyến Mai Mây Nguyên Nhạn Phượng
    Quế Sinh Sa Tâm Thoa Thắm Thúy Thư Tuyền Vĩ Vượng Xoan Yên Bắc Cảnh Chinh Chung Cúc Dịu
    Đan Giao Hiên Hồ Huân Khải Khương Lịch Loan Lưu Mẫn Na Ngà Ngàn Nhàn Nhật Nho Phi Quyết
    Sương Tạo Thái Thạnh Thiện Thuần Toản Tới Trà Triều Trực Tú Tư Tưởng Uy Vượng Xuyên
    """
    )
)


def _toneless(word: str) -> tuple[str, int] | None:
    """(lower-case letters without tone marks, number of tone marks) — None when a character is
    no Vietnamese letter."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    tones = sum(ch in _TONE_MARKS for ch in decomposed)
    bare = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    letters = unicodedata.normalize("NFC", bare)
    if not letters or any(ch not in "abcdđeghiklmnopqrstuvxyăâêôơư" for ch in letters):
        return None
    return letters, tones


def vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` is a well-formed Vietnamese syllable (onset, vowel nucleus, final)."""
    found = _toneless(word)
    if found is None:
        return False
    letters, tones = found
    if tones > 1:
        return False
    for onset in (*_ONSETS, ""):
        if not letters.startswith(onset):
            continue
        rest = letters[len(onset) :]
        if onset in ("gi", "qu") and not _NUCLEI_VOWEL.match(rest):
            continue  # "gìn" is g + in
        match = _NUCLEI_VOWEL.match(rest)
        if match is None:
            continue
        nucleus, coda = match.group(0), rest[match.end() :]
        if nucleus in _NUCLEI and coda in _CODAS and not (coda and nucleus in _GLIDE_ENDED):
            return True
    return False


def _words(text: str) -> list[str]:
    return text.split()


def _well_formed(text: str) -> bool:
    words = _words(text)
    return bool(words) and all(vietnamese_syllable(word) for word in words)


def _name_score(text: str) -> int:
    words = [word.casefold() for word in _words(text)]
    family = 1 if len(words) > 1 and words[0] in FAMILY_NAMES else 0
    return family + sum(word in NAME_SYLLABLES for word in words)


# --- the decoders: None when the text cannot have come from that encoding ------------------------


def _latin1(text: str) -> bool:
    return all(ord(ch) < 0x100 or ch in _CP1252_EXTRA for ch in text)


_CP1252_EXTRA = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", "ignore"))


def _capitalised(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def decode_tcvn3(text: str) -> str:
    """The Unicode text a TCVN3 string stands for, each word capitalised like a name."""
    return _capitalised(unicodedata.normalize("NFC", text.translate(_TCVN3_DECODE)))


def _from_tcvn3(text: str) -> str | None:
    if not _latin1(text) or not any(ord(ch) in _TCVN3_TABLE for ch in text):
        return None
    return decode_tcvn3(text)


def decode_vni(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in _VNI_PAIRS:
            out.append(_VNI_PAIRS[pair])
            i += 2
            continue
        out.append(_VNI_SINGLES.get(text[i], text[i]))
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def _from_vni(text: str) -> str | None:
    if not _latin1(text):
        return None
    decoded = decode_vni(text)
    return decoded if decoded != text else None


def _from_utf8_as_ansi(text: str) -> str | None:
    """UTF-8 bytes that were shown as Windows-1252 characters, read back as UTF-8."""
    raw = bytearray()
    for ch in text:
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) < 0x100:  # cp1252's five undefined bytes come through as themselves
                raw.append(ord(ch))
            else:
                return None
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    decoded = unicodedata.normalize("NFC", decoded)
    return decoded if decoded != text else None


_DECODERS = ((UTF8_AS_ANSI, _from_utf8_as_ansi), (TCVN3, _from_tcvn3), (VNI, _from_vni))

# --- the old signs, kept as the last resort when no table gives a well-formed name --------------

_TONES = ("", _GRAVE, _ACUTE, _TILDE, _HOOK, _DOT)
_VOWELS = ("a", "a\u0302", "a\u0306", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u",
           "u\u031b", "y")  # fmt: skip
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", case(vowel) + tone)
    for vowel in _VOWELS
    for tone in _TONES
    for case in (str.lower, str.upper)
) | frozenset("đĐ")

_CAPITAL_IN_WORD = re.compile(r"[a-zđ]([^\W\d_a-zA-Z])", re.UNICODE)


def _strange(char: str) -> bool:
    """A Latin-1 or cp1252 character that is not a Vietnamese letter (¹ © ï ø, U+2039, U+00B8…)."""
    return ("\u00a1" <= char <= "\u00ff" or char in _CP1252_EXTRA) and (
        char not in VIETNAMESE_LETTERS
    )


def _looks_garbled(text: str) -> bool:
    if any(_strange(char) for char in text):
        return True
    return any(match.group(1).isupper() for match in _CAPITAL_IN_WORD.finditer(text))


def legacy_encoding(text: str) -> tuple[str, str] | None:
    """``(encoding, likely Unicode text or "")`` when ``text`` is garbled Vietnamese, else None.

    ``encoding`` is TCVN3, VNI, UTF8_AS_ANSI, or UNKNOWN (garbled, no table explains it)."""
    text = unicodedata.normalize("NFC", text or "")
    if text.isascii():
        return None
    as_typed_ok = _well_formed(text) and not _looks_garbled(text)
    as_typed_score = _name_score(text)
    words = _words(text)
    if as_typed_ok and as_typed_score == len(words) + (len(words) > 1):
        return None  # every word a well-formed, common name syllable: the fast, usual case
    best = None
    for encoding, decoder in _DECODERS:
        decoded = decoder(text)
        if decoded is None or not _well_formed(decoded):
            continue
        score = _name_score(decoded)
        if best is None or score > best[2]:
            best = (encoding, decoded, score)
    if best is not None:
        encoding, decoded, score = best
        if not as_typed_ok or score > as_typed_score:
            return encoding, decoded
    if _looks_garbled(text):
        return UNKNOWN, ""
    return None
