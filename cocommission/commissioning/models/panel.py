"""Mixed panels: members from every sector, conflicts declared, scores kept apart until submitted."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cocommission.core.models import TimeStampedModel
from cocommission.organisations.models import Organisation

from .application import Application
from .opportunity import Criterion, Opportunity


class Panel(TimeStampedModel):
    opportunity = models.OneToOneField(Opportunity, on_delete=models.CASCADE, related_name="panel")
    scoring_opened_at = models.DateTimeField(null=True, blank=True)
    moderation_notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Panel for {self.opportunity}"


class PanelMember(TimeStampedModel):
    class Sector(models.TextChoices):
        STATUTORY = "statutory", "Statutory"
        VCSE = "vcse", "VCSE"
        LIVED_EXPERIENCE = "lived_experience", "Lived experience"
        OTHER = "other", "Other"

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats")
    sector = models.CharField(max_length=20, choices=Sector.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for someone with lived experience who represents no organisation.",
    )
    is_chair = models.BooleanField(default=False)

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["panel", "user"], name="panel_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_sector_display()})"


class ConflictDeclaration(TimeStampedModel):
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="declarations")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflict_declarations")
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    management = models.TextField(
        "how the conflict is managed", blank=True, help_text="For example: does not score or see others' scores."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "application"], name="conflict_declaration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member} on {self.application_id}: {'conflict' if self.has_conflict else 'no conflict'}"


class ScoreSheet(TimeStampedModel):
    """One member's scores for one application; others' scores stay hidden until it is submitted."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="score_sheets")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="score_sheets")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "application"], name="score_sheet_unique")]

    def __str__(self) -> str:
        return f"Scores by {self.member} for {self.application_id}"


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(condition=Q(score__lte=5), name="score_zero_to_five"),
        ]

    def __str__(self) -> str:
        return f"{self.score} for {self.criterion_id}"


class ModeratedScore(TimeStampedModel):
    """The score the panel agreed for a criterion, with its reason."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="moderated_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    reason = models.TextField()
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="moderated_score_unique"),
            models.CheckConstraint(condition=Q(score__lte=5), name="moderated_score_zero_to_five"),
        ]

    def __str__(self) -> str:
        return f"Agreed {self.score} for {self.criterion_id}"
