"""The learning note as a PDF, rendered on the server in the reader's language.

The text is set in DejaVu Sans, embedded in the file (as the subset of glyphs used), so
that every city's name prints as it is written: "Łódź", "İstanbul", "Đà Nẵng". The font
comes from the npm package dejavu-fonts-ttf, pinned in package-lock.json and installed by
bin/bootstrap with the other front-end assets.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from entrevilles.dates import format_date
from learning.models import LearningNote

FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "dejavu-fonts-ttf" / "ttf"
FONT = "dejavu"


@cache
def _font_files() -> dict[str, str]:
    files = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise RuntimeError(f"PDF fonts missing ({', '.join(missing)}): run bin/bootstrap")
    return {style: str(path) for style, path in files.items()}


def _document() -> FPDF:
    pdf = FPDF(format="A4")
    for style, path in _font_files().items():
        pdf.add_font(FONT, style=style, fname=path)
    return pdf


def _text(text) -> str:
    # The embedded font prints any character: the text goes in as it is.
    return str(text or "")


def render_note_pdf(note: LearningNote, language: str) -> bytes:
    """The note in `language` (its own text where no translation exists), as PDF bytes."""
    partnership = note.partnership
    with translation.override(language):
        pdf = _document()
        pdf.set_title(_text(note.title))
        pdf.set_author("Entrevilles")
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.add_page()
        width = pdf.w - pdf.l_margin - pdf.r_margin
        pdf.set_font(FONT, size=10)
        pdf.multi_cell(width, 5, _text(_("Learning note")))
        pdf.set_font(FONT, style="B", size=18)
        pdf.multi_cell(width, 9, _text(note.title))
        pdf.ln(2)
        pdf.set_font(FONT, size=10)
        parties = ", ".join(
            f"{party.organisation.name} ({party.get_role_display()})"
            for party in partnership.parties.select_related("organisation")
        )
        pdf.multi_cell(width, 5, _text(_("Partnership: %(title)s") % {"title": partnership.title}))
        pdf.multi_cell(width, 5, _text(_("Parties: %(parties)s") % {"parties": parties}))
        if note.published_at:
            pdf.multi_cell(
                width,
                5,
                _text(
                    _("Published on %(date)s")
                    % {"date": format_date(note.published_at, "DATE_FORMAT")}
                ),
            )
        sections = [
            (_("Context"), note.context),
            (_("Challenges"), note.challenges),
            (_("Shared reflections"), note.reflections),
            (_("Lessons learned"), note.lessons),
        ]
        for heading, text in sections:
            if not text:
                continue
            pdf.ln(4)
            pdf.set_font(FONT, style="B", size=13)
            pdf.multi_cell(width, 7, _text(heading))
            pdf.set_font(FONT, size=11)
            pdf.multi_cell(width, 5.5, _text(text))
        items = list(note.roadmap.all())
        if items:
            pdf.ln(4)
            pdf.set_font(FONT, style="B", size=13)
            pdf.multi_cell(width, 7, _text(_("Roadmap of actions")))
            pdf.set_font(FONT, size=11)
            for number, item in enumerate(items, start=1):
                pdf.multi_cell(width, 5.5, _text(f"{number}. {item.text}"))
        return bytes(pdf.output())
