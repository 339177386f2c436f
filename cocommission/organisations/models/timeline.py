"""The relationship timeline: every contact between two organisations, remembered."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .organisation import Organisation


class Interaction(models.Model):
    """One entry between two organisations, stored with the lower id first so a pair is one key."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        CALL = "call", "Call"
        EMAIL = "email", "Email"
        NOTE = "note", "Note"
        DECISION = "decision", "Decision"
        APPLICATION = "application", "Application"
        AWARD = "award", "Award"
        AGREEMENT = "agreement", "Agreement"
        PARTNERSHIP_MEETING = "partnership_meeting", "Partnership meeting"
        DECISION_MOMENT = "decision_moment", "Decision moment"

    organisation_a = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    organisation_b = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NOTE)
    occurred_on = models.DateField()
    summary = models.TextField()
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
        help_text="Set when the entry is partnership business; the coordinator can then see it.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["organisation_a", "organisation_b", "-occurred_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation_a__lt=F("organisation_b")), name="interaction_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}"
