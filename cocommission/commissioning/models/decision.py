"""Decisions with reasons for every applicant, and Provider Selection Regime transparency."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cocommission.core.models import TimeStampedModel

from .application import Application
from .opportunity import Opportunity


class DecisionRecord(TimeStampedModel):
    """Who decided what, when, and how the criteria were applied: one per opportunity."""

    opportunity = models.OneToOneField(Opportunity, on_delete=models.CASCADE, related_name="decision_record")
    decided_at = models.DateTimeField()
    decision_makers = models.TextField(help_text="Names and roles of the people who made the decision.")
    summary = models.TextField(help_text="How the criteria were applied.")
    conflicts_summary = models.TextField("declared conflicts and how they were managed", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Decision on {self.opportunity}"


class ApplicationDecision(TimeStampedModel):
    """The outcome for one application, with reasons and feedback the applicant sees."""

    class Outcome(models.TextChoices):
        AWARD = "award", "Awarded"
        DECLINE = "decline", "Not awarded"

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reasons = models.TextField(help_text="Reasons with reference to the criteria.")
    feedback = models.TextField(help_text="What the applicant did well and what would make a stronger application.")
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(outcome="award") & Q(amount__gt=0)) | (Q(outcome="decline") & Q(amount__isnull=True)),
                name="application_decision_amount_matches_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.application}"


class PsrNotice(TimeStampedModel):
    class Kind(models.TextChoices):
        INTENTION = "intention", "Notice of intention to award"
        AWARD = "award", "Notice of award (confirmation)"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="psr_notices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    published_at = models.DateTimeField()
    content = models.JSONField(help_text="The content the regulations require, frozen when published.")
    standstill_ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["published_at"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "kind"], name="psr_notice_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.opportunity.reference}"


class Representation(TimeStampedModel):
    """A representation received during standstill. It holds the award until answered, and
    then five more working days pass."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="representations")
    received_on = models.DateField()
    made_by = models.CharField(max_length=200)
    summary = models.TextField()
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    hold_ends_on = models.DateField(null=True, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"Representation from {self.made_by}"
