"""Forms for organisation pages, one module per part of the app."""
