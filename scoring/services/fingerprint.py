"""``inputs_hash``: sha256 of a canonical text of everything a stored score depends on.

Same idea as ``scoring.engine.inputs_fingerprint`` (fixed order, engine version included) but
written for speed on flat rows: hashing 20,000 people must cost well under a second. Numbers
are hashed as the database returns them as text (see ``scoring.services.loading``). It covers
the framework revision, the posting (agency, role, job-position group), every line (id,
immutable catalog item — hence its coefficient —, quantities, counters, exemptions), the
marks, the leader marks and, for leaders, the ratings of the people criterion d counts and
the lines of the people whose products join their a, b, c (Art. 15).
"""

import hashlib

from scoring.engine import ENGINE_VERSION

_row_text = tuple.__repr__


def inputs_hash(
    *,
    framework_revision_id: int | None,
    agency_id: int,
    posting_id: int | None,
    role: str,
    position_group: str,
    lines,
    exemptions,
    marks: dict,
    leader_marks,
    subordinates: dict[int, str | None] | None,
    unappraised: tuple[str, ...] = (),
    unit_lines=(),
) -> str:
    parts = [
        f"{ENGINE_VERSION}|{framework_revision_id}|{agency_id}|{posting_id}|{role}|"
        f"{position_group}",
        "".join(map(_row_text, lines)),
        repr(exemptions),
        repr(sorted((c, sorted(m.items())) for c, m in marks.items())),
        repr(leader_marks),
    ]
    if subordinates is not None:
        parts.append(repr(sorted(subordinates.items())))
    if unappraised:
        # Only when some self-mark is unappraised, so that other stored hashes stay valid.
        parts.append("unappraised:" + ",".join(unappraised))
    # A leader's a, b, c from the lines of the people in their charge (Art. 15): per person,
    # the digest of their raw lines and exemptions (``LoadedLines.digest``; absent for
    # everyone else, so their hash is unchanged).
    if unit_lines:
        parts.append("unit " + repr(list(unit_lines)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
