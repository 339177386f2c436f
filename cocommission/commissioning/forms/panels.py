"""Panel forms. They parse input; the rules (balance, conflicts, complete sheets) live in the
services, so the messages people see come from one place."""

from collections.abc import Sequence
from typing import Any

from django import forms

from cocommission.accounts.models import User
from cocommission.organisations.models import Organisation

from ..models import Criterion, ModeratedScore, PanelMember, Score
from ..selectors.panels import SCORE_LABELS
from ..services.panel_scoring import ModerationEntry, ScoreEntry

SCORE_CHOICES = [(str(value), f"{value} – {label}") for value, label in SCORE_LABELS.items()]


class PanelMemberAddForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="The email address they sign in with. They need an account first.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    sector = forms.ChoiceField(
        label="Which sector do they sit for?",
        choices=PanelMember.Sector.choices,
        widget=forms.RadioSelect,
        help_text="Statutory and VCSE members sit for an organisation they belong to. Someone with lived "
        "experience speaks for themselves, not for an organisation.",
        error_messages={"required": "Choose the sector they sit for"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation they come from",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="The one organisation of that sector they belong to",
        help_text="Only needed when they belong to more than one. Leave empty for someone with lived experience.",
        error_messages={"invalid_choice": "Choose one of their organisations"},
    )
    is_chair = forms.BooleanField(
        label="They chair the panel",
        required=False,
        help_text="Chairs agree the panel's scores with the commissioners. A panel can have co-chairs.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Offer only the organisations of the person named, so the page never lists the whole directory.
        email = (self.data.get(self.add_prefix("email")) or "").strip() if self.is_bound else ""
        user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
        if user is not None:
            self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
                memberships__user=user
            ).order_by("name")


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label="Do you have a conflict of interest with this application?",
        choices=[("yes", "Yes, I have a conflict of interest"), ("no", "No, I have no conflict of interest")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="For example, you work for, volunteer with, or are close to someone at the applicant, or you "
        "or your organisation would gain from the decision.",
        error_messages={"required": "Choose yes if you have a conflict of interest with this application"},
    )
    details = forms.CharField(
        label="Describe the conflict",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you have a conflict. For example: I am a trustee of the applicant.",
    )
    management = forms.CharField(
        label="How is the conflict managed?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you have a conflict. For example: I will not score this application or see the "
        "panel's scores for it.",
    )


class _NeededToSubmitChoice(forms.ChoiceField):
    """Shown as required (no "(optional)" on the label), but a draft may leave it blank: the
    service names what is missing when it matters, in the same words for every client."""

    def validate(self, value: Any) -> None:
        if value not in self.empty_values:
            super().validate(value)


class _NeededToSubmitText(forms.CharField):
    def validate(self, value: Any) -> None:
        if value not in self.empty_values:
            super().validate(value)


def _criterion_hint(criterion: Criterion) -> str:
    weight = f"Weight: {criterion.weight}%."
    return f"{criterion.description} {weight}" if criterion.description else weight


class _CriteriaForm(forms.Form):
    """A score (0–5 radios) and a comment for each criterion, named score_<id> and comment_<id>."""

    comment_label = "Comment on {name}"
    use_required_attribute = False

    def __init__(self, *args: Any, criteria: Sequence[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = _NeededToSubmitChoice(
                label=f"Score for {criterion.name}",
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect,
                help_text=_criterion_hint(criterion),
            )
            self.fields[f"comment_{criterion.pk}"] = _NeededToSubmitText(
                label=self.comment_label.format(name=criterion.name),
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def _pairs(self) -> dict[int, tuple[int | None, str]]:
        pairs = {}
        for criterion in self.criteria:
            raw = self.cleaned_data.get(f"score_{criterion.pk}") or ""
            pairs[criterion.pk] = (
                int(raw) if raw != "" else None,
                self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
        return pairs


class ScoreSheetForm(_CriteriaForm):
    def __init__(self, *args: Any, criteria: Sequence[Criterion], scores: Sequence[Score] = (), **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {f"score_{s.criterion_id}": str(s.score) for s in scores}
            | {f"comment_{s.criterion_id}": s.comment for s in scores},
        )
        super().__init__(*args, criteria=criteria, **kwargs)

    def entries(self) -> dict[int, ScoreEntry]:
        return {pk: ScoreEntry(score, comment) for pk, (score, comment) in self._pairs().items()}


class ModerationForm(_CriteriaForm):
    comment_label = "Reason for the agreed score for {name}"

    notes = forms.CharField(
        label="Moderation notes for the panel",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Notes on the panel's moderation as a whole, for example how differences were settled or a "
        "conflict raised late. They go into the decision record.",
    )

    def __init__(
        self,
        *args: Any,
        criteria: Sequence[Criterion],
        moderated: Sequence[ModeratedScore] = (),
        notes: str = "",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {f"score_{m.criterion_id}": str(m.score) for m in moderated}
            | {f"comment_{m.criterion_id}": m.reason for m in moderated}
            | {"notes": notes},
        )
        super().__init__(*args, criteria=criteria, **kwargs)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"].label = f"Agreed score for {criterion.name}"
        self.order_fields([*(name for name in self.fields if name != "notes"), "notes"])

    def entries(self) -> dict[int, ModerationEntry]:
        return {pk: ModerationEntry(score, reason) for pk, (score, reason) in self._pairs().items()}
