"""The meeting-outcome circular, written from the records: what the seed circular says.

From a meeting: its date and place, its commissions, how many took part and from how
many regions (meetings.statistics), the link to its report, the actions decided grouped
by workstream, and the contacts of the commissions' secretariats. One version per
language, each written in that language from the translated records, as Markdown for the
secretariat to edit before sending.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from actions.models import Action, Workstream
from commissions.models import CommissionKind, Secretariat
from entrevilles.dates import format_date
from meetings.models import Meeting
from meetings.statistics import participant_statistics
from network.models import Organisation


@dataclass
class Draft:
    subjects: dict[str, str]
    bodies: dict[str, str]
    action_ids: list[int]
    document_ids: list[int]


def _md(text: str) -> str:
    """Record text inside Markdown: characters that would start markup are escaped."""
    for char in ("\\", "*", "_", "[", "]", "`", "#"):
        text = text.replace(char, "\\" + char)
    return text.replace("{{", "{ {").replace("}}", "} }")


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def of_commissions(commissions, *, escape=lambda text: text) -> str:
    """ "of X and of Y", each with the article its language wants ("de la Commission …
    et de la Commission …", "du Groupe de travail …"); `escape` protects the names
    (Markdown in a circular's body)."""
    parts = []
    for commission in commissions:
        if commission.kind == CommissionKind.WORKING_GROUP:
            part = pgettext("of a working group", "of %(name)s")
        else:
            part = pgettext("of a commission or a community", "of %(name)s")
        parts.append(part % {"name": escape(commission.name)})
    return _join(parts)


def decided_actions(meeting: Meeting):
    """The actions that come from the meeting's decisions, grouped by workstream.

    A workstream the meeting opened may later receive actions decided elsewhere (a
    partnership's roadmap, another meeting): those are not this meeting's outcome.
    """
    return (
        Action.objects.filter(decision__meeting=meeting)
        .select_related("workstream")
        .order_by("workstream__position", "workstream_id", "decision__number", "id")
    )


def _gather(meeting: Meeting):
    commissions = list(meeting.commissions.order_by("pk"))
    secretariats = list(
        Secretariat.objects.filter(commission__in=commissions)
        .select_related("organisation", "commission")
        .prefetch_related("contacts")
        .order_by("commission_id", "pk")
    )
    # The network's own secretariat signs: the organisation the settings name, never one
    # that merely calls itself a secretariat.
    network = (
        Organisation.objects.filter(external_ref=settings.NETWORK_SECRETARIAT_REF).first()
        if settings.NETWORK_SECRETARIAT_REF
        else None
    )
    actions = list(decided_actions(meeting))
    reports = {report.language: report for report in meeting.reports.all()}
    document_ids = list(meeting.documents.values_list("pk", flat=True))
    return commissions, secretariats, network, actions, reports, document_ids


def _emails_of(secretariat: Secretariat) -> list[str]:
    emails = [p.email for p in secretariat.contacts.all() if p.email]
    if not emails and secretariat.email:
        emails = [secretariat.email]
    return emails


def _body(meeting, language, commissions, secretariats, network, actions, reports, stats):
    when = format_date(meeting.local_start.date())
    place = meeting.host.name if meeting.host_id else meeting.venue
    lines = [_("Dear colleagues, members and partners,"), ""]
    if len(commissions) > 1:
        held = _("On **%(date)s** the joint meeting %(of_commissions)s was held in %(place)s.")
    else:
        held = _("On **%(date)s** the meeting %(of_commissions)s was held in %(place)s.")
    lines.append(
        held
        % {
            "date": when,
            "of_commissions": of_commissions(commissions, escape=_md),
            "place": _md(place or "—"),
        }
    )
    if meeting.purpose:
        lines += ["", _md(meeting.purpose)]
    if stats.people:
        took_part = ngettext(
            "**%(people)s representative** of cities, associations and organisations from %(regions)s world regions took part.",
            "**%(people)s representatives** of cities, associations and organisations from %(regions)s world regions took part.",
            stats.people,
        )
        lines += ["", took_part % {"people": stats.people, "regions": stats.regions}]
    report = reports.get(language) or next(iter(reports.values()), None)
    if report is not None:
        # Site-relative: mail adds the configured address when it is sent.
        url = report.file.url if report.file else reverse("meetings:detail", args=[meeting.pk])
        lines += [
            "",
            _("The meeting report is available here: [%(title)s](%(url)s)")
            % {"title": _md(report.title), "url": url},
        ]
    if actions:
        lines += ["", _("The following actions were decided for the coming months:")]
        current = object()
        for action in actions:
            if action.workstream_id != current:
                current = action.workstream_id
                title = action.workstream.title if action.workstream else _("Other actions")
                lines += ["", f"### {_md(title)}", ""]
            url = reverse("actions:detail", args=[action.pk])
            lines.append(f"- [{_md(action.title)}]({url})")
    contacts = []
    if network is not None and network.email:
        contacts.append(
            _("For the %(organisation)s: %(emails)s")
            % {"organisation": _md(network.name), "emails": network.email}
        )
    for commission in commissions:
        emails = []
        for secretariat in secretariats:
            if secretariat.commission_id == commission.pk:
                emails += _emails_of(secretariat)
        if emails:
            contacts.append(
                _("For %(commission)s: %(emails)s")
                % {"commission": _md(commission.name), "emails": " ; ".join(emails)}
            )
    if contacts:
        lines += ["", _("For further information, please contact:"), ""]
        lines += [f"- {line}" for line in contacts]
    lines += ["", _("Kind regards,"), ""]
    sender = network.name if network is not None else _("The network secretariat")
    lines.append(
        _("%(sender)s, on behalf %(of_commissions)s")
        % {"sender": _md(sender), "of_commissions": of_commissions(commissions, escape=_md)}
    )
    return "\n".join(lines) + "\n"


def draft_from_meeting(meeting: Meeting) -> Draft:
    """Subject and body in each language, from the meeting's records."""
    meeting = (
        Meeting.objects.select_related("host", "host__country")
        .prefetch_related(
            Prefetch("workstreams", Workstream.objects.order_by("position")), "reports"
        )
        .get(pk=meeting.pk)
    )
    commissions, secretariats, network, actions, reports, document_ids = _gather(meeting)
    subjects, bodies = {}, {}
    for language in settings.LANGUAGE_CODES:
        with translation.override(language):
            stats = participant_statistics(meeting)
            when = format_date(meeting.local_start.date())
            place = meeting.host.name if meeting.host_id else meeting.venue
            if len(commissions) > 1:
                subject = _("Joint circular: outcome of the joint meeting, %(place)s, %(date)s")
            else:
                subject = _("Circular: outcome of the meeting, %(place)s, %(date)s")
            subjects[language] = subject % {"place": place or meeting.title, "date": when}
            bodies[language] = _body(
                meeting, language, commissions, secretariats, network, actions, reports, stats
            )
    return Draft(
        subjects=subjects,
        bodies=bodies,
        action_ids=[a.pk for a in actions],
        document_ids=document_ids,
    )
