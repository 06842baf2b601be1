from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import WorkerHeartbeat


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def worker_is_up() -> bool:
    """True when at least one worker has stamped its heartbeat recently."""
    try:
        horizon = timezone.now() - timedelta(seconds=settings.WORKER_STALE_AFTER_SECONDS)
        return WorkerHeartbeat.objects.filter(last_seen__gte=horizon).exists()
    except Exception:
        return False


def stuck_task_count() -> int:
    """Tasks past their lease (see ops.recovery.stuck_tasks)."""
    from .recovery import stuck_tasks

    try:
        return stuck_tasks()
    except Exception:
        return 0


def mail_sink_is_up() -> bool | None:
    """Whether this instance's mail sink answers; None when mail goes to a real relay."""
    if not settings.MAIL_SINK_IDENT:
        return None
    from .mailsink import sink_answers

    options = settings.MAILERS["default"]["OPTIONS"]
    return sink_answers(options["host"], options["port"], settings.MAIL_SINK_IDENT)
