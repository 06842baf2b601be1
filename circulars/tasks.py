"""Background work of circulars: each task takes ids and may run more than once safely."""

from email.utils import make_msgid

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from . import delivery
from .models import Circular, CircularStatus


@task()
def send_circular(circular_id: int) -> dict:
    """Send what is due; enqueue itself again for the retries that are due later."""
    next_due = delivery.run(circular_id)
    if next_due is not None:
        send_circular.using(run_after=max(next_due, timezone.now())).enqueue(circular_id)
    return delivery.progress(circular_id)


@task()
def start_scheduled(circular_id: int) -> bool:
    """Start a scheduled circular once its time has come (unless it was changed since)."""
    from .services.sending import start_sending

    circular = Circular.objects.filter(pk=circular_id).first()
    if circular is None or circular.status != CircularStatus.SCHEDULED:
        return False
    if circular.scheduled_for and circular.scheduled_for > timezone.now():
        return False  # rescheduled later: that run's task will start it
    start_sending(circular, actor=None)
    return True


@task()
def send_test_message(circular_id: int, email: str, language: str) -> bool:
    """One test copy, rendered as a recipient of `language` would get it."""
    from .models import Delivery

    circular = Circular.objects.prefetch_related("commissions").get(pk=circular_id)
    sample = Delivery(
        pk=0,
        circular=circular,
        email=email,
        name="",
        language=circular.language_for(language),
        preferred_language=language,
    )
    renderer = delivery.Renderer(circular)
    message = renderer.message(
        sample, subject_prefix="[TEST] ", message_id=make_msgid(domain=renderer.domain)
    )
    connection = delivery.open_smtp()
    try:
        connection.sendmail(renderer.envelope_from, [email], message)
    finally:
        connection.quit()
    return True


def resume_stalled() -> int:
    """Give every circular being sent whose worker went silent a new run."""
    from .services.sending import keep_going

    count = 0
    for circular in Circular.objects.filter(status=CircularStatus.SENDING):
        with transaction.atomic():
            count += keep_going(circular)
    return count
