"""Org structure and personnel of one agency: its units and its civil servants with postings.

Two sheets. "Đơn vị": units (phòng, ban, chi cục) under the agency. "Công chức": one row per
posting (a person with a primary and a concurrent posting has two rows). The rows are checked
with the same rules as the admin (``org.postings``: no overlapping primary postings, one head per
unit at a time), then written by django-import-export resources matched on natural keys —
units by code, people by official id, postings by (person, unit, job position, start date) —
inside the people's write service (``org.people_writes.save_many``: the people locked, then
who may — a record changed only by the agency holding the person now, each posting added or
changed by the posting rule — asked on what the resources wrote; a refusal undoes it all and is
shown on the person's row, at the preview and again at the commit).

A personnel file adds and updates; it never deletes (history matters): to end a posting, fill
"Đến ngày". A person whose postings are all in other agencies cannot be changed from this
agency's file, and a unit code already used elsewhere in the province is refused.

The package: ``spec`` (the two sheets and their columns, which the template builder reads),
``rules`` (the file compared with what is stored: matching, blanks, renames, the people's own
checks), ``kind`` (the rules run in order, and the write through the people's write service,
``org.people_writes.save_many``).
"""

from importers.kinds.personnel.kind import PersonnelKind
from importers.kinds.personnel.spec import PEOPLE_SHEET, UNIT_SHEET

__all__ = ["PEOPLE_SHEET", "UNIT_SHEET", "PersonnelKind"]
