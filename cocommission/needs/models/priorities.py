"""Priorities: a need the partnership states, with its evidence side by side."""

from django.conf import settings
from django.db import models

from cocommission.core.models import TimeStampedModel

from .indicators import Indicator
from .stories import Story


class Priority(TimeStampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        RETIRED = "retired", "Retired"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    need = models.TextField(help_text="The need, in plain words: who, what and where.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    stories = models.ManyToManyField(Story, blank=True, related_name="priorities")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="priorities")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["status", "title"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title
