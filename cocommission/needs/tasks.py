"""Background work for needs: importing large indicator files on the task worker
(`manage.py db_worker`), so the upload page can show their progress."""

from django_tasks import task

from .services import indicators


@task()
def import_indicators_task(*, import_id: int, demo: bool = False) -> str:
    """Check and import one waiting indicator file. Returns its status afterwards ("" when it
    was not waiting: already run, or running elsewhere)."""
    record = indicators.run_import(import_id=import_id, demo=demo)
    return record.status if record is not None else ""
