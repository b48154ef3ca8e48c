"""Background work of the desk: reminders of followed calls' deadlines."""

from django_tasks import task

from sinergia.desk.services.calls_reminders import call_reminders_send


@task()
def send_deadline_reminders_task() -> int:
    """Remind followers of deadlines 14 and 3 days away (hourly); a repeat or a concurrent run sends nothing twice."""
    return call_reminders_send()
