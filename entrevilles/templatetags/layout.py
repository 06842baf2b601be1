"""`{% once_per_process name value… %}…{% end_once_per_process %}`: the layout's parts that
depend only on the code and on the values named (the language), rendered once per web
process and kept in its memory (a restart, as after a deployment, renders them again).

Django's `{% cache %}` tag did this through the local-memory cache, which hashes a key,
takes a lock and unpickles the HTML on every read; a page reads four of them. The body's
nodes are hidden from the search for `{% block %}` that `{% extends %}` runs over the
whole layout on every page: there is no block inside, and the layout's nodes are many.
"""

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_rendered: dict[tuple[object, ...], str] = {}


class OncePerProcessNode(template.Node):
    child_nodelists = ()  # nothing to find in here (see the module's docstring)

    def __init__(self, name: str, values: list[FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        key = (self.name, *(value.resolve(context) for value in self.values))
        html = _rendered.get(key)
        if html is None:
            html = _rendered[key] = self.nodelist.render(context)
        return mark_safe(html)  # noqa: S308 - our own template's output


@register.tag
def once_per_process(parser: Parser, token: Token) -> OncePerProcessNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("once_per_process needs a name")
    nodelist = parser.parse(("end_once_per_process",))
    parser.delete_first_token()
    return OncePerProcessNode(bits[1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


_urls: dict[tuple[str, str], str] = {}


@register.simple_tag
def layout_url(name: str) -> str:
    """`{% url name %}` for the layout's links without arguments, reversed once per
    process: every page shows the same few (a signed-in page eight)."""
    from django.urls import get_script_prefix, reverse

    key = (name, get_script_prefix())
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(name)
    return url
