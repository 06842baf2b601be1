import email
import email.policy
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from accounts import permissions as roles

from .health import database_is_up, mail_sink_is_up, stuck_task_count, worker_is_up


@never_cache
def healthz(request):
    """200 when the database and a background worker are up, no task is stuck past its
    lease (left by a dead worker, or running for too long) and, in the embedded default,
    this instance's mail sink answers; 503 otherwise. The model that compares meanings
    is reported too: without it, the search and the matchmaking work by words only
    (degraded, not down)."""
    from search import embedding

    database = database_is_up()
    worker = database and worker_is_up()
    stuck = stuck_task_count() if database else 0
    model = embedding.status()
    body = {
        "database": "up" if database else "down",
        "worker": "up" if worker else "down",
        "stuck_tasks": stuck,
        "meaning_model": model["model"] if model["ok"] else f"unavailable: {model['error']}",
    }
    healthy = database and worker and not stuck
    sink = mail_sink_is_up()
    if sink is not None:
        body["mail_sink"] = "up" if sink else "down"
        healthy = healthy and sink
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
def livez(request):
    """200 when this web process answers and reaches its database (one small query),
    503 otherwise: what a load balancer asks before sending it requests. Unlike /healthz
    it does not depend on the background worker, whose absence does not stop a page."""
    up = database_is_up()
    return JsonResponse({"database": "up" if up else "down"}, status=200 if up else 503)


def _mailbox_files() -> list[Path]:
    folder = Path(settings.MAILBOX_DIR)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.eml"), reverse=True)[:200]


def _parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def _date(message) -> datetime | str:
    """The message's Date header as a date (shown in the reader's language), or as it is."""
    try:
        return parsedate_to_datetime(message["date"])
    except (TypeError, ValueError):
        return message["date"] or ""


def _read_message(path: Path) -> dict:
    message = _parse(path)
    body = message.get_body(preferencelist=("plain", "html"))
    return {
        "name": path.name,
        "subject": message["subject"],
        "sender": message["from"],
        "recipients": message["to"],
        "date": _date(message),
        "body": body.get_content() if body else "",
        "has_html": message.get_body(preferencelist=("html",)) is not None,
    }


def _message_path(request, name: str) -> Path:
    if not roles.can_read_mailbox(request.user):
        raise PermissionDenied
    path = Path(settings.MAILBOX_DIR) / name
    if "/" in name or not name.endswith(".eml") or not path.is_file():
        raise Http404
    return path


def mailbox(request, name=None):
    """The local mail sink's messages, for administrators of the embedded default."""
    if not roles.can_read_mailbox(request.user):
        raise PermissionDenied
    if name is None:
        messages = [_read_message(path) for path in _mailbox_files()]
        return render(request, "ops/mailbox.html", {"mail_messages": messages})
    path = _message_path(request, name)
    return render(request, "ops/mailbox_message.html", {"message": _read_message(path)})


@xframe_options_sameorigin
def mailbox_message_html(request, name):
    """A message's HTML part as its recipient sees it, for the mailbox page's frame.

    The mail's HTML is not ours: the browser runs it sandboxed (no script, no form, no
    origin of its own) and may load nothing from elsewhere.
    """
    part = _parse(_message_path(request, name)).get_body(preferencelist=("html",))
    if part is None:
        raise Http404
    response = HttpResponse(part.get_content(), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return response
