from .indicators import Indicator, IndicatorImport, IndicatorValue, Unit
from .policies import Policy, PolicyReview, Stage
from .priorities import Priority
from .stories import Story, Theme

__all__ = [
    "Indicator",
    "IndicatorImport",
    "IndicatorValue",
    "Policy",
    "PolicyReview",
    "Priority",
    "Stage",
    "Story",
    "Theme",
    "Unit",
]
