from django import forms
from django.test import RequestFactory

from cocommission.core.pagination import paginate


class ExampleForm(forms.Form):
    name = forms.CharField(label="Organisation name", help_text="As it appears on your governing document.")
    kind = forms.ChoiceField(
        label="Kind", choices=[("vcse", "VCSE"), ("statutory", "Statutory")], widget=forms.RadioSelect
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    agree = forms.BooleanField(label="I agree")


def test_a_form_with_errors_renders_the_govuk_error_summary_and_field_errors():
    form = ExampleForm(data={"notes": "kept"})
    html = str(form)
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<a href="#id_kind_0">' in html  # radios link to the first option
    assert 'id="id_name-error" class="govuk-error-message"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert "govuk-input--error" in html
    assert "govuk-radios__input" in html
    assert "kept</textarea>" in html  # typed text is kept
    assert "Notes (optional)" in html


def test_a_valid_form_has_no_error_summary():
    form = ExampleForm(data={"name": "Riverside", "kind": "vcse", "agree": "on"})
    assert form.is_valid()
    assert "govuk-error-summary" not in str(form)


def test_pagination_shows_the_last_page_for_a_page_number_past_the_end():
    request = RequestFactory().get("/?page=99")
    page = paginate(request, list(range(45)), per_page=20)  # type: ignore[arg-type]
    assert page.number == 3
    request = RequestFactory().get("/?page=rubbish")
    assert paginate(request, list(range(45)), per_page=20).number == 1  # type: ignore[arg-type]
