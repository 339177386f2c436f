"""Finding an organisation in the directory by name. The invite page shows a small search form
above its one-question form, with its own ids: the main form carries the same text in a hidden
field `q`, so a page shown again with errors offers the same results. (The opportunity form,
which has much more to lose, searches inside the form instead: core.forms.SearchInForm.)"""

from django import forms
from django.http import HttpRequest

from ..selectors.directory import SEARCH_LENGTH, clean_search


def searched_for(request: HttpRequest) -> str:
    """The text searched for: from the main form when it was posted, otherwise from the search."""
    source = request.POST if request.method == "POST" else request.GET
    return clean_search(str(source.get("q") or ""))


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label="Organisation's name",
        max_length=SEARCH_LENGTH,
        required=False,
        help_text="Search the directory by name, for example 'Food Bank'. The funder and organisations already "
        "in the consortium are not shown.",
    )


def search_form(form_class: type[forms.Form], text: str) -> forms.Form:
    """The search form showing `text`, with ids apart from the main form's hidden `q`."""
    return form_class({"q": text}, auto_id="search_%s")
