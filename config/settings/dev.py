"""The demo and local development: SQLite, console email, MFA optional unless asked for."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# A newcomer can look around without setting up an authenticator app first.
COCOMMISSION_MFA_REQUIRED = env_bool("COCOMMISSION_MFA_REQUIRED", False)
