"""A circular's body: Markdown with two placeholders, rendered to safe HTML and plain text.

Secretariats write Markdown (headings, lists, links, emphasis); raw HTML is not allowed
and the rendered HTML is cleaned to a small set of tags, so that a body can neither break
the page nor carry scripts into the archive or into mail clients.
"""

import re
import threading
from functools import cache

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

PLACEHOLDERS = ("name", "organisation")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


# The pool's threads render their versions at the same moment; markdown-it and its link
# encoder (mdurl, whose lookup tables are built on first use) are not made for that.
_RENDERING = threading.Lock()


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def check_placeholders(text: str) -> None:
    """Refuse unknown placeholders and unbalanced braces, with a message saying which."""
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) not in PLACEHOLDERS:
            raise ValidationError(
                _("Unknown placeholder %(placeholder)s: use %(allowed)s."),
                params={
                    "placeholder": match.group(0),
                    "allowed": ", ".join("{{" + name + "}}" for name in PLACEHOLDERS),
                },
                code="unknown_placeholder",
            )
    rest = _PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        raise ValidationError(
            _("A placeholder is not closed: write {{name}} or {{organisation}}."),
            code="broken_placeholder",
        )


# Links to the platform's own pages are written site-relative ("/actions/12/"), so that a
# body never freezes the address the platform had when it was drafted; mail and the API
# make them absolute with the configured SITE_URL when they send or render.
_RELATIVE_MARKDOWN_LINK = re.compile(r"(\]\()(/(?!/))")
_RELATIVE_HREF = re.compile(r'(href=")(/(?!/))')


def absolute_links(text: str, site: str) -> str:
    """The Markdown `text` with its site-relative links prefixed by `site`."""
    return _RELATIVE_MARKDOWN_LINK.sub(lambda m: m.group(1) + site + m.group(2), text)


def render_html(text: str, *, site: str = "") -> str:
    """Markdown to HTML, cleaned; placeholders are kept as they are for placeholder_format.

    With `site`, site-relative links become absolute (for mail and the API).
    """
    with _RENDERING:
        html = _markdown().render(text)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    if site:
        html = _RELATIVE_HREF.sub(lambda m: m.group(1) + site + m.group(2), html)
    return html


def placeholder_format(text: str) -> str:
    """`text` as a format string (str.format) whose fields `{name}` and `{organisation}`
    stand where its placeholders were (an unknown placeholder becomes nothing): each
    recipient's copy is then one call in C instead of a search and replace."""
    pieces, last = [], 0
    for match in _PLACEHOLDER.finditer(text):
        pieces.append(escape_format(text[last : match.start()]))
        if match.group(1) in ("name", "organisation"):
            pieces.append(f"{{{match.group(1)}}}")
        last = match.end()
    pieces.append(escape_format(text[last:]))
    return "".join(pieces)


def escape_format(text: str) -> str:
    """`text` as a format string without fields: its own braces doubled."""
    return text.replace("{", "{{").replace("}", "}}")


def has_placeholders(text: str) -> bool:
    return bool(_PLACEHOLDER.search(text))
