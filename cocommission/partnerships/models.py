"""Partnerships of organisations and people in a place."""

from django.conf import settings
from django.db import models

from cocommission.core.models import TimeStampedModel
from cocommission.organisations.models import Organisation


class Sector(models.TextChoices):
    STATUTORY = "statutory", "Statutory"
    VCSE = "vcse", "VCSE"
    OTHER = "other", "Other"


class Partnership(TimeStampedModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    place = models.CharField(max_length=200, help_text="The place the partnership works for.")
    description = models.TextField(blank=True)
    minimum_term_years = models.PositiveSmallIntegerField(
        default=3,
        help_text="Agreements for recurring services shorter than this are flagged as short-term.",
    )
    lived_experience_in_quorum = models.BooleanField(
        "decisions need someone with lived experience",
        default=False,
        help_text="When set, a decision moment's quorum needs someone with lived experience too.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipOrganisation(TimeStampedModel):
    """A member organisation, with the sector it sits for and its seat."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="member_organisations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="partnership_seats")
    sector = models.CharField(max_length=10, choices=Sector.choices)
    seat = models.CharField(max_length=120, blank=True, help_text="For example, 'Mental health' or 'Carers'.")

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="partnership_organisation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class PartnershipPerson(TimeStampedModel):
    """An individual member: someone representing an organisation, or someone with lived
    experience who represents no organisation."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "Coordinator"
        MEMBER = "member", "Member"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_roles")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave empty for someone who represents no organisation.",
    )
    lived_experience = models.BooleanField(
        "brings lived experience", default=False, help_text="Someone who brings their own experience of services."
    )

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "user"], name="partnership_person_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.partnership} ({self.get_role_display()})"
