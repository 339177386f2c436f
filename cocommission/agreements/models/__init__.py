from .agreement import Agreement, BreakClause
from .changes import EndingNotice, RenewalDecision, Variation
from .money import BudgetLine, IndexValue, Instalment, OverheadRate

__all__ = [
    "Agreement",
    "BreakClause",
    "BudgetLine",
    "EndingNotice",
    "IndexValue",
    "Instalment",
    "OverheadRate",
    "RenewalDecision",
    "Variation",
]
