"""Background work for deciding: the monthly horizon scan.

`horizon_scan` runs on the first of each month on the database task worker
(`manage.py db_worker`): it adds a horizon scan to each partnership's next meeting, then queues
its own next run for the first of next month unless one is already waiting.
`manage.py schedule_daily_tasks` starts the chain, alongside the daily agreements job.
"""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .services.horizon import run_horizon_scans

# Early on the first of the month, before anyone starts work.
MONTHLY_AT = datetime.time(6, 0)


@task()
def horizon_scan(*, today: str = "", reschedule: bool = True) -> int:
    """Add this month's horizon scans (as of `today`, an ISO date; default today). Returns how
    many agenda items were added."""
    day = datetime.date.fromisoformat(today) if today else None
    added = run_horizon_scans(today=day)
    if reschedule:
        schedule_next_run()
    return len(added)


def _waiting() -> bool | None:
    """Whether a run is already queued, or None when the backend cannot say."""
    backend = horizon_scan.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    return DBTaskResult.objects.filter(
        task_path=horizon_scan.module_path, status=TaskResultStatus.READY, backend_name=backend.alias
    ).exists()


def next_run_time(now: datetime.datetime | None = None) -> datetime.datetime:
    """The first of next month at 6am, local time."""
    local = timezone.localtime(now or timezone.now())
    first = local.date().replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    return timezone.make_aware(datetime.datetime.combine(next_month, MONTHLY_AT))


def schedule_next_run() -> bool:
    """Queue next month's run unless one is waiting. Only the database backend keeps tasks for
    later; with any other (the immediate backend the tests use) nothing is queued. Returns
    whether a run was queued."""
    if _waiting() is not False:
        return False
    horizon_scan.using(run_after=next_run_time()).enqueue()
    return True


def start_monthly_tasks() -> bool:
    """Queue a run now unless one is waiting (with a backend that cannot tell, always). A run
    now adds nothing twice: each partnership gets one scan a month."""
    if _waiting():
        return False
    horizon_scan.enqueue()
    return True
