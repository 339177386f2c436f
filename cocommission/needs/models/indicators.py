"""Population indicators: series of values by place and period, imported from CSV files."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cocommission.core.models import TimeStampedModel


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    PER_1000 = "per_1000", "Rate per 1,000"
    PER_100000 = "per_100000", "Rate per 100,000"
    COUNT = "count", "Count"
    YEARS = "years", "Years"
    POUNDS = "pounds", "Pounds"
    RATIO = "ratio", "Ratio"
    SCORE = "score", "Score"


class Indicator(TimeStampedModel):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220)
    source = models.CharField(max_length=300)
    unit = models.CharField(max_length=12, choices=Unit.choices)
    description = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Made-up values for the demo place, labelled as such.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="indicator_slug_unique_in_partnership"),
            models.UniqueConstraint(fields=["partnership", "name"], name="indicator_name_unique_in_partnership"),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    geography_code = models.CharField(max_length=20)
    geography_name = models.CharField(max_length=200)
    period = models.CharField(max_length=20, help_text="As published, like 2023 or 2022/23.")
    value = models.DecimalField(max_digits=16, decimal_places=4)
    lower_ci = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    upper_ci = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    imported_by = models.ForeignKey("IndicatorImport", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["indicator", "period", "geography_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "geography_code", "period"], name="one_indicator_value_per_place_and_period"
            ),
            models.CheckConstraint(
                condition=Q(lower_ci__isnull=True) | Q(lower_ci__lte=F("value")), name="indicator_lower_ci_below"
            ),
            models.CheckConstraint(
                condition=Q(upper_ci__isnull=True) | Q(upper_ci__gte=F("value")), name="indicator_upper_ci_above"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.geography_name} {self.period}: {self.value}"


class IndicatorImport(TimeStampedModel):
    """One CSV file being imported. Large files are imported by the task worker; the page shows
    its progress. A file with any bad row imports nothing."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to start"
        CHECKING = "checking", "Checking"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="indicator-imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{'line': n, 'message': '...'}]")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
