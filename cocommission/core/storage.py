from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; rewrites ES module imports to their hashed names."""

    support_js_module_import_aggregation = True
