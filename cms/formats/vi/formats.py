"""Vietnamese formats for every form and display, in both languages of the admin.

Django's ``vi`` locale defines no input formats, so forms fell back to the default list, which
reads ``%m/%d/%Y`` first: a date shown as 01/10/2020 (1 October) was saved as 10 January and
15/12/2026 was refused. Dates are read and written day first; the decimal separator is the
comma and no thousands separator is ever read from input (``USE_THOUSAND_SEPARATOR`` stays
False), so ``4,5`` and ``4.5`` are both 4.5 and ``1.234,5`` is refused rather than guessed.
ISO dates stay accepted for programs and pasted values.
"""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1  # Monday

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
