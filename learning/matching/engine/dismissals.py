"""Set-aside suggestions: what each one's reason says, and the penalties it brings."""

from dataclasses import dataclass

from django.utils.translation import gettext

from learning.models import DismissalReason, ExperienceConcept, LearningNeed, SuggestionDismissal

from .context import _Reasons
from .seeker import Seeker

DISMISSAL_FACTOR = 0.6
ALREADY_KNOWN_FACTOR = 0.5
NOT_RELEVANT_FACTOR = 0.5


@dataclass
class Profile:
    """What the ranking remembers of a set-aside item."""

    reason: str
    reason_label: str
    city_id: int
    region_id: int
    size_class: str
    language: str = ""


def dismissal_profiles(need: LearningNeed | None):
    """The set-aside experiences and cities of a need, and what they were like (1 query)."""
    if need is None:
        return set(), set(), []
    experiences, cities, profiles = set(), set(), []
    rows = SuggestionDismissal.objects.filter(need=need).select_related(
        "experience__city", "organisation"
    )
    for dismissal in rows:
        if dismissal.experience_id:
            experiences.add(dismissal.experience_id)
            city = dismissal.experience.city
            language = dismissal.experience.original_language
        else:
            cities.add(dismissal.organisation_id)
            city = dismissal.organisation
            language = (city.working_languages or [""])[0]
        profiles.append(
            Profile(
                dismissal.reason,
                dismissal.get_reason_display(),
                city.pk,
                city.region_id,
                city.size_class,
                language,
            )
        )
    return experiences, cities, profiles


def _not_relevant_concepts(need: LearningNeed | None, seeker: Seeker) -> set[str]:
    if need is None:
        return set()
    ids = list(
        SuggestionDismissal.objects.filter(
            need=need, reason=DismissalReason.NOT_RELEVANT, experience__isnull=False
        ).values_list("experience_id", flat=True)
    )
    if not ids:
        return set()
    return set(
        ExperienceConcept.objects.filter(
            experience_id__in=ids, concept__in=list(seeker.vector)
        ).values_list("concept", flat=True)
    )


def _penalties(
    seeker: Seeker, experience, shares_language: bool, profiles: list[Profile], explain: bool
):
    factor, reasons = 1.0, _Reasons(explain)
    city = experience.city
    for profile in profiles:
        applies = False
        if profile.reason == DismissalReason.TOO_FAR:
            applies = city.region_id == profile.region_id and city.region.code != seeker.region_code
            weight = DISMISSAL_FACTOR
        elif profile.reason == DismissalReason.DIFFERENT_SIZE:
            applies = bool(profile.size_class) and (
                city.size_class == profile.size_class and city.size_class != seeker.size_class
            )
            weight = DISMISSAL_FACTOR
        elif profile.reason == DismissalReason.LANGUAGE:
            applies = not shares_language and experience.original_language == profile.language
            weight = DISMISSAL_FACTOR
        elif profile.reason == DismissalReason.ALREADY_KNOWN:
            applies = city.pk == profile.city_id
            weight = ALREADY_KNOWN_FACTOR
        if applies:
            factor *= weight
            reasons.add(
                lambda profile=profile: (
                    gettext("Ranked lower: like a suggestion you set aside (%(reason)s)")
                    % {"reason": profile.reason_label}
                )
            )
    return factor, list(dict.fromkeys(reasons))
