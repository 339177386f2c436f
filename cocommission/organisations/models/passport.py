"""The "tell us once" passport: an organisation's standing documents."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from cocommission.core.models import TimeStampedModel

from .organisation import Organisation


def passport_upload_to(instance: Any, filename: str) -> str:
    # The stored name never reuses the uploaded one, so nothing a user types reaches the path.
    return f"passport/{instance.organisation_id}/{uuid.uuid4().hex}"


class PassportDocument(TimeStampedModel):
    class Kind(models.TextChoices):
        GOVERNING_DOCUMENT = "governing_document", "Governing document"
        ACCOUNTS = "accounts", "Latest accounts"
        SAFEGUARDING = "safeguarding_policy", "Safeguarding policy"
        DATA_PROTECTION = "data_protection_policy", "Data protection policy"
        EQUALITY = "equality_policy", "Equality policy"
        INSURANCE = "insurance_certificate", "Insurance certificate"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="passport_documents")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    file = models.FileField(upload_to=passport_upload_to, max_length=200)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    expires_on = models.DateField(
        "expiry or review date", null=True, blank=True, help_text="When it expires or is next due for review."
    )
    is_current = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kind", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(is_current=True),
                name="passport_one_current_document_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.organisation}"
