"""Agreements between a funder and a provider. An award creates a draft; the agreements work
(term, budget, indexation, schedule, variations) completes it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cocommission.core.models import TimeStampedModel
from cocommission.organisations.models import Organisation


class Agreement(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OFFERED = "offered", "Offered"
        SIGNED_BY_FUNDER = "signed_by_funder", "Signed by the funder"
        SIGNED_BY_PROVIDER = "signed_by_provider", "Signed by the provider"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"
        TERMINATED = "terminated", "Terminated"

    reference = models.CharField(max_length=40, unique=True)
    title = models.CharField(max_length=200)
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreements_funded")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreements_provided")
    consortium = models.ForeignKey(
        "commissioning.Consortium", null=True, blank=True, on_delete=models.PROTECT, related_name="agreements"
    )
    opportunity = models.ForeignKey(
        "commissioning.Opportunity", null=True, blank=True, on_delete=models.PROTECT, related_name="agreements"
    )
    award = models.OneToOneField(
        "commissioning.ApplicationDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="agreement"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    term_years = models.PositiveSmallIntegerField(default=1)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="agreement_value_positive"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="agreement_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"
