"""``inputs_hash`` of stored scores: sha256 of a canonical text of everything a score depends
on, so that unchanged inputs rewrite nothing. One module for both stored scores:

* :func:`period_inputs_hash` (``PeriodScore``) — the same idea as
  ``scoring.engine.inputs_fingerprint`` (fixed order, engine version included) but written for
  speed on flat rows: hashing 20,000 people must cost well under a second. Numbers are hashed
  as the database returns them as text (see ``scoring.services.loading``). It covers the
  framework revision, the posting (agency, role, job-position group), every line (id,
  immutable catalog item — hence its coefficient —, quantities, counters, exemptions), the
  marks, the leader marks and, for leaders, the ratings of the people criterion d counts and
  the lines of the people whose products join their a, b, c (Art. 15), and the items scored
  with a common-catalog coefficient (``catalog_pages.common_catalog``).
* :func:`annual_inputs_hash` (``AnnualScore``) — the rating framework's revision, the
  governing posting, the stored basis (every period with its status, months and weight), the
  disqualifications, the final rating and the quota group's figures.
* :func:`annual_sources_hash` (``AnnualScore.sources_hash``) — what the year is computed FROM,
  taken before the engine runs, so that an unchanged year is recognised without computing it:
  the person's stored period rows of the year as read (id, period, scored, total as the
  database's text, framework revision and framework), the postings of the year, the one
  governing on 31 December, the disqualifications, the rating framework's revision, and the
  name of the quota group. The group's sources (its key, whether its agency is recognised for
  outstanding achievements, and every member's own digest, in order:
  :func:`annual_group_digest`) are kept once per group and year (``AnnualQuotaGroup``). Its
  text is free to change: a change recomputes each year once and rewrites only the rows whose
  figures differ (``inputs_hash`` decides that).
* :func:`lines_digest` — one person's raw lines and exemptions (what a leader's hash covers for
  each person of their charge).

All of them, and the engine's canonical-JSON fingerprint (organisation scores), end in
``scoring.engine.fingerprint.sha256_hex``. Their texts are frozen: a change would rewrite every
stored row once (``tests/scoring/test_fingerprints.py`` pins known values).
"""

from scoring.engine import ENGINE_VERSION
from scoring.engine.fingerprint import HashedPrefix, sha256_hex

#: Changes when the annual basis changes meaning, so stored annual rows are rewritten once.
ANNUAL_BASIS_VERSION = "time-worked-1"
#: Changes when what :func:`annual_sources_hash` covers changes (every year is recomputed once;
#: rows whose figures come out the same keep them and get the new fingerprint only).
ANNUAL_SOURCES_VERSION = "annual-sources-1"

_row_text = tuple.__repr__


def period_inputs_hash(
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
    common=(),
    feeds=(),
    contract: bool = False,
    lines_text: str | None = None,
    plan=None,
) -> str:
    """``lines_text``: the text of ``lines`` when the caller has it already
    (``LoadedLines.text``, which takes their digest from the same text)."""
    parts = [
        f"{ENGINE_VERSION}|{framework_revision_id}|{agency_id}|{posting_id}|{role}|"
        f"{position_group}",
        "".join(map(_row_text, lines)) if lines_text is None else lines_text,
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
    # the digest of their raw lines and exemptions (``lines_digest``; absent for everyone
    # else, so their hash is unchanged).
    if unit_lines:
        parts.append("unit " + repr(list(unit_lines)))
    # Items of these lines (own and charge) scored with a common-catalog coefficient: (item
    # id, coefficient, adoption). Only when there are any, so other stored hashes stay valid;
    # an adoption coming into force, or superseded, changes it and the score is recomputed.
    if common:
        parts.append("common " + repr(list(common)))
    # The explanation lines of fed marks that name their sources (codes, the one-stop survey):
    # a changed split changes the line even when the mark stays. Only when there are any.
    if feeds:
        parts.append("feeds " + repr([sorted(step.items(), key=str) for step in feeds]))
    # A contract worker scored by the framework's own method (M7): a score stored before the
    # method was wired (civil-servant method) is recomputed once. Only then, so that every
    # other stored hash stays valid.
    if contract:
        parts.append("contract_worker own_method")
    # The unit's work-plan fulfilment, only for a leader whose framework takes d from it
    # (Đắk Lắk §III.3): a completed plan item changes the hash and the leader is recomputed.
    # Absent otherwise, so every other stored hash stays valid.
    if plan is not None:
        parts.append(f"plan {list(plan.plans)!r} {plan.done}/{plan.total}")
    return sha256_hex("\n".join(parts))


def lines_digest(raw, exemptions) -> str:
    """One person's raw line tuples and their exemptions."""
    return sha256_hex("".join(map(_row_text, raw)) + repr(exemptions))


def annual_inputs_hash(
    *,
    framework_revision_id: int | None,
    agency_id: int,
    role: str,
    position_group: str | None,
    basis: dict | None = None,
    disqualifiers: list[str],
    rating: str | None,
    needs_decision: bool,
    quota_figures: tuple | None,
    basis_text: str | None = None,
) -> str:
    """``quota_figures``: the group's (ratio, candidates, good before, allowed) — they are in
    the stored explanation, so when they move (another member's score, a recognition) the row
    is rewritten even if its rating stays. ``basis_text``: ``repr(basis)``, when the caller
    built it already (the annual step assembles it from each period line's text, made once
    per run)."""
    # repr() of the tuple of these parts, written out so that the basis's text can be given.
    parts = (
        repr(ENGINE_VERSION),
        repr(framework_revision_id),
        repr(agency_id),
        repr(role),
        repr(position_group),
        repr(ANNUAL_BASIS_VERSION),
        repr(basis) if basis_text is None else basis_text,
        repr(disqualifiers),
        repr(rating),
        repr(needs_decision),
        repr(quota_figures),
    )
    return sha256_hex(f"({', '.join(parts)})")


def annual_year_prefix(year: int, calendar) -> str:
    """What every person's sources of ``year`` share: the versions of the code that computes
    them and the year's periods (id, kind, number, first and last day)."""
    return repr(
        (ANNUAL_SOURCES_VERSION, ENGINE_VERSION, ANNUAL_BASIS_VERSION, year, sorted(calendar))
    )


def annual_person_digest(
    prefix: str | HashedPrefix,
    *,
    framework_revision_id: int | None,
    framework_id: int | None,
    governing_id: int,
    postings,
    periods: str,
    disqualifiers,
) -> str:
    """One person's own sources of the year (before the quota): ``postings`` the rows as read
    (tuples), ``periods`` the text of their stored period rows (one line each, in a fixed
    order), ``disqualifiers`` the kinds in id order. ``prefix``: :func:`annual_year_prefix`'s
    text, or that text hashed once for the run's people (the same digest)."""
    rest = f"{periods}\n" + repr(
        (framework_revision_id, framework_id, governing_id, postings, disqualifiers)
    )
    if isinstance(prefix, HashedPrefix):
        return prefix.digest(rest)
    return sha256_hex(prefix + rest)


def annual_group_digest(key: tuple, outstanding: bool, members) -> str:
    """A quota group's sources: its key, the recognition of its agency and ``members``
    (``(person id, own digest)`` in the order the quota takes them)."""
    return sha256_hex(repr((key, outstanding, members)))


def annual_sources_hash(person_digest: str, group: str | None) -> str:
    """``AnnualScore.sources_hash``: the person's own sources and the name of their quota
    group (``AnnualScore.quota_group``; ``None`` outside the quota). The group's own sources
    (:func:`annual_group_digest`) are kept once for the group (``AnnualQuotaGroup``), so a
    change to one member moves their row and the group's, not every member's."""
    return sha256_hex(f"{person_digest}|group:{group or '-'}")
