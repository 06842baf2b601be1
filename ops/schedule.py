"""Daily background work, started by the workers themselves (no cron needed).

Each task in settings.DAILY_TASKS is a django.tasks task taking the day as an ISO date.
Once the local time passes settings.DAILY_TASKS_HOUR, the first worker to notice records
the day's run and enqueues the task; the others see the record and do nothing.
"""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import DailyTaskRun


def enqueue_due_daily_tasks(now: datetime | None = None) -> list[str]:
    """Enqueue today's run of every daily task not yet enqueued; return their paths."""
    now = timezone.localtime(now)
    if now.hour < settings.DAILY_TASKS_HOUR:
        return []
    day = now.date()
    enqueued = []
    for path in settings.DAILY_TASKS:
        if DailyTaskRun.objects.filter(task_path=path, day=day).exists():
            continue
        try:
            with transaction.atomic():
                DailyTaskRun.objects.create(task_path=path, day=day)
                task = import_string(path)
                transaction.on_commit(lambda task=task: task.enqueue(day.isoformat()))
        except IntegrityError:
            continue  # another worker got there first
        enqueued.append(path)
    return enqueued
