"""Organisations and the areas they serve."""

from decimal import Decimal

from django.db import models
from django.db.models import Case, Q, Value, When

from cocommission.core.models import TimeStampedModel


class Area(models.Model):
    """A place an organisation serves: a council area, a town, a neighbourhood."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IncomeBand(models.TextChoices):
    MICRO = "micro", "Micro (under £10,000)"
    SMALL = "small", "Small (£10,000 to £99,999)"
    MEDIUM = "medium", "Medium (£100,000 to £999,999)"
    LARGE = "large", "Large (£1 million to £9.99 million)"
    MAJOR = "major", "Major (£10 million or more)"
    UNKNOWN = "unknown", "Not known"


# The income band thresholds, lowest first: an income below the limit is in the band.
INCOME_BAND_LIMITS: list[tuple[Decimal, str]] = [
    (Decimal("10000"), IncomeBand.MICRO),
    (Decimal("100000"), IncomeBand.SMALL),
    (Decimal("1000000"), IncomeBand.MEDIUM),
    (Decimal("10000000"), IncomeBand.LARGE),
]


def income_band_for(income: Decimal | None) -> str:
    """The band for an annual income, as the database computes it."""
    if income is None:
        return IncomeBand.UNKNOWN
    for limit, band in INCOME_BAND_LIMITS:
        if income < limit:
            return band
    return IncomeBand.MAJOR


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        STATUTORY = "statutory", "Statutory (NHS body or council)"
        VCSE = "vcse", "Voluntary, community or social enterprise (VCSE)"
        PRIVATE = "private", "Private company"
        OTHER = "other", "Other"

    class LegalForm(models.TextChoices):
        CIO = "cio", "Charitable incorporated organisation (CIO)"
        CHARITABLE_COMPANY = "charitable_company", "Charitable company limited by guarantee"
        UNINCORPORATED = "unincorporated", "Unincorporated association or community group"
        CIC = "cic", "Community interest company (CIC)"
        COMPANY_GUARANTEE = "company_guarantee", "Company limited by guarantee"
        COMPANY_SHARES = "company_shares", "Company limited by shares"
        COMMUNITY_BENEFIT = "community_benefit", "Community benefit society"
        COOPERATIVE = "cooperative", "Co-operative society"
        CHARITABLE_TRUST = "charitable_trust", "Charitable trust"
        NHS_BODY = "nhs_body", "NHS body"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        OTHER_PUBLIC = "other_public", "Other public body"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    legal_form = models.CharField(max_length=30, choices=LegalForm.choices)
    charity_number = models.CharField(max_length=12, null=True, blank=True, unique=True)
    company_number = models.CharField(max_length=8, null=True, blank=True, unique=True)
    latest_annual_income = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    income_band = models.GeneratedField(
        expression=Case(
            When(latest_annual_income__isnull=True, then=Value(IncomeBand.UNKNOWN.value)),
            When(latest_annual_income__lt=Decimal("10000"), then=Value(IncomeBand.MICRO.value)),
            When(latest_annual_income__lt=Decimal("100000"), then=Value(IncomeBand.SMALL.value)),
            When(latest_annual_income__lt=Decimal("1000000"), then=Value(IncomeBand.MEDIUM.value)),
            When(latest_annual_income__lt=Decimal("10000000"), then=Value(IncomeBand.LARGE.value)),
            default=Value(IncomeBand.MAJOR.value),
        ),
        output_field=models.CharField(max_length=10, choices=IncomeBand.choices),
        db_persist=True,
    )
    description = models.TextField(blank=True)
    areas_served = models.ManyToManyField(Area, blank=True, related_name="organisations")
    website = models.URLField(blank=True)
    public_email = models.EmailField(blank=True)
    public_phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(latest_annual_income__isnull=True) | Q(latest_annual_income__gte=0),
                name="organisation_income_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def income_band_label(self) -> str:
        # The choices sit on the generated field's output field, so Django adds no get_income_band_display().
        return str(IncomeBand(self.income_band).label) if self.income_band else str(IncomeBand.UNKNOWN.label)

    @property
    def is_statutory(self) -> bool:
        return self.kind == self.Kind.STATUTORY
