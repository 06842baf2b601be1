"""The best experiences for an ad-hoc need text, as JSON (see learning.matching.engine)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from learning.matching import engine
from network.models import Country

MAX_TEXT = 50_000


class Command(BaseCommand):
    help = (
        "Match a need's text (English, French or Spanish) with the published experiences; "
        "prints a JSON array, best first, of {ref, title, city, score, reasons}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--text", required=True, help="what the city wants to learn")
        parser.add_argument("--language", required=True, choices=["en", "fr", "es"])
        parser.add_argument("--country", help="ISO 3166-1 alpha-2 code of the city's country")
        parser.add_argument("--population", type=int, help="the city's population")
        parser.add_argument("--top", type=int, default=10, help="how many (default 10)")
        parser.add_argument(
            "--json", action="store_true", help="print JSON (the only output format)"
        )

    def handle(self, *args, **options):
        text = options["text"].strip()
        if not text:
            raise CommandError(_("The text is empty."))
        if len(text) > MAX_TEXT:
            raise CommandError(_("The text is longer than %(max)s characters.") % {"max": MAX_TEXT})
        if not 1 <= options["top"] <= 100:
            raise CommandError(_("--top must be between 1 and 100."))
        if options["population"] is not None and options["population"] < 0:
            raise CommandError(_("The population cannot be negative."))
        country = None
        if options["country"]:
            country = (
                Country.objects.select_related("region")
                .filter(code=options["country"].upper())
                .first()
            )
            if country is None:
                raise CommandError(
                    _("Unknown country code “%(country)s”.") % {"country": options["country"]}
                )
        # Reasons and titles in the language of the need.
        with translation.override(options["language"]):
            seeker = engine.seeker_for_text(
                text,
                options["language"],
                country=country,
                population=options["population"],
            )
            found = engine.suggest(seeker, top=options["top"], cities=0)
            output = [suggestion_json(item) for item in found.experiences]
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))


def suggestion_json(item) -> dict:
    experience = item.experience
    return {
        "ref": experience.external_ref or f"experience:{experience.pk}",
        "title": experience.title,
        "city": experience.city.name,
        "score": item.score,
        "reasons": item.reasons,
    }
