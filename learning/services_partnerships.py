"""Every write to partnerships: proposal and answers, status, plan, monitoring, evaluation
and the learning note.

Parties are told by e-mail, each person in their own language, after commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment
from audit.services import record, snapshot
from entrevilles.integers import parse_int
from notifications.events import record_event
from notifications.models import EventKind
from notifications.services import follow_partnership

from .models import (
    Activity,
    AssessmentCriterion,
    AssessmentScore,
    Evaluation,
    Indicator,
    IndicatorValue,
    LearningNote,
    Milestone,
    MonitoringReport,
    NoteStatus,
    Partnership,
    PartnershipParty,
    PartnershipStatus,
    PartnershipStatusChange,
    PartyResponse,
    PartyRole,
    ReportStatus,
    RoadmapItem,
)
from .models.monitoring import quarter_of
from .models.needs import NeedStatus
from .services_needs import change_need_status

LANGUAGES = ("en", "fr", "es")
S = PartnershipStatus

# Moves the facilitating secretariat makes; "agreed" is reached only by every party accepting.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PROPOSED: (S.CLOSED_EARLY,),
    S.AGREED: (S.ACTIVE, S.CLOSED_EARLY),
    S.ACTIVE: (S.COMPLETED, S.CLOSED_EARLY),
    S.COMPLETED: (),
    S.CLOSED_EARLY: (),
}
FINISHED = (S.COMPLETED, S.CLOSED_EARLY)
PLANNABLE = (S.AGREED, S.ACTIVE)
# A report is late this long after the end of its period.
REPORT_GRACE_DAYS = 30


# Needs that an agreed partnership moves to "in partnership" (not those met or withdrawn).
MOVES_TO_PARTNERSHIP = (NeedStatus.OPEN, NeedStatus.MATCHED)


def allowed_transitions(partnership: Partnership) -> tuple[str, ...]:
    return TRANSITIONS.get(partnership.status, ())


def _commission(partnership: Partnership):
    return partnership.facilitating_commission


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    # The 31st of a short month falls back to its last day.
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def reporting_periods(partnership: Partnership, until: datetime.date):
    """The reporting periods (start, end) of an active partnership that have begun by `until`."""
    if partnership.starts_on is None:
        return
    months = partnership.reporting_every_months or 3
    start = partnership.starts_on
    index = 0
    while start <= until and index < 240:
        end = _add_months(partnership.starts_on, months * (index + 1)) - datetime.timedelta(days=1)
        if partnership.ends_on is not None and end > partnership.ends_on:
            end = max(partnership.ends_on, start)
        yield start, end
        if partnership.ends_on is not None and end >= partnership.ends_on:
            return
        index += 1
        start = end + datetime.timedelta(days=1)


def open_periods(partnership: Partnership, today: datetime.date | None = None):
    """Periods begun and not reported yet: those a party may report on now."""
    today = today or timezone.localdate()
    reported = set(partnership.reports.values_list("period_start", flat=True))
    return [p for p in reporting_periods(partnership, today) if p[0] not in reported]


def _refresh_next_report_due(partnership: Partnership) -> None:
    """Keep `next_report_due_on`: the end of the first period not reported yet."""
    due = None
    if partnership.status == S.ACTIVE and partnership.starts_on is not None:
        reported = set(partnership.reports.values_list("period_start", flat=True))
        horizon = (partnership.ends_on or timezone.localdate()) + datetime.timedelta(days=3660)
        for start, end in reporting_periods(partnership, horizon):
            if start not in reported:
                due = end
                break
    if due != partnership.next_report_due_on:
        partnership.next_report_due_on = due
        partnership.save(update_fields=["next_report_due_on", "updated_at"])


def late_since(today: datetime.date | None = None) -> datetime.date:
    """A report whose period ended before this day is late."""
    return (today or timezone.localdate()) - datetime.timedelta(days=REPORT_GRACE_DAYS)


# --- notifications ----------------------------------------------------------------------


def _recipients(partnership_id: int, *, organisation_ids=None, secretariat: bool = True):
    """Users to tell: the parties' representatives (or some parties') and the secretariat."""
    partnership = Partnership.objects.get(pk=partnership_id)
    party_ids = organisation_ids
    if party_ids is None:
        party_ids = list(partnership.parties.values_list("organisation_id", flat=True))
    roles = RoleAssignment.objects.filter(role=Role.REPRESENTATIVE, organisation_id__in=party_ids)
    if secretariat and partnership.facilitating_commission_id:
        roles = roles | RoleAssignment.objects.filter(
            role=Role.SECRETARIAT, commission_id=partnership.facilitating_commission_id
        )
    users = {}
    for assignment in roles.select_related("user"):
        user = assignment.user
        if user.is_active and user.email:
            users[user.pk] = user
    return partnership, list(users.values())


def send_partnership_notice(
    partnership_id: int,
    event: str,
    *,
    organisation_ids: list[int] | None = None,
    secretariat: bool = True,
    party_id: int | None = None,
    exclude_user_id: int | None = None,
) -> int:
    """Tell the people concerned what happened to a partnership, each in their language."""
    partnership, users = _recipients(
        partnership_id, organisation_ids=organisation_ids, secretariat=secretariat
    )
    party = PartnershipParty.objects.select_related("organisation").filter(pk=party_id).first()
    url = settings.SITE_URL + partnership.get_absolute_url()
    messages = []
    for user in users:
        if user.pk == exclude_user_id:
            continue
        language = user.preferred_language
        if language not in settings.LANGUAGE_CODES:
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "partnership": partnership,
                "title": partnership.title,
                "status": partnership.get_status_display(),
                "organisation": party.organisation.name if party else "",
                "event": event,
                "url": url,
                "recipient": user,
            }
            subject = render_to_string("learning/email/partnership_subject.txt", context)
            body = render_to_string("learning/email/partnership.txt", context)
        # On one line, its no-break spaces kept ("Partenariat : …" in French).
        subject = " ".join(line.strip() for line in subject.splitlines() if line.strip())
        messages.append(EmailMessage(subject, body, None, [user.email]))
    if messages:
        mailers.default.send_messages(messages)
    return len(messages)


def _notify_on_commit(partnership: Partnership, event: str, **kwargs) -> None:
    # The background worker sends the notice: a slow or unreachable mail relay never holds
    # up the page, nor undoes the answer or the status change.
    from .tasks import send_partnership_notice as notice_task

    transaction.on_commit(lambda: notice_task.enqueue(partnership.pk, event, **kwargs), robust=True)


def _status_change(partnership: Partnership, to_status: str, *, actor, note: str = "") -> None:
    from_status = partnership.status
    partnership.status = to_status
    PartnershipStatusChange.objects.create(
        partnership=partnership,
        from_status=from_status,
        to_status=to_status,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )
    record(
        f"learning.partnership.{to_status}",
        partnership,
        actor=actor,
        before={"status": from_status},
        after={"status": to_status},
        commission=_commission(partnership),
    )


# --- proposal and answers ----------------------------------------------------------------


def _check_dates(starts_on, ends_on, field: str = "ends_on") -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({field: _("The end date comes before the start date.")})


@transaction.atomic
def propose_partnership(
    *,
    title: str,
    learners: Iterable,
    mentors: Iterable,
    actor,
    objectives: str = "",
    original_language: str = "en",
    commission=None,
    needs: Iterable = (),
    experiences: Iterable = (),
    themes: Iterable = (),
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    reporting_every_months: int = 3,
) -> Partnership:
    """Propose a partnership between learner and mentor organisations; each party answers."""
    learners, mentors = list(learners), list(mentors)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the partnership a title.")]
    if not learners:
        errors["learners"] = [_("Choose at least one learner organisation.")]
    if not mentors:
        errors["mentors"] = [_("Choose at least one mentor organisation.")]
    ids = [org.pk for org in learners + mentors]
    if len(ids) != len(set(ids)):
        errors.setdefault("mentors", []).append(
            _("An organisation cannot be a party twice, nor both learner and mentor.")
        )
    elif learners and mentors and len(set(ids)) < 2:
        errors.setdefault("mentors", []).append(_("A partnership needs two or more organisations."))
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end date comes before the start date.")]
    if not 1 <= (reporting_every_months or 0) <= 12:
        errors["reporting_every_months"] = [_("Reports are due every 1 to 12 months.")]
    if original_language not in LANGUAGES:
        errors["original_language"] = [_("Choose English, French or Spanish.")]
    if errors:
        raise ValidationError(errors)
    partnership = Partnership(
        original_language=original_language,
        facilitating_commission=commission,
        starts_on=starts_on,
        ends_on=ends_on,
        reporting_every_months=reporting_every_months,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    setattr(partnership, f"title_{original_language}", title.strip())
    setattr(partnership, f"objectives_{original_language}", objectives.strip())
    partnership.save()
    parties = [
        PartnershipParty(partnership=partnership, organisation=o, role=PartyRole.LEARNER)
        for o in learners
    ] + [
        PartnershipParty(partnership=partnership, organisation=o, role=PartyRole.MENTOR)
        for o in mentors
    ]
    # Proposing is the proposer's own organisation's answer: it need not accept again.
    represented = _represented_by(actor)
    now = timezone.now()
    for party in parties:
        party.copy_place()
        if party.organisation_id in represented:
            party.response = PartyResponse.ACCEPTED
            party.responded_at = now
            party.responded_by = actor
    PartnershipParty.objects.bulk_create(parties)
    partnership.needs.set(list(needs))
    partnership.experiences.set(experiences)
    partnership.themes.set(themes)
    PartnershipStatusChange.objects.create(
        partnership=partnership,
        to_status=S.PROPOSED,
        changed_by=partnership.created_by,
    )
    record(
        "learning.partnership.proposed",
        partnership,
        actor=actor,
        after=snapshot(partnership)
        | {
            "learners": ids[: len(learners)],
            "mentors": ids[len(learners) :],
            "accepted": sorted(
                p.organisation_id for p in parties if p.response == PartyResponse.ACCEPTED
            ),
        },
        commission=commission,
    )
    follow_partnership(partnership)
    record_event(EventKind.PARTNERSHIP_PROPOSED, partnership, actor=actor)
    if all(party.response == PartyResponse.ACCEPTED for party in parties):
        _agree(partnership, actor=actor)
    else:
        _notify_on_commit(partnership, "proposed", exclude_user_id=getattr(actor, "pk", None))
    return partnership


def _represented_by(actor) -> set[int]:
    """The organisations the actor answers for (as their representative)."""
    from accounts.permissions import is_authenticated, scopes

    return set(scopes(actor).representative) if is_authenticated(actor) else set()


def unreachable_party_ids(parties: Iterable[PartnershipParty]) -> set[int]:
    """The parties still to answer whom nobody can receive: no active representative with
    an e-mail address, so no notice reaches them and nobody may answer for them."""
    waiting = {p.pk: p.organisation_id for p in parties if p.response == PartyResponse.PENDING}
    if not waiting:
        return set()
    reachable = set(
        RoleAssignment.objects.filter(
            role=Role.REPRESENTATIVE,
            organisation_id__in=set(waiting.values()),
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("organisation_id", flat=True)
    )
    return {pk for pk, organisation_id in waiting.items() if organisation_id not in reachable}


def _agree(partnership: Partnership, *, actor) -> None:
    """Every party accepted: the partnership is agreed, and the needs behind it are now
    answered by it (their history says by what)."""
    _status_change(partnership, S.AGREED, actor=actor)
    partnership.save(update_fields=["status", "updated_at"])
    for need in partnership.needs.all():
        if need.status in MOVES_TO_PARTNERSHIP:
            change_need_status(
                need,
                status=NeedStatus.IN_PARTNERSHIP,
                actor=actor,
                note=_("Partnership agreed: %(title)s") % {"title": partnership.title[:400]},
            )
    _notify_on_commit(partnership, "agreed")


@transaction.atomic
def respond_to_partnership(party: PartnershipParty, *, accept: bool, actor) -> PartnershipParty:
    """A party accepts or declines a proposal; when every party has accepted, it is agreed."""
    partnership = Partnership.objects.select_for_update().get(pk=party.partnership_id)
    if partnership.status != S.PROPOSED:
        raise ValidationError(_("This partnership is no longer awaiting answers."))
    party.refresh_from_db()
    before = {"response": party.response}
    party.response = PartyResponse.ACCEPTED if accept else PartyResponse.DECLINED
    party.responded_at = timezone.now()
    party.responded_by = actor if getattr(actor, "is_authenticated", False) else None
    party.save(update_fields=["response", "responded_at", "responded_by"])
    record(
        f"learning.partnership.party_{party.response}",
        partnership,
        actor=actor,
        before=before,
        after={"organisation": party.organisation_id, "response": party.response},
        commission=_commission(partnership),
    )
    if not partnership.parties.exclude(response=PartyResponse.ACCEPTED).exists():
        _agree(partnership, actor=actor)
    else:
        _notify_on_commit(
            partnership,
            party.response,
            party_id=party.pk,
            exclude_user_id=getattr(actor, "pk", None),
        )
    record_event(EventKind.PARTNERSHIP_ANSWERED, partnership, actor=actor)
    return party


@transaction.atomic
def change_partnership_status(
    partnership: Partnership, to_status: str, *, actor, note: str = ""
) -> Partnership:
    """The facilitating secretariat starts, completes or closes a partnership early."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if to_status not in allowed_transitions(partnership):
        raise ValidationError(
            _("A partnership cannot go from %(current)s to %(target)s.")
            % {
                "current": partnership.get_status_display(),
                "target": dict(PartnershipStatus.choices).get(to_status, to_status),
            }
        )
    today = timezone.localdate()
    if to_status == S.ACTIVE and partnership.starts_on is None:
        partnership.starts_on = today
    if to_status in FINISHED and (partnership.ends_on is None or partnership.ends_on > today):
        partnership.ends_on = max(today, partnership.starts_on or today)
    _status_change(partnership, to_status, actor=actor, note=note)
    partnership.save()
    _refresh_next_report_due(partnership)
    _notify_on_commit(partnership, "status", exclude_user_id=getattr(actor, "pk", None))
    record_event(EventKind.PARTNERSHIP_CHANGED, partnership, actor=actor)
    return partnership


# --- the plan -----------------------------------------------------------------------------


def _check_plannable(partnership: Partnership) -> None:
    if partnership.status not in PLANNABLE:
        raise ValidationError(
            _("Activities are planned once the partnership is agreed, until it ends.")
        )


@transaction.atomic
def add_milestone(
    partnership: Partnership, *, title: str, due_on: datetime.date, actor
) -> Milestone:
    _check_plannable(partnership)
    if not title.strip():
        raise ValidationError({"title": _("Give the milestone a title.")})
    milestone = Milestone(partnership=partnership, due_on=due_on)
    setattr(milestone, f"title_{partnership.original_language}", title.strip())
    milestone.save()
    record(
        "learning.milestone.created",
        milestone,
        actor=actor,
        after=snapshot(milestone),
        commission=_commission(partnership),
    )
    return milestone


@transaction.atomic
def plan_activity(
    partnership: Partnership,
    *,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    place: str = "",
    participants: Iterable = (),
    milestone: Milestone | None = None,
    actor,
) -> Activity:
    """Add a study visit, webinar, mentoring session or workshop to the plan."""
    _check_plannable(partnership)
    ends_on = ends_on or starts_on
    _check_dates(starts_on, ends_on)
    if milestone is not None and milestone.partnership_id != partnership.pk:
        raise ValidationError({"milestone": _("This milestone belongs to another partnership.")})
    activity = Activity(
        partnership=partnership,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        milestone=milestone,
    )
    setattr(activity, f"title_{partnership.original_language}", title.strip())
    activity.full_clean(exclude=[f"title_{c}" for c in LANGUAGES] + ["outcome", "participants"])
    activity.save()
    activity.participants.set(participants)
    record(
        "learning.activity.created",
        activity,
        actor=actor,
        after=snapshot(activity),
        commission=_commission(partnership),
    )
    return activity


@transaction.atomic
def record_activity_outcome(activity: Activity, *, outcome: str, actor) -> Activity:
    before = {"outcome": activity.outcome or ""}
    language = translation.get_language() or "en"
    language = language[:2] if language[:2] in LANGUAGES else "en"
    setattr(activity, f"outcome_{language}", outcome.strip())
    activity.save()
    record(
        "learning.activity.outcome",
        activity,
        actor=actor,
        before=before,
        after={"outcome": outcome.strip()},
        commission=_commission(activity.partnership),
    )
    return activity


# --- monitoring ---------------------------------------------------------------------------


def _clean_scores(scores: dict) -> dict[int, int]:
    criteria = list(AssessmentCriterion.objects.filter(is_active=True).values_list("pk", flat=True))
    clean: dict[int, int] = {}
    for criterion_id in criteria:
        value = scores.get(criterion_id, scores.get(str(criterion_id)))
        number = parse_int(value)
        if number is None:
            raise ValidationError({"scores": _("Score every criterion from 1 to 5.")})
        if not 1 <= number <= 5:
            raise ValidationError({"scores": _("A score is a whole number from 1 to 5.")})
        clean[criterion_id] = number
    return clean


def _clean_indicators(values: dict) -> dict[int, Decimal]:
    clean: dict[int, Decimal] = {}
    for indicator_id in Indicator.objects.filter(is_active=True).values_list("pk", flat=True):
        value = values.get(indicator_id, values.get(str(indicator_id)))
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise ValidationError({"indicators": _("Indicator values are numbers.")}) from None
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            raise ValidationError({"indicators": _("Indicator values are numbers.")})
        clean[indicator_id] = number
    return clean


def _write_scores(report: MonitoringReport, scores: dict[int, int], values: dict[int, Decimal]):
    report.scores.all().delete()
    report.indicator_values.all().delete()
    AssessmentScore.objects.bulk_create(
        [
            AssessmentScore(
                report=report,
                criterion_id=c,
                score=s,
                partnership_id=report.partnership_id,
                quarter=quarter_of(report.period_start),
            )
            for c, s in scores.items()
        ]
    )
    IndicatorValue.objects.bulk_create(
        [IndicatorValue(report=report, indicator_id=i, value=v) for i, v in values.items()]
    )


@transaction.atomic
def file_report(
    partnership: Partnership,
    *,
    organisation,
    period_start: datetime.date,
    progress: str,
    actor,
    difficulties: str = "",
    next_steps: str = "",
    scores: dict | None = None,
    indicator_values: dict | None = None,
) -> MonitoringReport:
    """A party reports on one period of an active partnership."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if partnership.status != S.ACTIVE:
        raise ValidationError(_("Reports are filed while the partnership is active."))
    if not partnership.parties.filter(organisation=organisation).exists():
        raise ValidationError(_("Only a party of the partnership reports on it."))
    periods = dict(reporting_periods(partnership, timezone.localdate()))
    if period_start not in periods:
        raise ValidationError({"period": _("Choose one of the partnership's reporting periods.")})
    if partnership.reports.filter(period_start=period_start).exists():
        raise ValidationError({"period": _("This period has already been reported on.")})
    if not progress.strip():
        raise ValidationError({"progress": _("Say what progress was made.")})
    clean_scores = _clean_scores(scores or {})
    clean_values = _clean_indicators(indicator_values or {})
    report = MonitoringReport.objects.create(
        partnership=partnership,
        organisation=organisation,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        period_start=period_start,
        period_end=periods[period_start],
        progress=progress.strip(),
        difficulties=difficulties.strip(),
        next_steps=next_steps.strip(),
    )
    _write_scores(report, clean_scores, clean_values)
    _refresh_next_report_due(partnership)
    record(
        "learning.report.filed",
        report,
        actor=actor,
        after=snapshot(report) | {"scores": clean_scores},
        commission=_commission(partnership),
    )
    return report


@transaction.atomic
def revise_report(
    report: MonitoringReport,
    *,
    progress: str,
    actor,
    difficulties: str = "",
    next_steps: str = "",
    scores: dict | None = None,
    indicator_values: dict | None = None,
) -> MonitoringReport:
    """The author's party answers the secretariat's request for more."""
    if report.status != ReportStatus.MORE_REQUESTED:
        raise ValidationError(_("This report is not waiting for changes."))
    if not progress.strip():
        raise ValidationError({"progress": _("Say what progress was made.")})
    before = snapshot(report, ["progress", "difficulties", "next_steps", "status"])
    report.progress, report.difficulties = progress.strip(), difficulties.strip()
    report.next_steps = next_steps.strip()
    report.status = ReportStatus.SUBMITTED
    report.save()
    _write_scores(report, _clean_scores(scores or {}), _clean_indicators(indicator_values or {}))
    record(
        "learning.report.revised",
        report,
        actor=actor,
        before=before,
        after=snapshot(report, ["progress", "difficulties", "next_steps", "status"]),
        commission=_commission(report.partnership),
    )
    return report


@transaction.atomic
def comment_report(
    report: MonitoringReport, *, comment: str, ask_for_more: bool, actor
) -> MonitoringReport:
    """The secretariat comments; asking for more sends the report back to its author."""
    if ask_for_more and not comment.strip():
        raise ValidationError({"comment": _("Say what more you need.")})
    before = snapshot(report, ["secretariat_comment", "status"])
    report.secretariat_comment = comment.strip()
    report.status = ReportStatus.MORE_REQUESTED if ask_for_more else ReportStatus.ACCEPTED
    report.commented_by = actor if getattr(actor, "is_authenticated", False) else None
    report.commented_at = timezone.now()
    report.save()
    record(
        "learning.report.commented",
        report,
        actor=actor,
        before=before,
        after=snapshot(report, ["secretariat_comment", "status"]),
        commission=_commission(report.partnership),
    )
    if ask_for_more:
        _notify_on_commit(
            report.partnership,
            "more_requested",
            organisation_ids=[report.organisation_id],
            secretariat=False,
        )
    record_event(EventKind.REPORT_COMMENTED, report.partnership, actor=actor)
    return report


# --- the end: outcomes, evaluations, the learning note ------------------------------------


def _check_finished(partnership: Partnership) -> None:
    if partnership.status not in FINISHED:
        raise ValidationError(_("This is done once the partnership has ended."))


@transaction.atomic
def set_outcomes(partnership: Partnership, *, outcomes: str, actor) -> Partnership:
    before = {"outcomes": partnership.outcomes or ""}
    setattr(partnership, f"outcomes_{partnership.original_language}", outcomes.strip())
    partnership.save()
    record(
        "learning.partnership.outcomes",
        partnership,
        actor=actor,
        before=before,
        after={"outcomes": outcomes.strip()},
        commission=_commission(partnership),
    )
    return partnership


@transaction.atomic
def save_evaluation(
    partnership: Partnership,
    *,
    organisation,
    rating: int,
    what_worked: str,
    actor,
    what_to_improve: str = "",
) -> Evaluation:
    """A party evaluates a partnership that has ended (once; saving again replaces it)."""
    _check_finished(partnership)
    if not partnership.parties.filter(organisation=organisation).exists():
        raise ValidationError(_("Only a party of the partnership evaluates it."))
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationError({"rating": _("A score is a whole number from 1 to 5.")})
    if not what_worked.strip():
        raise ValidationError({"what_worked": _("Say what worked.")})
    evaluation, _created = Evaluation.objects.update_or_create(
        partnership=partnership,
        organisation=organisation,
        defaults={
            "rating": rating,
            "what_worked": what_worked.strip(),
            "what_to_improve": what_to_improve.strip(),
            "author": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    record(
        "learning.evaluation.saved",
        evaluation,
        actor=actor,
        after=snapshot(evaluation),
        commission=_commission(partnership),
    )
    return evaluation


NOTE_FIELDS = ("title", "context", "challenges", "reflections", "lessons")


@transaction.atomic
def save_learning_note(
    partnership: Partnership,
    *,
    original_language: str,
    texts: dict[str, str],
    actor,
    translations: dict[str, dict[str, str]] | None = None,
    roadmap: list[str] | None = None,
) -> LearningNote:
    """Write the learning note in its language, with optional translations and roadmap.

    `roadmap` lists the roadmap items in the note's language; items already turned into
    actions are kept when their text is unchanged.
    """
    _check_finished(partnership)
    if original_language not in LANGUAGES:
        raise ValidationError({"original_language": _("Choose English, French or Spanish.")})
    if not (texts.get("title") or "").strip():
        raise ValidationError({"title": _("Give the note a title.")})
    if not (texts.get("context") or "").strip():
        raise ValidationError({"context": _("Describe the context.")})
    note = LearningNote.objects.filter(partnership=partnership).first()
    before = snapshot(note) if note else None
    note = note or LearningNote(partnership=partnership)
    note.original_language = original_language
    for field in NOTE_FIELDS:
        setattr(note, f"{field}_{original_language}", (texts.get(field) or "").strip())
    for code, values in (translations or {}).items():
        if code in LANGUAGES and code != original_language:
            for field in NOTE_FIELDS:
                if field in values:
                    setattr(note, f"{field}_{code}", (values[field] or "").strip())
    note.save()
    if roadmap is not None:
        wanted = [line.strip()[:300] for line in roadmap if line.strip()]
        existing = list(note.roadmap.all())
        keep = {}
        for item in existing:
            text = getattr(item, f"text_{original_language}") or ""
            if text in wanted and text not in keep:
                keep[text] = item
            else:
                item.delete()
        for position, text in enumerate(wanted):
            item = keep.get(text) or RoadmapItem(note=note)
            item.position = position
            setattr(item, f"text_{original_language}", text)
            item.save()
    record(
        "learning.note.saved",
        note,
        actor=actor,
        before=before,
        after=snapshot(note),
        commission=_commission(partnership),
    )
    if note.status == NoteStatus.PUBLISHED:
        _publish_to_library(note, actor=actor)
    return note


def note_languages(note: LearningNote) -> list[str]:
    """The languages the note is written or translated in, its own first."""
    others = [c for c in LANGUAGES if c != note.original_language and getattr(note, f"title_{c}")]
    return [note.original_language, *others]


def _publish_to_library(note: LearningNote, *, actor) -> None:
    from library import services as library
    from library.models import DocumentKind, Status

    from .pdf import render_note_pdf

    partnership = note.partnership
    organisations = [
        party.organisation for party in partnership.parties.select_related("organisation")
    ]
    document = note.document
    if document is None:
        abstract = getattr(note, f"lessons_{note.original_language}") or getattr(
            note, f"context_{note.original_language}"
        )
        document = library.create_document(
            kind=DocumentKind.LEARNING_NOTE,
            original_language=note.original_language,
            title=getattr(note, f"title_{note.original_language}"),
            abstract=abstract[:2000],
            date=timezone.localdate(),
            authors=organisations,
            commissions=[partnership.facilitating_commission]
            if partnership.facilitating_commission
            else [],
            themes=list(partnership.themes.all()),
            tags=["learning note"],
            translations={
                code: {
                    "title": getattr(note, f"title_{code}") or "",
                    "abstract": (getattr(note, f"lessons_{code}") or "")[:2000],
                }
                for code in LANGUAGES
                if code != note.original_language
            },
            actor=actor,
        )
        note.document = document
        note.save(update_fields=["document", "updated_at"])
    # One PDF per language the note is written in: its text is what search indexes.
    for code in note_languages(note):
        pdf = render_note_pdf(note, code)
        library.add_document_file(
            document,
            version_number=1,
            language=code,
            uploaded_file=ContentFile(pdf, name=f"learning-note-{partnership.pk}-{code}.pdf"),
            is_final=True,
            actor=actor,
        )
    if document.status != Status.PUBLISHED:
        library.publish_document(document, actor=actor)


@transaction.atomic
def publish_learning_note(note: LearningNote, *, actor) -> LearningNote:
    """Publish the note: it becomes a learning-note document of the knowledge base."""
    _check_finished(note.partnership)
    if note.status == NoteStatus.PUBLISHED:
        raise ValidationError(_("This note is already published."))
    note.status = NoteStatus.PUBLISHED
    note.published_at = timezone.now()
    note.save()
    _publish_to_library(note, actor=actor)
    record(
        "learning.note.published",
        note,
        actor=actor,
        after={"status": note.status, "document": note.document_id},
        commission=_commission(note.partnership),
    )
    return note


@transaction.atomic
def turn_roadmap_item_into_action(
    item: RoadmapItem, *, workstream, actor, due_date: datetime.date | None = None
):
    """Make a roadmap item an action of the action plan, owned by the parties."""
    from actions import services as actions_services

    if item.action_id is not None:
        raise ValidationError(_("This roadmap item is already an action."))
    partnership = item.note.partnership
    titles = {code: getattr(item, f"text_{code}") or "" for code in LANGUAGES}
    descriptions = {}
    for code in LANGUAGES:
        # No address in the text: a stored address outlives a change of SITE_URL (the
        # partnership's page links to the action).
        with translation.override(code):
            descriptions[code] = _("From the roadmap of the partnership %(title)s.") % {
                "title": partnership.title,
            }
    action = actions_services.create_action(
        titles=titles,
        descriptions=descriptions,
        workstream=workstream,
        owner_organisations=[
            p.organisation for p in partnership.parties.select_related("organisation")
        ],
        due_date=due_date,
        actor=actor,
    )
    item.action = action
    item.save(update_fields=["action"])
    record(
        "learning.roadmap.action_created",
        item,
        actor=actor,
        after={"action": action.pk},
        commission=_commission(partnership),
    )
    return action


@transaction.atomic
def save_monitoring_reference(entry, *, actor):
    """Save a self-assessment criterion or an indicator from the back office, audited."""
    before = None
    if entry.pk is not None:
        before = snapshot(type(entry).objects.get(pk=entry.pk))
    entry.save()
    record(
        f"learning.{entry._meta.model_name}.saved",
        entry,
        actor=actor,
        before=before,
        after=snapshot(entry),
    )
    return entry
