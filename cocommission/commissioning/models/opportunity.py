"""Opportunities: what is being commissioned, by which route, asking how much of applicants."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cocommission.core.models import TimeStampedModel
from cocommission.organisations.models import Area, Organisation

from ..routes import KeyCriterion, Route, State


class Opportunity(TimeStampedModel):
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="opportunities")
    partnership = models.ForeignKey(
        "partnerships.Partnership", null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities"
    )
    priority = models.ForeignKey(
        "needs.Priority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
        help_text="The partnership priority this opportunity serves.",
    )
    reference = models.CharField(max_length=30, unique=True)
    slug = models.SlugField(max_length=220, unique=True)
    title = models.CharField(max_length=200)
    problem = models.TextField(help_text="The problem to solve and who it affects: not the method.")
    total_budget = models.DecimalField(max_digits=14, decimal_places=2)
    max_award = models.DecimalField("maximum per award", max_digits=14, decimal_places=2)
    term_years = models.PositiveSmallIntegerField(default=1)
    eligible_kinds = models.JSONField(default=list, blank=True)
    eligible_income_bands = models.JSONField(default=list, blank=True)
    eligible_areas = models.ManyToManyField(Area, blank=True, related_name="+")
    opens_on = models.DateField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    decision_by = models.DateField(null=True, blank=True)
    route = models.CharField(max_length=30, choices=Route.choices)
    route_reason = models.TextField(help_text="Why this route fits the service and the providers.")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # The proportionate ask, within the ceiling of the value band.
    max_questions = models.PositiveSmallIntegerField(default=3)
    word_limit = models.PositiveIntegerField("total word limit", default=500)
    extra_documents = models.PositiveSmallIntegerField("documents beyond the passport", default=0)
    lived_experience_on_panel = models.BooleanField("panel must include lived experience", default=True)
    # For direct routes: the provider being assessed.
    named_provider = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="direct_opportunities"
    )
    cpv_code = models.CharField("CPV code", max_length=12, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    awarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=Q(total_budget__gt=0), name="opportunity_budget_positive"),
            models.CheckConstraint(condition=Q(max_award__gt=0), name="opportunity_max_award_positive"),
            models.CheckConstraint(
                condition=Q(max_award__lte=F("total_budget")), name="opportunity_max_award_within_budget"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class OpportunityOutcome(TimeStampedModel):
    """An outcome sought. Partners propose; the coordinator or commissioner agrees."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        DECLINED = "declined", "Not taken forward"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="outcomes")
    text = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class Criterion(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(help_text="Percentage; the weights of an opportunity add up to 100.")
    key_criterion = models.CharField(max_length=20, choices=KeyCriterion.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100), name="criterion_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Question(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    guidance = models.TextField(blank=True)
    word_limit = models.PositiveIntegerField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text
