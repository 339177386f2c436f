"""One line of a change-history page, as `core/_audit_table.html` shows it.

Each app's selector turns its audit events into these, naming the kind of thing that changed
and showing each changed value in words; the table itself is the same everywhere.
"""

from dataclasses import dataclass

from .models import AuditEvent


@dataclass(frozen=True)
class AuditChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    thing: str  # the kind of thing that changed, as people say it: "Member organisation"
    changes: list[AuditChange]

    @property
    def what(self) -> str:
        return f"{self.event.get_action_display()} {self.thing.lower()}"

    @property
    def who(self) -> str:
        actor = self.event.actor
        return str(actor) if actor else (self.event.actor_label or "System")
