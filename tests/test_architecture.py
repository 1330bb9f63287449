"""The kits are the only way in (arch.md F2, F5, F7): a new door around one fails here.

Each test reads the application's source (every module of every app, migrations left out) as
Python syntax trees — no import, no database — and lists the places that do by hand what a kit
does. Each allowlist is empty or says why the place is the kit's own half:

* a line's value fields (``scoring.models.assignment.LINE_VALUES``) are assigned only by the
  line write service (``scoring.services.lines``);
* an approval status (a state of a flow on ``cms.workflow``) is set only by the kit
  (``Flow.advance``);
* an openpyxl ``Workbook`` is created only by the workbook kit (``cms/xlsx.py``);
* a back-off or a retry loop lives only in the retry kit (``cms/retry.py``);
* a table of background jobs derives from the one job model (``cms.models.BackgroundJob``).
* a row waiting for its next attempt is a ``cms.models.Delivery`` or ``BackgroundJob``, and a
  row recording an attempt a ``cms.models.DeliveryAttempt`` (these two read the model registry).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache

from tests.test_layers import APPS, ROOT

#: The line's value fields whose names no other model shares; ``deadline``, ``completed_on``
#: and ``note`` count when the object assigned to is named as a line.
LINE_ONLY = {
    "assigned_quantity",
    "completed_quantity",
    "failed_reviews",
    "delays",
    "failed_by_product",
    "delays_by_product",
}
LINE_SHARED = {"deadline", "completed_on", "note"}


@cache
def _modules() -> tuple[tuple[str, ast.Module], ...]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            found.append((relative, ast.parse(path.read_text(encoding="utf-8"), relative)))
    return tuple(found)


def _walk() -> Iterator[tuple[str, ast.AST]]:
    for relative, tree in _modules():
        for node in ast.walk(tree):
            yield relative, node


def _where(relative: str, node: ast.AST) -> str:
    return f"{relative}:{getattr(node, 'lineno', '?')}: {ast.unparse(node)[:90]}"


def _assigned(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return [node.target]
    return []


def _outside(found: list[str], allowed: dict[str, str]) -> list[str]:
    return [place for place in found if place.split(":", 1)[0] not in allowed]


def test_the_allowlists_name_existing_modules():
    modules = {relative for relative, _tree in _modules()}
    for allowed in (LINE_WRITERS, STATUS_SETTERS, WORKBOOK_MAKERS, RETRY_LOOPS):
        assert set(allowed) <= modules, sorted(set(allowed) - modules)


# --- the line's value fields -----------------------------------------------------------------

LINE_WRITERS = {
    "scoring/services/lines.py": "the line write service itself",
    "scoring/services/deductions.py": (
        "the counters' write service (failed reviews and delays with their per-product lists, "
        "one UPDATE on the line locked by the line service's lock order)"
    ),
}


def _is_line(expr: ast.expr) -> bool:
    return "line" in ast.unparse(expr).lower()


def _line_writes() -> list[str]:
    found = []
    for relative, node in _walk():
        for target in _assigned(node):
            if isinstance(target, ast.Attribute) and (
                target.attr in LINE_ONLY or (target.attr in LINE_SHARED and _is_line(target.value))
            ):
                found.append(_where(relative, node))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            chain = ast.unparse(node.func.value)
            if node.func.attr in ("update", "bulk_update") and "AssignmentLine" in chain:
                names = {k.arg for k in node.keywords}
                if None in names or names & (LINE_ONLY | LINE_SHARED) or node.func.attr != "update":
                    found.append(_where(relative, node))
            if (
                isinstance(node.func, ast.Name)
                and node.func.id == "setattr"
                and node.args
                and _is_line(node.args[0])
            ):
                found.append(_where(relative, node))
    return found


def test_line_values_are_assigned_only_by_the_line_service():
    """A door writing a line's quantities, dates, counters or note writes them through
    ``scoring.services.lines`` (who may, lock order, open period, history, rescoring) — the
    worklog's acceptance through ``accept_completion`` (arch.md F2)."""
    assert _outside(_line_writes(), LINE_WRITERS) == []


def test_the_line_scan_finds_the_services_own_writes():
    """The scan is not blind: it finds the service's own assignments."""
    found = _line_writes()
    assert any(place.startswith("scoring/services/lines.py") for place in found)
    assert any(place.startswith("scoring/services/deductions.py") for place in found)


# --- approval statuses -----------------------------------------------------------------------

#: A status enum is an approval one when a flow of the kit names it, or when it has one of these
#: members (a new approval flow built by hand is caught too).
APPROVAL_MEMBERS = {"SUBMITTED", "APPROVED", "ACCEPTED", "RETURNED", "REJECTED"}

STATUS_SETTERS = {
    "scoring/services/proposals.py": (
        "a new proposal's first state, set when it is created (before any step of the flow)"
    ),
    "org/job_descriptions.py": (
        "approving a new job description supersedes the one in force: the approve step's "
        "effect on another row, in the step's transaction"
    ),
}


def _choices_members(node: ast.ClassDef) -> set[str]:
    return {
        target.id
        for statement in node.body
        if isinstance(statement, ast.Assign)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }


@cache
def _approval_enums() -> frozenset[str]:
    enums = set()
    in_flows = set()
    for _relative, node in _walk():
        if (
            isinstance(node, ast.ClassDef)
            and any(ast.unparse(base).endswith("Choices") for base in node.bases)
            and _choices_members(node) & APPROVAL_MEMBERS
        ):
            enums.add(node.name)
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("Transition"):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name):
                    in_flows.add(inner.value.id)
    # Aliases (``S = PlanStatus``) resolve to their enum.
    aliases = {}
    for _relative, node in _walk():
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Name)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            aliases[node.targets[0].id] = node.value.id
    enums |= {aliases.get(name, name) for name in in_flows if name[:1].isupper()}
    enums = {name for name in enums if name.endswith(("Status", "State"))}
    return frozenset(enums | {alias for alias, name in aliases.items() if name in enums})


def _is_approval_member(expr: ast.expr | None) -> bool:
    return (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id in _approval_enums()
        and expr.attr.isupper()
    )


def _status_sets() -> list[str]:
    found = []
    for relative, node in _walk():
        value = getattr(node, "value", None)
        targets = _assigned(node)
        if _is_approval_member(value) and any(isinstance(t, ast.Attribute) for t in targets):
            found.append(_where(relative, node))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and any(_is_approval_member(k.value) for k in node.keywords)
        ):
            found.append(_where(relative, node))
    return found


def test_approval_statuses_are_set_only_by_the_workflow_kit():
    """A document moves through its approval states by ``cms.workflow`` (``Flow.advance``
    after ``Flow.check``): the worklog's submit → return / accept included (arch.md F2)."""
    assert {"WorkStatus", "PlanStatus", "DescriptionStatus", "ProposalStatus"} <= (
        _approval_enums()
    )
    assert _outside(_status_sets(), STATUS_SETTERS) == []


# --- workbooks -------------------------------------------------------------------------------

WORKBOOK_MAKERS: dict[str, str] = {
    "cms/xlsx.py": "the workbook kit",
}


def _workbook_calls() -> list[str]:
    found = []
    for relative, node in _walk():
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name == "Workbook" or name.endswith(".Workbook"):
                found.append(_where(relative, node))
    return found


def test_workbooks_are_created_only_by_the_kit():
    """Every .xlsx the project writes starts in ``cms/xlsx.py`` (``table_book``,
    ``print_sheet``, ``template_book``, ``stream_book``): formulas neutralised, dates and numbers
    formatted one way (arch.md F7)."""
    found = _workbook_calls()
    assert any(place.startswith("cms/xlsx.py") for place in found)
    assert _outside(found, WORKBOOK_MAKERS) == []


# --- retries ---------------------------------------------------------------------------------

RETRY_LOOPS: dict[str, str] = {
    "cms/retry.py": "the retry kit",
}
RETRY_WORDS = re.compile(r"attempt|retr|tries|fail", re.IGNORECASE)


def _sleeps(node: ast.AST) -> bool:
    return any(
        isinstance(inner, ast.Call) and ast.unparse(inner.func).split(".")[-1] == "sleep"
        for inner in ast.walk(node)
    )


def _retries() -> list[str]:
    found = []
    for relative, node in _walk():
        # A back-off: a delay doubling with the attempts.
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            base_two = isinstance(node.left, ast.Constant) and node.left.value == 2
            exponent = node.right
            if (base_two and not isinstance(exponent, ast.Constant)) or RETRY_WORDS.search(
                ast.unparse(exponent)
            ):
                found.append(_where(relative, node))
        # A retry loop: try, fail, wait, try again.
        if (
            isinstance(node, ast.For | ast.While)
            and _sleeps(node)
            and any(isinstance(inner, ast.Try) for inner in ast.walk(node))
        ):
            found.append(_where(relative, node))
    return found


def test_retries_and_back_offs_live_only_in_the_retry_kit():
    """Background work asks ``cms.retry.RetryPolicy`` when to try again; a step re-run within
    a request goes through ``cms.retry.rerun`` (arch.md F5)."""
    found = _retries()
    assert any(place.startswith("cms/retry.py") for place in found)
    assert _outside(found, RETRY_LOOPS) == []


#: Tables of background work that derive from neither the job model nor the delivery model,
#: with why (this list can only shrink).
NOT_JOBS: dict[str, str] = {}


def _background_tables() -> list:
    """Models of background work: a task carries them out (``task_id``), or they are tried
    again (``attempts`` with a next attempt or a last error)."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = {field.name for field in model._meta.get_fields()}
        if "task_id" in names or (
            "attempts" in names and names & {"next_attempt_at", "last_error"}
        ):
            found.append(model)
    return found


def test_every_job_table_derives_from_the_one_job_model():
    """A table of background jobs is a ``cms.models.BackgroundJob`` (issue 46, arch.md F5): the
    same fields, the same retry and the listing of every kind (``cms.jobs.KINDS``)."""
    from cms import jobs
    from cms.models import BackgroundJob, Delivery

    tables = _background_tables()
    shared = (BackgroundJob, Delivery)
    strays = [
        model._meta.label_lower
        for model in tables
        if not issubclass(model, shared) and model._meta.label_lower not in NOT_JOBS
    ]
    assert strays == [], "job tables outside cms.models.BackgroundJob: " + ", ".join(strays)
    # The exceptions are still background tables outside the models (the list only shrinks).
    outside = {m._meta.label_lower for m in tables if not issubclass(m, shared)}
    assert set(NOT_JOBS) <= outside, set(NOT_JOBS) - outside
    # Every job table is a kind of the listing of every kind.
    listed = {kind.model for kind in jobs.KINDS.values()}
    assert {m for m in tables if issubclass(m, BackgroundJob)} <= listed
    assert {"scoring.scoringrun", "importers.importjob", "accounts.accountbatch"} <= {
        model._meta.label_lower for model in listed
    }


# --- deliveries and attempts -----------------------------------------------------------------
# These read the model registry (Django is set up by pytest-django; no database is touched).


def _our_models():
    from django.apps import apps

    return [m for m in apps.get_models() if m._meta.app_label in APPS]


def _derives_from(model, *names: str) -> bool:
    return any(base.__name__ in names and base.__module__ == "cms.models" for base in model.__mro__)


def _field_names(model) -> set[str]:
    return {field.name for field in model._meta.get_fields()}


def test_work_tried_again_is_a_delivery_or_a_background_job():
    """A row that waits for its next attempt (``next_attempt_at``) is a
    ``cms.models.Delivery`` (something sent outside: the national outbox, mail) or a
    ``cms.models.BackgroundJob``: counted, its error kept and its next attempt scheduled on
    ``cms.retry``'s policy in one way (arch.md F5, issue 46)."""
    retried = [m for m in _our_models() if "next_attempt_at" in _field_names(m)]
    assert {m.__name__ for m in retried} >= {"OutboxRecord", "OutgoingMail"}
    assert [
        m._meta.label for m in retried if not _derives_from(m, "Delivery", "BackgroundJob")
    ] == []


def test_attempts_are_recorded_as_delivery_attempts():
    """A row recording one attempt — its outcome ``ok`` or ``failed``, or a row of a delivery's
    attempts (a foreign key from elsewhere to a ``Delivery``) — is a
    ``cms.models.DeliveryAttempt``: started, finished, the shared ``AttemptStatus`` and the
    error, as saleor's ``EventDeliveryAttempt`` (arch.md F5, issue 46)."""
    from cms.models import AttemptStatus, Delivery

    outcome = set(AttemptStatus.values)
    attempts = []
    for model in _our_models():
        fields = {f.name: f for f in model._meta.get_fields() if f.concrete}
        status = fields.get("status")
        records_an_outcome = status is not None and {v for v, _ in status.choices or []} == outcome
        of_a_delivery = not issubclass(model, Delivery) and any(
            f.is_relation and f.many_to_one and issubclass(f.related_model, Delivery)
            for f in fields.values()
        )
        if records_an_outcome or of_a_delivery:
            attempts.append(model)
    assert {m.__name__ for m in attempts} >= {"NationalDelivery", "Run", "MailAttempt"}
    assert [m._meta.label for m in attempts if not _derives_from(m, "DeliveryAttempt")] == []
