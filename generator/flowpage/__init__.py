"""The static (no-JavaScript) form of a compiled decision tree: the flow page.

`render_flow_html(compiled, contacts, diagram_svg)` returns one block-level HTML fragment (a single
``<div class="flow">`` with no blank lines), so Python-Markdown passes it through unchanged when it
is placed at column 0 in a page body. Every step and every outcome is rendered; choice options are
plain links between the steps, and checklist and rating steps list their routing rules in words, so
the whole flow can be followed without JavaScript and printed. The browser engine later takes over
the same markup (the ``data-*`` attributes).

The rooms: `nodes` (the tree's steps and outcomes, their ids on the page), `routes` (where each
leads, from the engine's routes), `wording` (the rules in the reader's words), `references` (contacts
and references inside tree texts), `page` (the templates' context). The markup is in the templates
tryggt/flow/*.html (generator/site/templates.py), which a site may override.
"""

from __future__ import annotations

from typing import Optional

from generator.language import Text
from generator.site.templates import Templates

from generator.flowpage.nodes import kind_label, outcome_order, step_order
from generator.flowpage.page import FlowPage
from generator.flowpage.routes import grouped_rules, route_list
from generator.flowpage.wording import Wording, describe_condition

__all__ = ["render_flow_html", "flow_context", "describe_condition", "route_list", "grouped_rules", "kind_label",
           "step_order", "outcome_order", "Wording"]


def flow_context(compiled: dict, contacts: dict[str, dict], diagram_svg: str,
                 runtime_attributes: Optional[dict[str, str]], text: Text) -> dict:
    """The context of tryggt/flow/page.html (docs/mallar.md)."""
    return FlowPage(compiled, contacts or {}, text).context(diagram_svg, runtime_attributes)


def render_flow_html(compiled: dict, contacts: dict[str, dict], diagram_svg: str,
                     runtime_attributes: Optional[dict[str, str]], text: Text, templates: Templates) -> str:
    """The whole static flow as one HTML block (a single <div>, no blank lines), in the language
    of `text`, from the site's templates.

    With `runtime_attributes` (data attributes naming the Pyodide folder and the engine zip) the
    block also carries the compiled tree as a JSON data block, for the browser engine.

    `compiled` is the compiled tree (docs/tree-format.md), `contacts` maps a contact key to
    {"name", "phone", "url", "via", "how", "when"}, `diagram_svg` is the inline SVG from
    `generator.flowpage.diagram.render_diagram_svg` (trusted: it is generated, not written by hand).
    """
    html = templates.render("flow/page.html", **flow_context(compiled, contacts, diagram_svg, runtime_attributes, text))
    # An override may leave a blank line, and a blank line would end the HTML block in Markdown.
    return "\n".join(line for line in html.splitlines() if line.strip())
