"""What the screens read about rating cases through the workflow, above it (``ratings.workflow``):

* ``case_page`` — one case's page: its figures, history, the moves the user may make;
* ``waiting``   — the cases waiting for one user's action and what blocks each.

They ask the workflow's table of moves; the workflow asks the services, never these.
"""
