"""One paginator for every list page: a bad page number shows the first or last page."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int | None = None, *, param: str = "page") -> Page:
    """One page of `queryset`, numbered by the query parameter `param` (a page with two lists
    gives each its own)."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get(param))
