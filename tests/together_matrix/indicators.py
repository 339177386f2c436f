"""Permission-matrix cases for the population indicator and priority pages.

The world adds an indicator and an import to the partnership, a priority bob proposed, an
agreed priority, and another partnership's indicator, import and priority (asked for under this
partnership's address, so the partnership check passes and the object check must refuse).
"""

from typing import Any

from django.core.files.base import ContentFile

from cocommission.needs.models import IndicatorImport, Priority
from cocommission.needs.tests.factories import IndicatorFactory, IndicatorValueFactory, PriorityFactory

from .common import COORDINATORS, MEMBERS, Case, TogetherWorld, o, slug

# Coordinators and platform admins import indicator files.
IMPORTERS = o("login", 403, 403, 403, 200, 403, 200, 403)
# Another partnership's object asked for under this partnership's address.
HIDDEN = o("login", 404, 404, 404, 404, 404, 404, 404)
# Importers are told it is not there; everyone else that they may not import at all.
HIDDEN_IMPORT = o("login", 403, 403, 403, 404, 403, 404, 403)
# bob proposed it: while it is proposed, he and the coordinators change it.
PROPOSER = o("login", 403, 200, 403, 200, 403, 403, 403)


def _import(partnership: Any) -> IndicatorImport:
    record = IndicatorImport(partnership=partnership, original_name="values.csv", total_rows=1)
    record.file.save("values.csv", ContentFile(b"indicator\n"), save=False)
    record.save()
    return record


def build(w: TogetherWorld) -> None:
    """Add this part's objects to the world (w.extra[...])."""
    from cocommission.accounts.models import User

    bob = User.objects.get(email="bob@example.org")
    indicator = IndicatorFactory.create(partnership=w.partnership, slug="loneliness")
    IndicatorValueFactory.create(indicator=indicator, period="2023")
    w.extra["indicator"] = indicator
    w.extra["indicator_import"] = _import(w.partnership)
    w.extra["outsider_indicator"] = IndicatorFactory.create(partnership=w.other_partnership, slug="theirs")
    w.extra["outsider_import"] = _import(w.other_partnership)
    w.extra["bobs_priority"] = PriorityFactory.create(partnership=w.partnership, created_by=bob)
    w.extra["agreed_priority"] = PriorityFactory.create(partnership=w.partnership, status=Priority.Status.AGREED)
    w.extra["outsider_priority"] = PriorityFactory.create(partnership=w.other_partnership)


def indicator(name: str) -> Any:
    return lambda w: {"slug": w.partnership.slug, "indicator_slug": w.extra[name].slug}


def obj(name: str) -> Any:
    return lambda w: {"slug": w.partnership.slug, "pk": w.extra[name].pk}


MATRIX: dict[str, list[Case]] = {
    "needs:indicator_list": [Case("list", slug, MEMBERS)],
    "needs:indicator_detail": [
        Case("ours", indicator("indicator"), MEMBERS),
        Case("another partnership's", indicator("outsider_indicator"), HIDDEN),
    ],
    "needs:indicator_upload": [Case("upload", slug, IMPORTERS)],
    "needs:indicator_sample": [Case("sample", slug, IMPORTERS)],
    "needs:indicator_import": [
        Case("ours", obj("indicator_import"), IMPORTERS),
        Case("another partnership's", obj("outsider_import"), HIDDEN_IMPORT),
    ],
    "needs:priority_list": [Case("list", slug, MEMBERS)],
    "needs:priority_propose": [Case("propose", slug, MEMBERS)],
    "needs:priority_detail": [
        Case("proposed", obj("bobs_priority"), MEMBERS),
        Case("another partnership's", obj("outsider_priority"), HIDDEN),
    ],
    "needs:priority_edit": [
        Case("proposed by bob", obj("bobs_priority"), PROPOSER),
        Case("agreed", obj("agreed_priority"), COORDINATORS),
        Case("another partnership's", obj("outsider_priority"), HIDDEN),
    ],
    "needs:priority_evidence": [
        Case("proposed by bob", obj("bobs_priority"), PROPOSER),
        Case("agreed", obj("agreed_priority"), COORDINATORS),
        Case("another partnership's", obj("outsider_priority"), HIDDEN),
    ],
    "needs:priority_agree": [
        Case("proposed", obj("bobs_priority"), COORDINATORS),
        Case("another partnership's", obj("outsider_priority"), o("login", 403, 403, 403, 404, 403, 403, 403)),
    ],
    "needs:priority_retire": [
        Case("agreed", obj("agreed_priority"), COORDINATORS),
        Case("another partnership's", obj("outsider_priority"), o("login", 403, 403, 403, 404, 403, 403, 403)),
    ],
}
