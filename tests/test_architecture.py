"""Rules of the house that a reviewer would otherwise have to remember."""

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
