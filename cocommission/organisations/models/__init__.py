from .membership import Invitation, Membership
from .organisation import Area, IncomeBand, Organisation
from .passport import PassportDocument
from .timeline import Interaction

__all__ = ["Area", "IncomeBand", "Interaction", "Invitation", "Membership", "Organisation", "PassportDocument"]
