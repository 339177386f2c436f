"""Permission-matrix cases for decision moments and the policy watch.

Members (and pat, who sees every partnership) read decisions and policies; coordinators open,
close and resolve objections, and keep the policy watch. Responding is a POST (405 on a GET).
Another partnership's moment or policy under this partnership's address is not found.
"""

from typing import Any

from cocommission.accounts.models import User
from cocommission.deciding.models import DecisionMoment
from cocommission.deciding.services.moments import open_moment, respond
from cocommission.needs.tests.factories import PolicyFactory

from .common import COORDINATORS, MEMBERS, POST_ONLY, Case, TogetherWorld, extra, o

D = "deciding:"
N = "needs:"
HIDDEN = o("login", 404, 404, 404, 404, 404, 404, 404)
# needs.permissions checks the action before looking the policy up: only a coordinator learns it is not there.
NOT_YOURS_TO_REVIEW = o("login", 403, 403, 403, 404, 403, 403, 403)


def build(w: TogetherWorld) -> None:
    """An open consent decision with lena's objection, another partnership's decision, a policy,
    and another partnership's policy."""
    cora = User.objects.get(email="cora@example.org")
    lena = User.objects.get(email="lena@example.org")
    moment = open_moment(
        actor=cora,
        partnership=w.partnership,
        subject=DecisionMoment.Subject.DESIGN,
        title="Design of the recovery café",
        question="Peer-led?",
        method=DecisionMoment.Method.CONSENT,
        proposal="A peer-led recovery café",
    )
    w.extra["moment"] = moment
    w.extra["objection"] = respond(actor=lena, moment=moment, position="object", reason="Who trains the peers?")
    w.extra["moment_elsewhere"] = open_moment(
        actor=None,
        partnership=w.other_partnership,
        subject=DecisionMoment.Subject.FUNDING,
        title="Elsewhere",
        question="?",
        method=DecisionMoment.Method.BALANCED_VOTE,
        options=["Yes", "No"],
    )
    w.extra["policy"] = PolicyFactory.create(partnership=w.partnership)
    w.extra["policy_elsewhere"] = PolicyFactory.create(partnership=w.other_partnership)


def objection(w: TogetherWorld) -> dict[str, Any]:
    return {"slug": w.partnership.slug, "pk": w.extra["moment"].pk, "response_pk": w.extra["objection"].pk}


def slug(w: TogetherWorld) -> dict[str, Any]:
    return {"slug": w.partnership.slug}


MATRIX: dict[str, list[Case]] = {
    D + "moment_list": [Case("members", slug, MEMBERS)],
    D + "moment_new": [Case("coordinators", slug, COORDINATORS)],
    D + "moment_detail": [
        Case("members", extra("moment"), MEMBERS),
        Case("another partnership's", extra("moment_elsewhere"), HIDDEN),
    ],
    D + "moment_respond": [Case("a POST", extra("moment"), POST_ONLY)],
    D + "moment_close": [
        Case("coordinators", extra("moment"), COORDINATORS),
        Case("another partnership's", extra("moment_elsewhere"), HIDDEN),
    ],
    D + "moment_objection": [Case("coordinators", objection, COORDINATORS)],
    N + "policy_list": [Case("members", slug, MEMBERS)],
    N + "policy_new": [Case("coordinators", slug, COORDINATORS)],
    N + "policy_detail": [
        Case("members", extra("policy"), MEMBERS),
        Case("another partnership's", extra("policy_elsewhere"), HIDDEN),
    ],
    N + "policy_edit": [Case("coordinators", extra("policy"), COORDINATORS)],
    N + "policy_review": [
        Case("coordinators", extra("policy"), COORDINATORS),
        Case("another partnership's", extra("policy_elsewhere"), NOT_YOURS_TO_REVIEW),
    ],
}
