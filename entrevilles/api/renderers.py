"""JSON answers around rows rendered once and kept (`entrevilles.api.kept`)."""

import json

from rest_framework.renderers import JSONRenderer as RestJSONRenderer


class RenderedRows:
    """A page's rows, already rendered by `JSONRenderer` (compact, no indent)."""

    __slots__ = ("content",)

    def __init__(self, content: bytes) -> None:
        self.content = content


class JSONRenderer(RestJSONRenderer):
    """DRF's JSON renderer. A page whose `results` (its last key) are `RenderedRows` is
    written around them: the bytes rendering the rows again would give, without
    rendering them again. Indented answers render the rows again."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results") if isinstance(data, dict) else None
        if not isinstance(rows, RenderedRows):
            return super().render(data, accepted_media_type, renderer_context)
        indent = self.get_indent(accepted_media_type or "", renderer_context or {})
        if indent is None and list(data)[-1] == "results":
            envelope = super().render(
                {**data, "results": []}, accepted_media_type, renderer_context
            )
            if envelope.endswith(b"[]}"):
                return envelope[:-3] + rows.content + b"}"
        rendered = {**data, "results": json.loads(rows.content)}
        return super().render(rendered, accepted_media_type, renderer_context)
