"""Reads for organisations, one module per part of the app."""

from .members import memberships_for_user

__all__ = ["memberships_for_user"]
