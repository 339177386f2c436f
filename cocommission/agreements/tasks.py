"""Background work for agreements: the daily end-of-funding warnings.

`send_ending_warnings` runs once a day on the database task worker (`manage.py db_worker`):
it sends the warnings due today, then queues its own next run for tomorrow morning unless a
run is already waiting. `manage.py schedule_daily_tasks` starts the chain.
"""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .services import renewals, variation_emails

# The daily run happens early, before people start work.
DAILY_AT = datetime.time(6, 0)


@task()
def send_ending_warnings(*, today: str = "", reschedule: bool = True) -> int:
    """Send the warnings due on `today` (ISO date; default today). Returns how many were sent."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    sent = renewals.send_ending_warnings(today=day)
    if reschedule:
        schedule_next_run()
    return len(sent)


@task()
def email_ending_warning_task(*, notice_id: int, base_url: str = "") -> int:
    """Email one end-of-funding warning to everyone it is for. Returns how many were sent."""
    return renewals.email_ending_warning(notice_id=notice_id, base_url=base_url)


@task()
def email_variation_proposed_task(*, variation_id: int, base_url: str = "") -> int:
    """Tell the other side that a variation waits for its approval. Returns how many were emailed."""
    return variation_emails.email_variation_proposed(variation_id=variation_id, base_url=base_url)


def _waiting() -> bool | None:
    """Whether a run of the daily job is already queued, or None when the backend cannot say."""
    backend = send_ending_warnings.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    return DBTaskResult.objects.filter(
        task_path=send_ending_warnings.module_path, status=TaskResultStatus.READY, backend_name=backend.alias
    ).exists()


def next_run_time(now: datetime.datetime | None = None) -> datetime.datetime:
    """Tomorrow at 6am, local time."""
    local = timezone.localtime(now or timezone.now())
    tomorrow = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), DAILY_AT)
    return timezone.make_aware(tomorrow)


def schedule_next_run() -> bool:
    """Queue tomorrow's run unless one is waiting. Only the database backend keeps tasks for
    later; with any other (the immediate backend the tests use) nothing is queued. Returns whether a run was queued."""
    if _waiting() is not False:
        return False
    send_ending_warnings.using(run_after=next_run_time()).enqueue()
    return True


def start_daily_tasks() -> bool:
    """Queue a run now unless one is waiting (with a backend that cannot tell, always)."""
    if _waiting():
        return False
    send_ending_warnings.enqueue()
    return True
