"""Every reason the operator writes is a member of ``Reason`` (reconciler/conditions.py).

The error classes live in the engine, which cannot import the reconciler, and events are
posted with literal reasons in places: so the code itself is read for reason strings.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from db_migrate.reconciler.conditions import Reason

PACKAGE = Path(__file__).resolve().parents[2] / "operator" / "db_migrate"
#: A condition or event reason: CamelCase, as the Kubernetes API conventions ask.
CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
#: Methods of the reconciler's Events protocol: their first argument is the event's reason.
EVENT_METHODS = {"normal", "warning"}


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _receiver(node: ast.expr) -> str:
    """The last name of ``a.b.events`` (``events``), or '' for anything else."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def written_reasons(tree: ast.AST) -> set[str]:
    """``reason = "X"`` (error classes), ``reason="X"`` keywords and ``events.warning("X", ...)``."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "reason" for t in targets):
                value = _string(node.value)
                if value is not None:
                    found.add(value)
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = _string(keyword.value)
                if keyword.arg == "reason" and value is not None:
                    found.add(value)
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in EVENT_METHODS and \
                    _receiver(func.value) == "events" and node.args:
                value = _string(node.args[0])
                if value is not None:
                    found.add(value)
    # A local ``reason = "header directive"`` (sqltext) is a sentence, not a condition reason.
    return {r for r in found if CAMEL.match(r)}


def test_every_reason_written_in_the_code_is_a_reason_member() -> None:
    members = {r.value for r in Reason}
    missing: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for reason in written_reasons(ast.parse(path.read_text(encoding="utf-8"))):
            if reason not in members:
                missing[reason] = str(path.relative_to(PACKAGE))
    assert missing == {}, f"add these to Reason in reconciler/conditions.py: {missing}"


def test_the_scan_finds_error_class_and_event_reasons() -> None:
    # The scanner must see each shape it looks for, or the test above passes on nothing.
    sample = ast.parse(
        'class SecretNotAllowed(InvalidInput):\n    reason = "SecretNotAllowed"\n'
        'kopf.event(body, type="Normal", reason="Applied", message=m)\n'
        'self.events.warning("Warning", m)\n'
        'logger.warning("NotAReason %s", x)\n'
        'reason = "header directive"\n')
    assert written_reasons(sample) == {"SecretNotAllowed", "Applied", "Warning"}
    scanned = set().union(*(written_reasons(ast.parse(p.read_text(encoding="utf-8")))
                            for p in PACKAGE.rglob("*.py")))
    assert {"SecretNotAllowed", "HostNotAllowed", "InsecureAuthUnavailable",
            "InvalidConnectionString", "ConfigMapNotFound"} <= scanned


def test_the_reasons_of_the_issue_17_credentials_work_are_members() -> None:
    # Added ahead of the Secret host binding and the authentication failures (issue 17,
    # sections 1 and 2), so that work merges without touching Reason.
    assert {Reason.SECRET_HOST_MISMATCH.value, Reason.AUTHENTICATION_FAILED.value} == \
        {"SecretHostMismatch", "AuthenticationFailed"}
