from .meetings import AgendaItem, Attendance, Contribution, Meeting, MeetingPaper, Voice
from .moments import DecisionMoment, DecisionOption, Response

__all__ = [
    "AgendaItem",
    "Attendance",
    "Contribution",
    "DecisionMoment",
    "DecisionOption",
    "Meeting",
    "MeetingPaper",
    "Response",
    "Voice",
]
