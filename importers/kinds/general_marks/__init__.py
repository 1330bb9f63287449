"""General-criteria marks (Form 01 section I): one row per person and sub-criterion.

The sub-criteria and their maxima come from the criteria framework that applies to each
person's unit in the period (its LIVE revision, via ``scoring.services.frameworks``), for every
component scored by marks (``criteria_marks``; "general" in the Decree 335 default). A row with
neither mark is not a data row. Re-uploading replaces the submission: marks of the agency's
people in the period that are not in the file are deleted, the others are upserted on
(person, period, component, criterion). When the evaluator's mark is given or changed, the
uploading user is recorded as the evaluator.

A person has one set of marks per period, and the agency that rates them owns it: the agency
of their governing posting for the period (``scoring.services.postings.pick_governing``; "when
a civil servant transfers, the new agency does the rating"). Someone who moved from Sở Tư pháp
to Sở Y tế on 16/03 is rated for March by Sở Y tế: Sở Tư pháp's file can neither change nor
delete those marks (rows equal to the stored marks are skipped with a warning, different ones
are refused), and the template lists only the people the agency rates.

The package: ``spec`` (the sheet and its columns, which the template builder reads),
``owners`` (who is rated here, by which framework's criteria), ``kind`` (the rules, the
difference with what is stored, the write).
"""

from importers.kinds.general_marks.kind import GeneralMarksKind

__all__ = ["GeneralMarksKind"]
