"""The rating-case state machine as plain modules.

* ``actors``      — who holds which role on a case (from the evaluation-authority rules);
* ``guards``      — rule checks that can refuse a move, each returning a Vietnamese reason;
* ``transitions`` — the table of allowed moves: action, from-states, to-state, roles, guards;
* ``machine``     — ``available_actions`` and ``perform`` (the only way a case changes state).
"""
