"""The per-person reference the batched authority readers are tested against."""

from org.authority import AuthorityError, resolve_authority


def subjects_by_own_authority(people, day) -> dict[tuple[int, bool], set[int]]:
    """(leader id, as rater) -> the ids of ``people`` whose own authority on ``day`` names that
    leader (``resolve_authority``, one person at a time)."""
    expected: dict[tuple[int, bool], set[int]] = {}
    for person in people:
        try:
            authority = resolve_authority(person, day)
        except AuthorityError:
            continue
        for as_rater, holder in ((False, authority.evaluator), (True, authority.rater)):
            if holder.person is not None:
                expected.setdefault((holder.person.pk, as_rater), set()).add(person.pk)
    return expected
