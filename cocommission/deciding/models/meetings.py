"""Partnership meetings: agenda, papers, who attended for which sector, minutes, and the
contributions people make: questions, points, and follows that pick up an earlier question."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cocommission.core.models import TimeStampedModel


class Voice(models.TextChoices):
    """Whose voice someone brings to a meeting or a decision."""

    STATUTORY = "statutory", "Statutory"
    VCSE = "vcse", "VCSE"
    LIVED_EXPERIENCE = "lived_experience", "Lived experience"
    OTHER = "other", "Other"


class Meeting(TimeStampedModel):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True, help_text="A room and address, or how to join online.")
    minutes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d %B %Y})"


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        ITEM = "item", "Item"
        HORIZON_SCAN = "horizon_scan", "Horizon scan"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ITEM)
    # For a horizon scan: the month it was added for, so the monthly task adds one only.
    scan_month = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "scan_month"],
                condition=Q(kind="horizon_scan"),
                name="one_horizon_scan_per_meeting_and_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class MeetingPaper(TimeStampedModel):
    """A paper for the meeting: a document (checked by its content, like passport documents)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="meeting-papers/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["meeting", "title", "id"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Someone at the meeting, the organisation they came for (if any) and the voice they bring."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voice = models.CharField(max_length=16, choices=Voice.choices)
    lived_experience = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "voice", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attend_a_meeting_once")]

    def __str__(self) -> str:
        return f"{self.user} at {self.meeting}"


class Contribution(TimeStampedModel):
    """A question, a point, or a follow that picks up an earlier question and builds on it."""

    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        POINT = "point", "Point"
        FOLLOW = "follow", "Follow"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voice = models.CharField(max_length=16, choices=Voice.choices)
    # A question put "to the room": only the coordinator sees who asked it.
    to_the_room = models.BooleanField(default=False)
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="followed_by")

    class Meta:
        ordering = ["meeting", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="follow") & Q(follows__isnull=False)) | (~Q(kind="follow") & Q(follows__isnull=True)),
                name="a_follow_follows_a_question",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
