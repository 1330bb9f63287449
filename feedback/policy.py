"""Satisfaction codes: a code belongs to the civil servant who handled the product and to the
agency that returned it (reads through the row-scope registry).
The public page reads a code by the code itself only (no sign-in, no listing)."""

from org.access import RowScope

ROW_SCOPES = {
    "feedback.satisfactioncode": RowScope(person="person", agency="agency"),
    # The one-stop survey's tallies: the person they count for, the agency that imported them.
    "feedback.surveytally": RowScope(person="person", agency="agency"),
}
