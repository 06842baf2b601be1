"""The learning note as a PDF, rendered on the server in the reader's language.

fpdf2's built-in Helvetica covers Latin-1, which holds every accented letter of French
and Spanish; the few typographic signs outside it are written with their plain
equivalents so that no font file has to ship with the application.
"""

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from .models import LearningNote

_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u0153": "oe",
        "\u0152": "OE",
        "\u20ac": "EUR",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def _latin1(text) -> str:
    return str(text or "").translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def render_note_pdf(note: LearningNote, language: str) -> bytes:
    """The note in `language` (its own text where no translation exists), as PDF bytes."""
    partnership = note.partnership
    with translation.override(language):
        pdf = FPDF(format="A4")
        pdf.set_title(_latin1(note.title))
        pdf.set_author("Entrevilles")
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.add_page()
        width = pdf.w - pdf.l_margin - pdf.r_margin
        pdf.set_font("helvetica", size=10)
        pdf.multi_cell(width, 5, _latin1(_("Learning note")))
        pdf.set_font("helvetica", style="B", size=18)
        pdf.multi_cell(width, 9, _latin1(note.title))
        pdf.ln(2)
        pdf.set_font("helvetica", size=10)
        parties = ", ".join(
            f"{party.organisation.name} ({party.get_role_display()})"
            for party in partnership.parties.select_related("organisation")
        )
        pdf.multi_cell(
            width, 5, _latin1(_("Partnership: %(title)s") % {"title": partnership.title})
        )
        pdf.multi_cell(width, 5, _latin1(_("Parties: %(parties)s") % {"parties": parties}))
        if note.published_at:
            pdf.multi_cell(
                width,
                5,
                _latin1(
                    _("Published on %(date)s")
                    % {"date": formats.date_format(note.published_at, "DATE_FORMAT")}
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
            pdf.set_font("helvetica", style="B", size=13)
            pdf.multi_cell(width, 7, _latin1(heading))
            pdf.set_font("helvetica", size=11)
            pdf.multi_cell(width, 5.5, _latin1(text))
        items = list(note.roadmap.all())
        if items:
            pdf.ln(4)
            pdf.set_font("helvetica", style="B", size=13)
            pdf.multi_cell(width, 7, _latin1(_("Roadmap of actions")))
            pdf.set_font("helvetica", size=11)
            for number, item in enumerate(items, start=1):
                pdf.multi_cell(width, 5.5, _latin1(f"{number}. {item.text}"))
        return bytes(pdf.output())
