from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """Each running background worker stamps its row every few seconds; /healthz reads them."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.worker_id


class DailyTaskRun(models.Model):
    """One row per daily task and day: the first worker to insert it enqueues the task.

    The unique constraint is what keeps several workers on several machines from
    enqueuing the same day's run twice.
    """

    task_path = models.CharField(_("task"), max_length=200)
    day = models.DateField(_("day"))
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("daily task run")
        verbose_name_plural = _("daily task runs")
        constraints = [
            models.UniqueConstraint(fields=["task_path", "day"], name="unique_daily_task_run")
        ]

    def __str__(self):
        return f"{self.task_path} {self.day}"
