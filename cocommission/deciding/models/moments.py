"""Decision moments: where equality is the goal. A decision about a priority, funding or a
service design, taken by consensus, consent or a sector-balanced vote, with a quorum rule,
responses hidden until it closes, and a record of who was in the room."""

from django.conf import settings
from django.db import models

from cocommission.core.models import TimeStampedModel

from .meetings import Meeting, Voice


class DecisionMoment(TimeStampedModel):
    class Subject(models.TextChoices):
        PRIORITY = "priority", "A priority"
        FUNDING = "funding", "Funding"
        DESIGN = "design", "The design of a service"

    class Method(models.TextChoices):
        CONSENSUS = "consensus", "Consensus: any member may block, with a reason"
        CONSENT = "consent", "Consent: objections are resolved or recorded"
        BALANCED_VOTE = "balanced_vote", "Sector-balanced vote: each sector carries equal weight"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Result(models.TextChoices):
        ADOPTED = "adopted", "Adopted"
        BLOCKED = "blocked", "Blocked"
        TIED = "tied", "Tied: no option carried"

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="decision_moments"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decision_moments"
    )
    subject = models.CharField(max_length=10, choices=Subject.choices)
    priority = models.ForeignKey(
        "needs.Priority", null=True, blank=True, on_delete=models.SET_NULL, related_name="decision_moments"
    )
    title = models.CharField(max_length=200)
    question = models.TextField(help_text="What is being decided, in plain words.")
    method = models.CharField(max_length=14, choices=Method.choices)
    require_lived_experience = models.BooleanField(
        default=False, help_text="The quorum needs someone with lived experience as well."
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    closes_on = models.DateField(null=True, blank=True)

    result = models.CharField(max_length=8, choices=Result.choices, blank=True)
    chosen_option = models.ForeignKey(
        "DecisionOption", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reasons = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    # Who was in the room when it closed: {"statutory": n, "vcse": n, "lived_experience": n, ...}
    room = models.JSONField(default=dict, blank=True)
    tally = models.JSONField(default=dict, blank=True, help_text="The computed result, kept as it was at closing.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DecisionOption(models.Model):
    """An option to choose between. Consensus and consent decide on a single proposal."""

    moment = models.ForeignKey(DecisionMoment, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["moment", "position", "id"]

    def __str__(self) -> str:
        return self.label


class Response(TimeStampedModel):
    """One member's response: a vote for an option, or a position on the proposal."""

    class Position(models.TextChoices):
        AGREE = "agree", "Agree"
        STAND_ASIDE = "stand_aside", "Stand aside"
        BLOCK = "block", "Block"
        CONSENT = "consent", "Consent"
        OBJECT = "object", "Object"
        VOTE = "vote", "Vote"

    class Objection(models.TextChoices):
        OPEN = "open", "Not resolved yet"
        RESOLVED = "resolved", "Resolved"
        RECORDED = "recorded", "Recorded, and the decision goes ahead"

    moment = models.ForeignKey(DecisionMoment, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voice = models.CharField(max_length=16, choices=Voice.choices)
    lived_experience = models.BooleanField(default=False)
    position = models.CharField(max_length=11, choices=Position.choices)
    option = models.ForeignKey(DecisionOption, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(blank=True)
    objection = models.CharField(max_length=8, choices=Objection.choices, blank=True)
    objection_note = models.TextField(blank=True)

    class Meta:
        ordering = ["moment", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["moment", "person"], name="respond_to_a_moment_once")]

    def __str__(self) -> str:
        return f"{self.person} on {self.moment}: {self.get_position_display()}"
