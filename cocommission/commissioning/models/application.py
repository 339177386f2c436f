"""Applications, alone or as a consortium with shared accountability and no mandatory lead."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cocommission.core.models import TimeStampedModel
from cocommission.organisations.models import Organisation, PassportDocument

from .opportunity import Opportunity, OpportunityOutcome, Question


class Consortium(TimeStampedModel):
    name = models.CharField(max_length=200)
    lead = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: an alliance has no lead, and accountability is shared.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return self.name


class ConsortiumMember(TimeStampedModel):
    """A member's place in the accountability matrix: what it delivers and what it carries."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="consortium_memberships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    budget_share = models.DecimalField("share of the budget (%)", max_digits=5, decimal_places=2, default=0)
    risk_share = models.DecimalField("share of the risk (%)", max_digits=5, decimal_places=2, default=0)
    outcomes = models.ManyToManyField(OpportunityOutcome, blank=True, related_name="accountable_members")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "organisation"], name="consortium_member_unique"),
            models.CheckConstraint(
                condition=Q(budget_share__gte=0)
                & Q(budget_share__lte=100)
                & Q(risk_share__gte=0)
                & Q(risk_share__lte=100),
                name="consortium_member_shares_are_percentages",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.consortium}"


class Application(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="applications",
        help_text="The applicant, or for a consortium the member that started the application.",
    )
    consortium = models.OneToOneField(
        Consortium, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    amount_requested = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    total_words = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The passport documents current when the application was submitted: attached, never re-uploaded.
    passport_documents = models.ManyToManyField(PassportDocument, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "organisation"], name="application_one_per_organisation"),
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True) | Q(amount_requested__gt=0),
                name="application_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        applicant = self.consortium.name if self.consortium_id and self.consortium else self.organisation.name
        return f"{applicant} – {self.opportunity.reference}"


class Answer(TimeStampedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    word_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_one_per_question"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id} in {self.application_id}"
