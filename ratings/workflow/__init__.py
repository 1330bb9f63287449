"""The rating-case state machine as plain modules.

* ``guards``      — rule checks that can refuse a move, each returning a Vietnamese reason;
* ``effects``     — what each move writes on the case besides the state;
* ``transitions`` — the table of allowed moves: action, from-states, to-state, roles, guards;
* ``machine``     — ``available_actions`` and ``perform`` (the only way a case changes state).

Who holds which role on a case, and whom each state waits on, is ``ratings.actors`` (below the
services, which ask it too); the screens that read cases through the table are
``ratings.case_reads`` (above this package).
"""
