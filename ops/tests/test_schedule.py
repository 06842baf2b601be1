from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.models import DBTaskResult

from ops.models import DailyTaskRun
from ops.schedule import enqueue_due_daily_tasks

pytestmark = pytest.mark.django_db(transaction=True)

UTC = ZoneInfo("UTC")


def test_the_daily_notifications_are_enqueued_once_a_day_after_the_hour(settings):
    settings.DAILY_TASKS_HOUR = 6
    settings.DAILY_TASKS = ["notifications.tasks.send_daily_notifications"]
    assert enqueue_due_daily_tasks(datetime(2026, 3, 2, 5, 59, tzinfo=UTC)) == []
    assert DBTaskResult.objects.count() == 0

    assert enqueue_due_daily_tasks(datetime(2026, 3, 2, 6, 1, tzinfo=UTC)) == [
        "notifications.tasks.send_daily_notifications"
    ]
    # A second worker, or the same one a few seconds later, enqueues nothing more.
    assert enqueue_due_daily_tasks(datetime(2026, 3, 2, 6, 2, tzinfo=UTC)) == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "notifications.tasks.send_daily_notifications"
    assert queued.args_kwargs["args"] == ["2026-03-02"]
    assert DailyTaskRun.objects.count() == 1


def test_the_next_day_gets_its_own_run(settings):
    settings.DAILY_TASKS_HOUR = 0
    settings.DAILY_TASKS = ["notifications.tasks.send_daily_notifications"]
    enqueue_due_daily_tasks(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    enqueue_due_daily_tasks(datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    assert sorted(
        args["args"][0] for args in DBTaskResult.objects.values_list("args_kwargs", flat=True)
    ) == ["2026-03-02", "2026-03-03"]
