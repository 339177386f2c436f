"""Community stories of lived experience: consent, moderation and anonymisation recorded.

The storyteller's own words (`text`) are seen only by the partnership's moderators (its
coordinators). Nothing is shown beyond them until a moderator publishes the anonymised text
(`published_text`). Withdrawing a story erases it: the row is deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cocommission.core.models import TimeStampedModel


class Theme(models.Model):
    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Story(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for moderation"
        PUBLISHED = "published", "Published"
        DECLINED = "declined", "Not published"

    class Source(models.TextChoices):
        MEMBER = "member", "A partnership member"
        PUBLIC = "public", "A member of the public"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="stories")
    source = models.CharField(max_length=6, choices=Source.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # For a public storyteller: an optional address for news of the story, and the secret in the
    # link that lets them withdraw it (stored hashed).
    contact_email = models.EmailField(blank=True)
    withdrawal_key_hash = models.CharField(max_length=64, blank=True)
    # A keyed hash of the submitter's network address, for rate limiting public submissions.
    submitter_key = models.CharField(max_length=64, blank=True, db_index=True)

    title = models.CharField(max_length=200)
    text = models.TextField()
    place = models.CharField(max_length=200, blank=True)
    population_group = models.CharField(max_length=200, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="stories")

    consent_partnership = models.BooleanField(
        default=False, help_text="The partnership's members may read it, anonymised."
    )
    consent_public = models.BooleanField(default=False, help_text="It may be published on public pages, anonymised.")
    consent_reports = models.BooleanField(default=False, help_text="It may be quoted in reports, anonymised.")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    published_title = models.CharField(max_length=200, blank=True)
    published_text = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "stories"
        constraints = [
            # No story without consent to at least share it, anonymised, with the partnership.
            models.CheckConstraint(condition=Q(consent_partnership=True), name="story_has_consent"),
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(published_text=""), name="published_story_has_text"
            ),
        ]

    def __str__(self) -> str:
        return self.published_title or self.title
