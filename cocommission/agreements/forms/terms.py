"""Forms for an agreement's terms, break clauses, signing and closing. They only parse input:
the rules live in services/terms.py."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet

from cocommission.commissioning.models import Consortium, OpportunityOutcome
from cocommission.core.forms import VersionedFormMixin, search_in_form_field
from cocommission.organisations.models import Organisation
from cocommission.organisations.selectors.search import SEARCH_LENGTH
from cocommission.partnerships.models import Partnership

from ..models import Agreement, BreakClause
from ..selectors.terms import ConsortiumSearch
from ..services.terms import CLOSE_END, CLOSE_TERMINATE, Terms

RECURRING_HELP = "A service people will need year after year, not a one-off project."
SHORT_TERM_HELP = (
    "Needed when a recurring service is agreed for less than the partnership's minimum term "
    "(3 years when there is no partnership). Both parties see it."
)


def _date_field(label: str, what: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": f"Enter the {what}",
            "invalid": f"Enter the {what} as a real date, like 1 4 2026",
        },
    )


def _value_field() -> forms.DecimalField:
    return forms.DecimalField(
        label="Value of the whole term (£)",
        max_digits=14,
        decimal_places=2,
        help_text="At the prices of the start date, before any inflation uplift.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": "Enter the value",
            "invalid": "Enter the value as an amount in pounds, like 90000 or 90000.50",
            "max_digits": "The value is too large",
            "max_whole_digits": "The value is too large",
            "max_decimal_places": "Enter the value in pounds and pence, like 90000.50",
        },
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=[("", "Any status"), *Agreement.Status.choices], required=False)

    def status_chosen(self) -> str:
        return self.cleaned_data["status"] if self.is_valid() else ""


ORGANISATION = "organisation"
CONSORTIUM = "consortium"
PROVIDER_KINDS = [(ORGANISATION, "One organisation"), (CONSORTIUM, "A consortium")]


def provider_kind_of(data: Mapping[str, Any]) -> str:
    """Who the agreement is with, as the search or the agreement form says: one organisation
    unless a consortium was chosen."""
    return CONSORTIUM if data.get("provider_kind") == CONSORTIUM else ORGANISATION


class TermsFields(forms.Form):
    """The terms both creating and changing an agreement ask for."""

    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    scope = forms.CharField(
        label="Scope",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the provider will do: the service and who it is for.",
    )
    value = _value_field()
    start_date = _date_field("Start date", "start date")
    end_date = _date_field("End date", "end date", "The last day of the agreement.")
    recurring = forms.BooleanField(label="This is a recurring service", required=False, help_text=RECURRING_HELP)
    short_term_reason = forms.CharField(
        label="Why is the agreement shorter than the minimum term?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=SHORT_TERM_HELP,
    )
    payment_frequency = forms.ChoiceField(
        label="How often is the provider paid?",
        choices=Agreement.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often the provider is paid"},
    )

    def terms(self) -> Terms:
        data = self.cleaned_data
        return Terms(
            title=data["title"],
            scope=data["scope"],
            value=data["value"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            recurring=bool(data["recurring"]),
            short_term_reason=data["short_term_reason"],
            payment_frequency=data["payment_frequency"],
        )


class AgreementCreateForm(TermsFields):
    """Creating an agreement directly, for a service that already runs, with one organisation
    (`provider`) or a consortium (`consortium`): the form has the field for the one searched for."""

    provider_kind = forms.ChoiceField(
        label="Who is the agreement with?",
        choices=PROVIDER_KINDS,
        widget=forms.RadioSelect,
        required=False,
        help_text="A consortium is organisations that applied together and share the budget and the risk.",
    )
    q = search_in_form_field(
        label="Name of the organisation or consortium",
        hint="Type part of the name, for example 'Riverside'.",
        max_length=SEARCH_LENGTH,
    )
    funder = forms.ModelChoiceField(
        label="Funder",
        queryset=Organisation.objects.none(),
        empty_label="Choose the funder",
        help_text="The statutory organisation that pays for the service.",
        error_messages={"required": "Choose the funder", "invalid_choice": "Choose a funder from the list"},
    )
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Search for the provider by name, then choose it",
            "invalid_choice": "Choose the provider from the search results",
        },
    )
    consortium = forms.ModelChoiceField(
        label="Consortium",
        queryset=Consortium.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="Every member is a party to the agreement and the budget is split by their shares. The lead "
        "is the provider; with no lead, the member that started the consortium's application is.",
        error_messages={
            "required": "Search for the consortium by name, then choose it",
            "invalid_choice": "Choose the consortium from the search results",
        },
    )
    partnership = forms.ModelChoiceField(
        label="Partnership",
        queryset=Partnership.objects.none(),
        required=False,
        empty_label="None",
        help_text="A partnership both organisations belong to. Its minimum term applies to recurring services.",
        error_messages={"invalid_choice": "Choose a partnership from the list"},
    )
    field_order = ["provider_kind", "q", "provider", "consortium", "funder", "partnership"]

    def __init__(
        self,
        *args: Any,
        funders: QuerySet[Organisation],
        providers: QuerySet[Organisation] | None,
        partnerships: QuerySet[Partnership],
        consortia: ConsortiumSearch | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._set_queryset("funder", funders)
        self._set_queryset("partnership", partnerships)
        if len(funders) == 1:
            self.fields["funder"].initial = funders[0]
        self.fields["recurring"].initial = True
        self.fields["payment_frequency"].initial = Agreement.Frequency.QUARTERLY
        if consortia is None:
            del self.fields["consortium"]
            providers = providers if providers is not None else Organisation.objects.none()
            self._set_queryset("provider", providers)
            if not providers:
                self.fields["provider"].help_text = "Search for the provider by name, then choose it here."
        else:
            del self.fields["provider"]
            self.fields["partnership"].help_text = (
                "A partnership both the funder and the consortium's provider belong to. Its minimum term "
                "applies to recurring services."
            )
            self._set_consortia(consortia)

    def _set_consortia(self, consortia: ConsortiumSearch) -> None:
        # Every match is accepted, so one that is not ready is refused with its reasons; only
        # those that are ready are offered.
        self._set_queryset("consortium", consortia.choices)
        field = self.fields["consortium"]
        field.widget.choices = [(option.consortium.pk, option.label) for option in consortia.ready]
        if not consortia.ready:
            field.help_text = "Search for the consortium by name, then choose it here."

    def _set_queryset(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset


class TermsForm(VersionedFormMixin, TermsFields):
    """Changing the terms of an agreement that nobody has signed yet."""

    outcomes = forms.ModelMultipleChoiceField(
        label="Outcomes the agreement is for",
        queryset=OpportunityOutcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The outcomes agreed for the opportunity that this agreement delivers.",
        error_messages={"invalid_choice": "Choose outcomes from the list"},
    )
    field_order = ["title", "scope", "outcomes"]

    def __init__(
        self, *args: Any, instance: Agreement, outcome_choices: QuerySet[OpportunityOutcome], **kwargs: Any
    ) -> None:
        self.instance = instance
        kwargs.setdefault(
            "initial",
            {
                "title": instance.title,
                "scope": instance.scope,
                "value": instance.value,
                "start_date": instance.start_date,
                "end_date": instance.end_date,
                "recurring": instance.recurring,
                "short_term_reason": instance.short_term_reason,
                "payment_frequency": instance.payment_frequency,
                "outcomes": [o.pk for o in instance.outcomes.all()],
            },
        )
        super().__init__(*args, **kwargs)
        if outcome_choices.exists():
            field = self.fields["outcomes"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = outcome_choices
        else:
            del self.fields["outcomes"]

    def chosen_outcomes(self) -> list[OpportunityOutcome] | None:
        """None when the agreement has no outcomes to choose from (nothing to change)."""
        if "outcomes" not in self.fields:
            return None
        return list(self.cleaned_data["outcomes"])


class BreakClauseForm(VersionedFormMixin):
    earliest_date = _date_field(
        "Earliest date the break can take effect", "earliest date", "A date within the agreement's term."
    )
    notice_months = forms.IntegerField(
        label="Notice period in months",
        min_value=1,
        max_value=24,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the notice period in months",
            "invalid": "Enter the notice period as a whole number of months, like 3",
            "min_value": "The notice period must be between 1 and 24 months",
            "max_value": "The notice period must be between 1 and 24 months",
        },
    )
    party = forms.ChoiceField(
        label="Who may use the break clause?",
        choices=BreakClause.Party.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who may use the break clause"},
    )
    conditions = forms.CharField(
        label="Conditions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, 'Only if the service is no longer needed after a review by both parties'.",
    )

    def __init__(self, *args: Any, instance: BreakClause | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "earliest_date": instance.earliest_date,
                    "notice_months": instance.notice_months,
                    "party": instance.party,
                    "conditions": instance.conditions,
                },
            )
        else:
            kwargs.setdefault("initial", {"notice_months": 3, "party": BreakClause.Party.EITHER})
        super().__init__(*args, **kwargs)


class SignForm(forms.Form):
    """Carries the stamp of what the person read, so a changed agreement is not signed unseen."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)


class CloseForm(forms.Form):
    how = forms.ChoiceField(
        label="How is the agreement closing?",
        choices=[
            (CLOSE_END, "It has ended: the term is over, or both parties agreed to end it early"),
            (CLOSE_TERMINATE, "Terminate it: it is being brought to an end under its terms"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the agreement has ended or is being terminated"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when terminating, or when ending before the end date. Both parties see it.",
    )
