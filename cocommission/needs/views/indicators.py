"""Population indicator pages: the list, an indicator's chart and table, uploading a CSV file,
its sample, and an import's progress. Thin: load through permissions, call a selector or a
service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import apply_validation_error
from cocommission.core.pagination import paginate
from cocommission.partnerships.permissions import access_partnership

from .. import indicator_csv
from ..forms.indicators import IndicatorCompareForm, IndicatorUploadForm
from ..models import IndicatorImport
from ..permissions import access_indicator, access_indicator_import, can_import, ensure_can_import
from ..selectors import indicators as selectors
from ..services import indicators as services


@login_required
@require_GET
def indicator_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    page = paginate(request, selectors.indicator_list(partnership))
    return render(
        request,
        "needs/indicator_list.html",
        {"partnership": partnership, "page_obj": page, "can_import": can_import(user, partnership)},
    )


@login_required
@require_GET
def indicator_detail(request: HttpRequest, slug: str, indicator_slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    indicator = access_indicator(user=user, partnership=partnership, slug=indicator_slug)
    values = selectors.indicator_values(indicator)
    places, periods = selectors.places_and_periods(values)
    form = IndicatorCompareForm(
        request.GET or None,
        places=places,
        periods=periods,
        initial={"place": [code for code, _name in places[: selectors.DEFAULT_PLACES]]},
    )
    view = selectors.indicator_view(indicator, values, **form.choice())
    return render(
        request,
        "needs/indicator_detail.html",
        {"partnership": partnership, "indicator": indicator, "view": view, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_upload(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    ensure_can_import(user, partnership)
    max_bytes = services.max_bytes()
    if request.method == "POST":
        form = IndicatorUploadForm(request.POST, request.FILES, max_bytes=max_bytes)
        if form.is_valid():
            try:
                record = services.start_import(actor=user, partnership=partnership, upload=form.cleaned_data["file"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                if record.status == IndicatorImport.Status.DONE:
                    messages.success(request, f"{record.imported_rows:,} values imported from {record.original_name}.")
                return redirect("needs:indicator_import", slug=partnership.slug, pk=record.pk)
    else:
        form = IndicatorUploadForm(max_bytes=max_bytes)
    return render(
        request,
        "needs/indicator_upload.html",
        {
            "partnership": partnership,
            "form": form,
            "columns": [(name, indicator_csv.COLUMN_HELP[name]) for name in indicator_csv.COLUMNS],
            "imports": selectors.recent_imports(partnership),
            "inline_rows": services.INLINE_ROWS,
        },
    )


@login_required
@require_GET
def indicator_sample(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    ensure_can_import(user, partnership)
    response = HttpResponse(indicator_csv.SAMPLE_CSV, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="indicators-sample.csv"'
    return response


@login_required
@require_GET
def indicator_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user = user_of(request)
    partnership = access_partnership(user=user, slug=slug, action="view")
    record = access_indicator_import(user=user, partnership=partnership, pk=pk)
    # htmx asks for the progress panel alone every 2 seconds while the file is being checked.
    partial = request.headers.get("HX-Request") == "true"
    template = "needs/indicator_import_progress.html" if partial else "needs/indicator_import.html"
    return render(
        request,
        template,
        {"partnership": partnership, "record": record, "progress": selectors.import_progress(record)},
    )
