"""Reads for agreements, one module per part of the agreement page."""
