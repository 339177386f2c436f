"""Forms for the passport pages. Checks on the file itself live in the service (uploads.py)."""

from typing import Any

from django import forms

from ..models import PassportDocument
from ..uploads import EMPTY_MESSAGE, REQUIRED_MESSAGE, size_limit_text


class PassportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which document is this?",
        choices=PassportDocument.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which document this is", "invalid_choice": "Select which document this is"},
    )
    file = forms.FileField(
        label="Upload a file",
        widget=forms.FileInput,
        error_messages={"required": REQUIRED_MESSAGE, "empty": EMPTY_MESSAGE, "invalid": REQUIRED_MESSAGE},
    )
    expires_on = forms.DateField(
        label="Expiry or review date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=(
            "When it expires or is next due for review. Needed for every document except the governing "
            "document; for the insurance certificate, the date the cover ends."
        ),
        error_messages={"invalid": "Expiry or review date must be a real date"},
    )

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = size_limit_text(max_bytes)
        self.fields["file"].help_text = f"A PDF, DOCX, ODT, PNG or JPEG file, smaller than {limit}."
