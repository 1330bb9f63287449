"""Vietnamese text pasted from a document in a legacy 8-bit encoding (TCVN3/ABC, VNI).

Before Unicode, Vietnamese documents used fonts such as ``.VnTime`` (TCVN3) or ``VNI-Times``
(VNI): the bytes are Latin-1 characters drawn as Vietnamese letters by the font. Pasted into
Excel they stay those Latin-1 characters: "Phạm Ánh Tuyết" arrives as "Ph¹m \u00b8nh TuyÕt" (TCVN3)
or "Phaïm AÙnh Tuyeát" (VNI). Stored as is, every page and form would show the garbage.

A person's name is flagged when it has

1. a character of the Latin-1 range that is not a Vietnamese letter (``¹ © ï ø ñ``, the
   cedilla U+00B8…), or
2. an accented capital letter after a lower-case letter in the same word (``TuyÕt``), or
3. a pair of vowels Vietnamese never writes, which VNI produces by typing the mark after the
   vowel: a circumflex or breve letter after ``a``/``e``/``o`` (``Leâ``, ``Vaên``; ``oă`` as in
   "hoặc" is Vietnamese), ``à``/``á``/``ã`` after ``a``/``e`` (``Nguyeãn``; ``oà`` as in
   "hoà" is Vietnamese), or ``ù``/``õ`` after a plain vowel (``Taùm``).

TCVN3 is a one-to-one table, so the likely Unicode name can be shown; VNI is only named.
"""

import re
import unicodedata

TCVN3 = "TCVN3"
VNI = "VNI"

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

_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_VOWELS = ("a", "a\u0302", "a\u0306", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u",
           "u\u031b", "y")  # fmt: skip
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", case(vowel) + tone)
    for vowel in _VOWELS
    for tone in _TONES
    for case in (str.lower, str.upper)
) | frozenset("đĐ")

_CAPITAL_IN_WORD = re.compile(r"[a-zđ]([^\W\d_a-zA-Z])", re.UNICODE)
_VNI_MARK_AFTER_VOWEL = re.compile(r"[aeoAEO][âấầẩẫậÂẤẦẨẪẬêếềểễệÊẾỀỂỄỆ]|[aeAE][ăắằẳẵặĂẮẰẲẴẶàáãÀÁÃ]")
_VNI_TONE_AFTER_VOWEL = re.compile(r"[aeiouyAEIOUY][ùÙõÕ]")


def _strange(char: str) -> bool:
    """A Latin-1 character that is not a Vietnamese letter (¹ © ï ø, the cedilla U+00B8…)."""
    return "\u00a1" <= char <= "\u00ff" and char not in VIETNAMESE_LETTERS


def _looks_legacy(text: str) -> bool:
    if text.isascii():
        return False
    if any(_strange(char) for char in text):
        return True
    for match in _CAPITAL_IN_WORD.finditer(text):
        if match.group(1).isupper():
            return True
    return bool(_VNI_MARK_AFTER_VOWEL.search(text) or _VNI_TONE_AFTER_VOWEL.search(text))


def decode_tcvn3(text: str) -> str:
    """The Unicode text a TCVN3 string stands for, each word capitalised like a name."""
    decoded = text.translate(_TCVN3_DECODE)
    words = unicodedata.normalize("NFC", decoded).split()
    return " ".join(word[:1].upper() + word[1:] for word in words)


def legacy_encoding(text: str) -> tuple[str, str] | None:
    """``(encoding, likely Unicode text or "")`` when ``text`` looks like TCVN3 or VNI."""
    text = unicodedata.normalize("NFC", text or "")
    if not _looks_legacy(text):
        return None
    if any(_strange(char) and ord(char) in _TCVN3_TABLE for char in text):
        decoded = decode_tcvn3(text)
        if not _looks_legacy(decoded):
            return TCVN3, decoded
    return VNI, ""
