"""Policy watch: each policy's place on the hype cycle, with dated history."""

from django.conf import settings
from django.db import models

from cocommission.core.models import TimeStampedModel

from .priorities import Priority


class Stage(models.TextChoices):
    TRIGGER = "trigger", "Innovation trigger"
    PEAK = "peak", "Peak of inflated expectations"
    TROUGH = "trough", "Trough of disillusionment"
    SLOPE = "slope", "Slope of enlightenment"
    PLATEAU = "plateau", "Plateau of productivity"


class Policy(TimeStampedModel):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="policies")
    name = models.CharField(max_length=200)
    owner = models.CharField(max_length=200, help_text="Who owns the policy, like the Department of Health.")
    summary = models.TextField()
    links = models.TextField(blank=True, help_text="Web addresses, one a line.")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    last_reviewed_on = models.DateField()
    priorities = models.ManyToManyField(Priority, blank=True, related_name="policies")
    opportunities = models.ManyToManyField("commissioning.Opportunity", blank=True, related_name="policies")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.name


class PolicyReview(models.Model):
    """A dated reading of the policy's stage: a change of stage, or a review that kept it."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    previous_stage = models.CharField(max_length=10, choices=Stage.choices, blank=True)
    reviewed_on = models.DateField()
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.policy}: {self.get_stage_display()} on {self.reviewed_on}"
