"""Normalising one cell value: the documented rules every template kind shares.

Text
    NFC (Vietnamese typed on macOS or pasted from PDF arrives decomposed, NFD), white space
    collapsed and stripped (trailing spaces, non-breaking spaces, tabs, line breaks inside a
    cell), invisible characters removed (zero-width space, BOM, soft hyphen). Codes are also
    upper-cased. A number in a text column is written without ``.0`` (calamine returns ``20.0``).
Numbers written as text
    spaces are thousands separators (``1 234``); with both ``.`` and ``,`` the last one is the
    decimal separator (``1.234,5`` = ``1,234.5`` = 1234.5); a separator used twice or more
    separates thousands (``12.345.678``); a single separator is a decimal separator (``2,5`` =
    ``2.5``, ``0,125``) unless exactly three digits follow it after a 1–3 digit head not starting
    with 0: ``1,125``, ``2.500`` read two ways (1,125 in Vietnamese, 1125 in English; 2,5 or
    2500) and are :class:`Ambiguous`, never guessed — the reader reports both readings.
Dates
    real Excel dates; text ``dd/mm/yyyy`` (also ``-`` or ``.`` separators, one-digit day or month,
    two-digit years as the spreadsheet programs read them: 00–29 → 2000–2029, 30–99 → 1930–1999)
    or ``yyyy-mm-dd``; a time part is dropped; a plain number in a date
    column is read as an Excel serial day (1954–2119).
Yes/no
    ``Có``/``Không``, ``x``/empty, ``1``/``0``, ``Yes``/``No``, TRUE/FALSE.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from org.text import fold_for_search, normalize_text

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES_IN_NUMBER = re.compile(r"[\s\u00a0\u202f']")
_NUMBER_CHARS = re.compile(r"^[+-]?[\d.,]+$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
SERIAL_MIN, SERIAL_MAX = 20_000, 80_000  # 1954-10-03 … 2119-01-11
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T].*)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
TWO_DIGIT_PIVOT = 30
TRUE_WORDS = {"co", "c", "x", "yes", "y", "1", "true", "dung", "v"}
FALSE_WORDS = {"khong", "k", "no", "n", "0", "false", "sai"}


def names_missing_day(text: str) -> bool:
    """Whether ``text`` is written as a date (dd/mm/yyyy or yyyy-mm-dd) whose day does not
    exist, e.g. "31/11/2026" or "29/02/2027"."""
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _YMD.match(text)
        if not match:
            return False
        year, month, day = (int(part) for part in match.groups())
    if year < 100:
        year += 2000
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    try:
        datetime.date(year, month, day)
    except ValueError:
        return True
    return False


def clean_text(value) -> str:
    """Any cell value as normalised text ("" when empty)."""
    if type(value) is str:  # most cells: tested first
        return _clean_str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return _clean_str(str(value))


def _already_clean(text: str) -> bool:
    """Text that normalising leaves as it is: ASCII, printable, no space at either end or two
    together (the common case of a template's cells)."""
    return text.isascii() and text.isprintable() and "  " not in text and text == text.strip()


def _clean_str(text: str) -> str:
    if _already_clean(text):
        return text  # the common case: nothing to normalise
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(INVISIBLE)
    return normalize_text(text)


def phone_from_number(value: float) -> str:
    """A phone number Excel stored as a number: digits, with the leading 0 it dropped.

    Vietnamese numbers dialled inside the country start with 0 (mobile 0912 345 678, landline
    0236 3822 xxx): 9 or 10 digits without one lost it. ``84…`` is the country code, kept.
    """
    digits = str(int(value)) if float(value).is_integer() else clean_text(value)
    if digits.isdigit() and len(digits) in (9, 10) and not digits.startswith("84"):
        return "0" + digits
    return digits


#: A leading apostrophe is how a spreadsheet is told "this is text" (``'0912345680``, ``'001``):
#: pasted from a CSV or typed by hand it stays in the cell, but it is never part of a code or a
#: phone number (review 2026-11-25, importers L2).
TEXT_PREFIXES = "'\u2018\u2019`"


def without_text_prefix(text: str) -> str:
    """``text`` without the spreadsheet's leading text apostrophe (codes, phone numbers)."""
    if text[:1] in TEXT_PREFIXES and len(text) > 1:
        return text[1:].strip()
    return text


def clean_code(value) -> str:
    if type(value) is str and _already_clean(value) and value[:1] not in TEXT_PREFIXES:
        return value.upper()  # the common case (a template's codes), in one call
    return without_text_prefix(clean_text(value)).upper()


def plain_codes(values) -> list[str] | None:
    """``[clean_code(value) for value in values]`` when every value is a plain code already
    clean — text, ASCII, printable, without a space at either end or two together, without a
    text apostrophe — tested and upper-cased once over all the values joined, at C speed (a
    file's line codes are all distinct). ``None`` when one is not (each is then cleaned by
    :func:`clean_code`)."""
    if not len(values) or not all(type(value) is str for value in values):
        return None
    # Joined by single spaces, the values are each already clean exactly when the whole is (an
    # empty value or a space at a value's end makes two spaces together, or one at an end);
    # no value empty (a lone "" joins to "") and no text apostrophe anywhere.
    joined = " ".join(values)
    if (
        not joined
        or not _already_clean(joined)
        or any(prefix in joined for prefix in TEXT_PREFIXES)
    ):
        return None
    # No value holds a line break (all printable): one split gives them back, upper-cased.
    return "\n".join(values).upper().split("\n")


def odd_characters(code: str) -> str:
    """For a code that was not found: its characters that are not plain letters, digits,
    "-", "_", "." or "/", named so that a look-alike (an en dash "–" for "-") can be seen —
    "" when there are none."""
    odd = []
    for character in dict.fromkeys(code):
        if character.isascii() and (character.isalnum() or character in "-_./ "):
            continue
        if (
            character.isalpha()
            and not character.isascii()
            and unicodedata.category(character) == "Lu"
        ):
            continue  # a Vietnamese capital letter is a letter
        odd.append(f"“{character}” (U+{ord(character):04X})")
    if not odd:
        return ""
    return _(
        " Mã có ký tự lạ: %(chars)s — có thể do gõ hoặc dán nhầm (ví dụ “–” thay cho “-”)."
    ) % {"chars": ", ".join(odd)}


def _grouped(text: str, separator: str) -> bool:
    parts = text.split(separator)
    return (
        len(parts) > 1
        and parts[0].isdigit()
        and 1 <= len(parts[0]) <= 3
        and parts[0][0] != "0"
        and all(len(part) == 3 and part.isdigit() for part in parts[1:])
    )


@dataclass(frozen=True)
class Ambiguous:
    """A number written as text that reads two ways (``1,125``: 1.125 or 1125)."""

    text: str
    separator: str
    decimal: float  # the separator read as the decimal mark
    grouped: float  # the separator read as a thousands separator


def parse_number_text(text: str) -> float | Ambiguous | None:
    """Text → float following the rules in the module docstring; None when not a number."""
    text = _SPACES_IN_NUMBER.sub("", text)
    if not text or not _NUMBER_CHARS.match(text):
        return None
    sign = ""
    if text[0] in "+-":
        sign, text = text[0], text[1:]
    if not text or (not text[0].isdigit() and text[0] not in ".,"):
        return None
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        integer, _, fraction = text.rpartition(decimal)
        if not fraction.isdigit() or not (_grouped(integer, thousands) or integer.isdigit()):
            return None
        text = integer.replace(thousands, "") + "." + fraction
    elif has_dot or has_comma:
        separator = "." if has_dot else ","
        if _grouped(text, separator):
            if text.count(separator) == 1:
                return Ambiguous(
                    text=sign + text,
                    separator=separator,
                    decimal=float(sign + text.replace(separator, ".")),
                    grouped=float(sign + text.replace(separator, "")),
                )
            text = text.replace(separator, "")
        elif text.count(separator) == 1:
            text = text.replace(separator, ".")
        else:
            return None
    try:
        return float(sign + text)
    except ValueError:
        return None


def parse_number(value) -> float | Ambiguous | None:
    """A cell as a number (None when empty or not a number; see ``is_empty``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return parse_number_text(clean_text(value))
    return None


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_date_text(text: str) -> datetime.date | None:
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        if year < 100:
            # Excel's and LibreOffice's pivot: "15/03/85" is 1985, "01/09/25" is 2025.
            year += 2000 if year < TWO_DIGIT_PIVOT else 1900
        return _date(year, month, day)
    match = _YMD.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return _date(year, month, day)
    return None


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if SERIAL_MIN <= value <= SERIAL_MAX:
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        return None
    if isinstance(value, str):
        return parse_date_text(clean_text(value))
    return None


def parse_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return True if value == 1 else False if value == 0 else None
    word = fold_for_search(clean_text(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def is_empty(value) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, float):
        return value != value
    if isinstance(value, str):
        return not clean_text(value)
    return False
