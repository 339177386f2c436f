"""Rules of the house that a reviewer would otherwise have to remember."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "cocommission"
OWNED_MODELS = (
    "Organisation",
    "Membership",
    "Invitation",
    "PassportDocument",
    "Interaction",
    "Partnership",
    "PartnershipOrganisation",
    "PartnershipPerson",
    "Opportunity",
    "Application",
    "Consortium",
    "ConsortiumMember",
    "Agreement",
    "BreakClause",
    "BudgetLine",
    "OverheadRate",
    "Instalment",
    "Variation",
    "RenewalDecision",
    "EndingNotice",
    "Story",
    "Indicator",
    "IndicatorValue",
    "IndicatorImport",
    "Priority",
    "Policy",
    "PolicyReview",
    "Meeting",
    "AgendaItem",
    "MeetingPaper",
    "Attendance",
    "Contribution",
    "DecisionMoment",
    "DecisionOption",
    "Response",
)
RAW_ACCESS = re.compile(r"\b(" + "|".join(OWNED_MODELS) + r")\.objects\.(get|filter|all)\(")


def thin_layer_files() -> list[Path]:
    """Views, URL modules, API modules, management commands and tasks."""
    files: list[Path] = []
    for path in APPS.rglob("*.py"):
        parts = set(path.relative_to(APPS).parts)
        if "tests" in parts or "migrations" in parts or "demo" in parts:
            continue
        if path.stem.startswith(("views", "api", "tasks")) or "views" in parts or "commands" in parts:
            files.append(path)
    return files


def test_the_rule_finds_view_modules():
    names = {p.relative_to(APPS).as_posix() for p in thin_layer_files()}
    assert "core/views.py" in names
    assert any(n.startswith("organisations/views/") for n in names)


def test_views_load_owned_objects_only_through_access_helpers():
    offenders = []
    for path in thin_layer_files():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if RAW_ACCESS.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "Use an access_* helper from permissions.py:\n" + "\n".join(offenders)


def test_no_python_file_is_over_500_lines():
    long = [
        f"{p.relative_to(ROOT)} ({n} lines)"
        for p in list(APPS.rglob("*.py")) + list((ROOT / "config").rglob("*.py"))
        if "migrations" not in p.parts and (n := len(p.read_text().splitlines())) > 500
    ]
    assert long == []


def test_templates_have_no_inline_styles_or_scripts():
    """The Content-Security-Policy allows neither, so they would silently not work."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    inline_style = re.compile(r"<style\b|\sstyle=\"", re.IGNORECASE)
    offenders = []
    for path in list(ROOT.glob("templates/**/*.html")) + list(APPS.glob("*/templates/**/*.html")):
        text = path.read_text()
        if inline_script.search(text) or inline_style.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


CLOCK_CALLS = {"now", "localdate", "localtime", "today"}


def clock_reads_outside_functions(source: str) -> list[int]:
    """Line numbers where a module or class body reads the clock (``timezone.now()``,
    ``date.today()`` and the like) when it is imported rather than when a test runs. A run that
    crosses midnight then compares yesterday's date with today's."""
    found: list[int] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute) and child.func.attr in CLOCK_CALLS:
                found.append(child.lineno)
            visit(child)

    visit(ast.parse(source))
    return found


def test_the_clock_rule_finds_import_time_reads():
    source = "import datetime\nTODAY = timezone.localdate()\nclass A:\n    X = datetime.date.today()\n"
    source += "def f():\n    return timezone.now()\nLATER = lambda: timezone.now()\n"
    assert clock_reads_outside_functions(source) == [2, 4]


def test_tests_read_the_clock_when_they_run_not_when_they_are_imported():
    offenders = []
    for path in [*APPS.rglob("*.py"), *(ROOT / "tests").rglob("*.py"), ROOT / "conftest.py"]:
        if "migrations" in path.parts:
            continue
        for line in clock_reads_outside_functions(path.read_text()):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == []
