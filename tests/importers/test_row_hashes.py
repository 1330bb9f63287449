"""The re-import's SQLite fingerprint hashes each column once per distinct value
(``_text_row_hashes``): it must give exactly the digest of ``frame.astype(str)`` it replaced,
so that a preview taken before the change still matches its confirmation."""

import datetime
from decimal import Decimal

import numpy as np
import pandas as pd

from importers.kinds.results.diff import _text_row_hashes


def test_same_hashes_as_the_text_of_every_cell():
    rows = 500
    frame = pd.DataFrame(
        {
            "id": np.arange(rows, dtype=np.int64),
            "signed": (np.arange(rows, dtype=np.int32) % 7) - 3,
            "unsigned": np.arange(rows, dtype=np.uint16) % 5,
            "nullable": pd.array([None if n % 6 == 0 else n % 4 for n in range(rows)], "Int64"),
            "external_id": [f"xl:1:2:#L{n:06d}" for n in range(rows)],
            "quantity": [Decimal("1.50") if n % 3 else Decimal("1.5") for n in range(rows)],
            "deadline": [
                datetime.date(2026, 3, 1 + n % 28) if n % 4 else None for n in range(rows)
            ],
            "per_product": [[] if n % 5 else [1, n % 3] for n in range(rows)],
            "note": [None if n % 11 == 0 else f"ghi chú {n % 7}" for n in range(rows)],
            "float": [float(n % 3) if n % 4 else np.nan for n in range(rows)],
            "count": pd.Series([n % 9 for n in range(rows)], dtype=object),
            "mixed": [1 if n % 2 else True for n in range(rows)],
            "tuples": [(1,) if n % 2 else (2, 3) for n in range(rows)],
            "stamp": [
                datetime.datetime(2026, 3, 1) if n % 2 else datetime.date(2026, 3, 1)
                for n in range(rows)
            ],
        }
    )
    expected = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
    assert (_text_row_hashes(frame) == expected).all()
    empty = frame.iloc[:0]
    assert (
        _text_row_hashes(empty)
        == pd.util.hash_pandas_object(empty.astype(str), index=False).to_numpy()
    ).all()
