"""Forms for opportunities and their parts. They only parse input: the rules live in services."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from cocommission.core.forms import VersionedFormMixin, search_in_form_field
from cocommission.needs.models import Priority
from cocommission.needs.selectors.priorities import agreed_priorities
from cocommission.organisations.models import Area, IncomeBand, Organisation
from cocommission.partnerships.models import Partnership

from ..models import Criterion, Opportunity, OpportunityOutcome, Question
from ..routes import PSR_ROUTES, KeyCriterion, Route, State
from ..selectors.directory import SEARCH_LENGTH
from ..services.opportunities import OpportunityDetails

# Applications close at one of these times (UK time) on the closing date. Midnight is avoided on
# purpose: people read "closes 4 March, midnight" as the night of the 4th or of the 3rd.
CLOSING_TIMES = [("12:00", "Midday"), ("17:00", "5pm"), ("23:59", "11:59pm")]
DEFAULT_CLOSING_TIME = "23:59"
ROUTE_DEFAULT, YES, NO = "", "yes", "no"
PROVIDER_HELP = "Only for Direct Award A, B and C and Most Suitable Provider. Choose none for open calls."
NO_PROVIDERS_HELP = (
    "Only for Direct Award A, B and C and Most Suitable Provider: search for the provider by name, "
    "then choose it here. Choose none for open calls."
)


def _money_field(label: str, what: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter the {what}",
            "invalid": f"Enter the {what} as an amount in pounds, like 10000 or 10000.50",
            "max_digits": f"The {what} is too large",
            "max_decimal_places": f"Enter the {what} in pounds and pence, like 10000.50",
            "max_whole_digits": f"The {what} is too large",
        },
    )


def _count_field(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter a whole number, like 3", "min_value": "The number cannot be negative"},
    )


def _date_field(label: str, what: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": f"Enter the {what} as a real date, like 27 3 2026"},
    )


class PriorityChoiceField(forms.ModelChoiceField):
    """Agreed priorities, named with their partnership when the choice spans several."""

    with_partnership = False

    def label_from_instance(self, obj: Priority) -> str:
        return f"{obj.partnership.name}: {obj.title}" if self.with_partnership else obj.title


class OpportunityForm(VersionedFormMixin, forms.Form):
    """Opening an opportunity (with `funders`) or changing a draft one (with `instance`)."""

    funder = forms.ModelChoiceField(
        label="Funder",
        queryset=Organisation.objects.none(),
        empty_label="Choose the funder",
        help_text="The statutory organisation that holds the budget.",
        error_messages={"required": "Choose the funder", "invalid_choice": "Choose a funder from the list"},
    )
    partnership = forms.ModelChoiceField(
        label="Partnership",
        queryset=Partnership.objects.none(),
        required=False,
        empty_label="None: the funder opens it on its own",
        help_text="Partners can propose the outcomes sought, and the partnership's coordinator can manage it.",
        error_messages={"invalid_choice": "Choose a partnership from the list"},
    )
    priority = PriorityChoiceField(
        label="The partnership priority it serves",
        queryset=Priority.objects.none(),
        required=False,
        empty_label="None",
        help_text="One of the partnership's agreed priorities. Partners and applicants see which need it meets.",
        error_messages={"invalid_choice": "Choose a priority from the list"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    problem = forms.CharField(
        label="The problem to solve",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Describe the problem and who it affects, not the method. Applicants propose how to solve it.",
        error_messages={"required": "Describe the problem to solve and who it affects"},
    )
    total_budget = _money_field("Total budget", "total budget")
    max_award = _money_field(
        "Maximum per award",
        "maximum per award",
        "The most one award can be. It sets how much applicants can be asked to write.",
    )
    term_years = forms.IntegerField(
        label="Term in years",
        min_value=1,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the term in years",
            "invalid": "Enter the term as a whole number of years, like 3",
            "min_value": "The term must be at least 1 year",
        },
    )
    eligible_kinds = forms.MultipleChoiceField(
        label="Kinds of organisation that can apply",
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if any kind can apply.",
    )
    eligible_income_bands = forms.MultipleChoiceField(
        label="Sizes of organisation that can apply, by annual income",
        choices=[c for c in IncomeBand.choices if c[0] != IncomeBand.UNKNOWN],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if any size can apply.",
    )
    eligible_areas = forms.ModelMultipleChoiceField(
        label="Areas applicants must serve",
        queryset=Area.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if organisations from anywhere can apply.",
    )
    opens_on = _date_field("Opening date", "opening date", "Needed before the opportunity can open.")
    closes_on = _date_field("Closing date", "closing date", "Needed before the opportunity can open.")
    closes_time = forms.ChoiceField(
        label="Closing time on the closing date (UK time)",
        choices=CLOSING_TIMES,
        initial=DEFAULT_CLOSING_TIME,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a closing time from the list"},
    )
    decision_by = _date_field("Decision by", "decision date", "When applicants will hear the decision.")
    route = forms.ChoiceField(
        label="Route",
        choices=Route.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a route", "invalid_choice": "Choose a route"},
    )
    route_reason = forms.CharField(
        label="Why this route",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Explain why the route fits the service and the providers. Applicants and the public see this.",
        error_messages={"required": "Explain why this route fits the service and the providers"},
    )
    q = search_in_form_field(
        label="Find the provider being assessed",
        hint="Only for Direct Award A, B and C and Most Suitable Provider. Type part of the organisation's name.",
        max_length=SEARCH_LENGTH,
    )
    named_provider = forms.ModelChoiceField(
        label="Provider being assessed",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        blank=True,
        empty_label="None: this is an open call",
        help_text=PROVIDER_HELP,
        error_messages={"invalid_choice": "Choose the provider from the search results"},
    )
    cpv_code = forms.CharField(
        label="CPV code",
        max_length=12,
        required=False,
        help_text="Needed for Provider Selection Regime routes: 8 digits, a dash and a check digit, like 85000000-9.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    lived_experience = forms.ChoiceField(
        label="Must the panel include someone with lived experience?",
        choices=[
            (ROUTE_DEFAULT, "Use the route's default: yes for grants and alliances, no for the others"),
            (YES, "Yes"),
            (NO, "No"),
        ],
        required=False,
        initial=ROUTE_DEFAULT,
        widget=forms.RadioSelect,
    )
    max_questions = _count_field(
        "Most questions applicants can be asked",
        "Leave empty for the most the value band allows (see the table above).",
    )
    word_limit = _count_field("Total word limit across all questions", "Leave empty for the most the band allows.")
    extra_documents = _count_field(
        "Documents beyond the passport",
        "Passport documents (governing document, accounts, policies, insurance) are attached automatically. "
        "Leave empty for the most the band allows.",
    )

    def __init__(
        self,
        *args: Any,
        instance: Opportunity | None = None,
        funders: QuerySet[Organisation] | None = None,
        partnerships: QuerySet[Partnership] | None = None,
        providers: QuerySet[Organisation] | None = None,
        search: str = "",
        found: str = "",
        **kwargs: Any,
    ) -> None:
        """`providers`: the directory search results (never the whole directory), with a draft's
        current provider; `search`: the text searched for, shown in the search box `q`; `found`: a
        sentence saying what the search found, shown as the provider question's hint."""
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(instance)
        super().__init__(*args, **kwargs)
        self.initial["q"] = search
        if not Area.objects.exists():
            del self.fields["eligible_areas"]
        provider_field = self.fields["named_provider"]
        assert isinstance(provider_field, forms.ModelChoiceField)
        provider_field.queryset = providers if providers is not None else Organisation.objects.none()
        if found:
            provider_field.help_text = f"{found} Choose one, or none for an open call."
        elif not provider_field.queryset.exists():
            provider_field.help_text = NO_PROVIDERS_HELP
        if instance is not None:
            # The funder and partnership decide who manages it; they are fixed once it exists.
            del self.fields["funder"], self.fields["partnership"]
            self.fields["lived_experience"].choices = [(YES, "Yes"), (NO, "No")]  # type: ignore[attr-defined]
            for name in ("max_questions", "word_limit", "extra_documents"):
                self.fields[name].required = True
                self.fields[name].help_text = "At most what the value band allows (see the table above)."
            self.fields["max_questions"].error_messages["required"] = "Enter the most questions applicants can be asked"
            self.fields["word_limit"].error_messages["required"] = "Enter the total word limit"
            self.fields["extra_documents"].error_messages["required"] = "Enter the number of documents, or 0"
            closing = self.initial.get("closes_time")
            if closing and closing not in dict(CLOSING_TIMES):
                self.fields["closes_time"].choices = [*CLOSING_TIMES, (closing, closing)]  # type: ignore[attr-defined]
            partnership_ids = [instance.partnership_id] if instance.partnership_id else []
            self._offer_priorities(agreed_priorities(partnership_ids, keep=instance.priority_id), several=False)
            return
        funder_field = self.fields["funder"]
        partnership_field = self.fields["partnership"]
        assert isinstance(funder_field, forms.ModelChoiceField)
        assert isinstance(partnership_field, forms.ModelChoiceField)
        funder_field.queryset = funders if funders is not None else Organisation.objects.none()
        partnership_field.queryset = partnerships if partnerships is not None else Partnership.objects.none()
        if funders is not None and funders.count() == 1:
            self.fields["funder"].initial = funders.first()
        partnership_ids = list(partnership_field.queryset.values_list("pk", flat=True))
        self._offer_priorities(agreed_priorities(partnership_ids), several=len(partnership_ids) > 1)

    def _offer_priorities(self, priorities: QuerySet[Priority], *, several: bool) -> None:
        """Only opportunities of a partnership with agreed priorities are asked which they serve."""
        field = self.fields["priority"]
        assert isinstance(field, PriorityChoiceField)
        if not priorities.exists():
            del self.fields["priority"]
            return
        field.queryset = priorities
        field.with_partnership = several

    def closes_at(self) -> datetime.datetime | None:
        day = self.cleaned_data.get("closes_on")
        if not day:
            return None
        hours, minutes = (
            int(part) for part in (self.cleaned_data.get("closes_time") or DEFAULT_CLOSING_TIME).split(":")
        )
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hours, minutes)))

    def details(self) -> OpportunityDetails:
        data = self.cleaned_data
        lived = {YES: True, NO: False}.get(data.get("lived_experience") or ROUTE_DEFAULT)
        return OpportunityDetails(
            title=data["title"],
            problem=data["problem"],
            total_budget=data["total_budget"],
            max_award=data["max_award"],
            route=data["route"],
            route_reason=data["route_reason"],
            term_years=data["term_years"],
            eligible_kinds=data["eligible_kinds"],
            eligible_income_bands=data["eligible_income_bands"],
            eligible_areas=list(data.get("eligible_areas") or []),
            opens_on=data["opens_on"],
            closes_at=self.closes_at(),
            decision_by=data["decision_by"],
            named_provider=data["named_provider"],
            cpv_code=data["cpv_code"],
            lived_experience_on_panel=lived,
            max_questions=data["max_questions"],
            word_limit=data["word_limit"],
            extra_documents=data["extra_documents"],
            priority=data.get("priority"),
        )


def initial_from(opportunity: Opportunity) -> dict[str, Any]:
    closes = timezone.localtime(opportunity.closes_at) if opportunity.closes_at else None
    return {
        "title": opportunity.title,
        "problem": opportunity.problem,
        "total_budget": opportunity.total_budget,
        "max_award": opportunity.max_award,
        "term_years": opportunity.term_years,
        "eligible_kinds": opportunity.eligible_kinds,
        "eligible_income_bands": opportunity.eligible_income_bands,
        "eligible_areas": list(opportunity.eligible_areas.all()),
        "opens_on": opportunity.opens_on,
        "closes_on": closes.date() if closes else None,
        "closes_time": closes.strftime("%H:%M") if closes else DEFAULT_CLOSING_TIME,
        "decision_by": opportunity.decision_by,
        "route": opportunity.route,
        "route_reason": opportunity.route_reason,
        "named_provider": opportunity.named_provider,
        "cpv_code": opportunity.cpv_code,
        "lived_experience": YES if opportunity.lived_experience_on_panel else NO,
        "max_questions": opportunity.max_questions,
        "word_limit": opportunity.word_limit,
        "extra_documents": opportunity.extra_documents,
        "priority": opportunity.priority_id,
    }


class OpportunityFilterForm(forms.Form):
    route = forms.ChoiceField(label="Route", choices=[("", "Any route"), *Route.choices], required=False)
    state = forms.ChoiceField(label="State", choices=[("", "Any state"), *State.choices], required=False)
    mine = forms.BooleanField(label="Only opportunities I manage or help design", required=False)

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not signed_in:
            del self.fields["mine"]
            state_field = self.fields["state"]
            assert isinstance(state_field, forms.ChoiceField)
            state_field.choices = [("", "Any state"), *(c for c in State.choices if c[0] != State.DRAFT)]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {
            "route": self.cleaned_data["route"],
            "state": self.cleaned_data["state"],
            "mine": bool(self.cleaned_data.get("mine")),
        }


class CriterionForm(forms.Form):
    name = forms.CharField(
        label="Criterion", max_length=200, error_messages={"required": "Enter the name of the criterion"}
    )
    description = forms.CharField(
        label="What the panel looks for",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Plain English: applicants read this to know how they will be scored.",
    )
    weight = forms.IntegerField(
        label="Weight (%)",
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        help_text="The weights of all the criteria add up to 100%.",
        error_messages={
            "required": "Enter the weight as a percentage",
            "invalid": "Enter the weight as a whole number, like 25",
            "min_value": "The weight must be between 1% and 100%",
            "max_value": "The weight must be between 1% and 100%",
        },
    )
    key_criterion = forms.ChoiceField(
        label="Which of the five key criteria does it assess?",
        choices=KeyCriterion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the key criterion this criterion assesses"},
    )

    def __init__(self, *args: Any, opportunity: Opportunity, instance: Criterion | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "description": instance.description,
                "weight": instance.weight,
                "key_criterion": instance.key_criterion,
            }
        super().__init__(*args, **kwargs)
        if opportunity.route not in PSR_ROUTES:
            del self.fields["key_criterion"]


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the question", "max_length": "The question must be 500 characters or fewer"},
    )
    guidance = forms.CharField(
        label="Guidance for applicants",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What a good answer covers. Keep it short.",
    )
    word_limit = forms.IntegerField(
        label="Word limit",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the word limit for this question",
            "invalid": "Enter the word limit as a whole number, like 150",
            "min_value": "The word limit must be at least 1 word",
        },
    )

    def __init__(self, *args: Any, instance: Question | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "text": instance.text,
                "guidance": instance.guidance,
                "word_limit": instance.word_limit,
            }
        super().__init__(*args, **kwargs)


class OutcomeForm(forms.Form):
    text = forms.CharField(
        label="Outcome sought",
        max_length=300,
        help_text="A change in people's lives, not a service or an activity. For example, "
        "'Carers say they have time for themselves'.",
        error_messages={
            "required": "Enter the outcome sought",
            "max_length": "The outcome must be 300 characters or fewer",
        },
    )

    def __init__(self, *args: Any, instance: OpportunityOutcome | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"text": instance.text}
        super().__init__(*args, **kwargs)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling it?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Applicants and partners see this reason. It is kept in the change history.",
        error_messages={"required": "Enter the reason for cancelling"},
    )
