"""Text normalisation shared by every place that stores Vietnamese names.

Vietnamese text arrives in both Unicode forms: NFC (precomposed, what keyboards on Windows produce)
and NFD (decomposed, common from macOS and from copy-paste out of PDFs). They look identical but do
not compare equal, so every stored name is normalised to NFC, with runs of white space collapsed.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_text(value: str | None) -> str:
    """NFC-normalise, collapse internal white space and strip the ends."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def fold_for_search(value: str | None) -> str:
    """A diacritics-insensitive, lower-case form for matching ("Đặng" -> "dang")."""
    text = normalize_text(value).lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
