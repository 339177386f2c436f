from .application import Answer, Application, Consortium, ConsortiumMember
from .decision import ApplicationDecision, DecisionRecord, PsrNotice, Representation
from .opportunity import Criterion, Opportunity, OpportunityOutcome, Question
from .panel import ConflictDeclaration, ModeratedScore, Panel, PanelMember, Score, ScoreSheet

__all__ = [
    "Answer",
    "Application",
    "ApplicationDecision",
    "ConflictDeclaration",
    "Consortium",
    "ConsortiumMember",
    "Criterion",
    "DecisionRecord",
    "ModeratedScore",
    "Opportunity",
    "OpportunityOutcome",
    "Panel",
    "PanelMember",
    "PsrNotice",
    "Question",
    "Representation",
    "Score",
    "ScoreSheet",
]
