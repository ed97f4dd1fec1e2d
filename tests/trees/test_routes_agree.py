"""One routing truth: where every option and step leads is decided once, by the engine's routes
(Flow.routes), and the engine at run time, the static page, the diagram, the PDF and the live
flow's data all agree with it, on every option of every flow of the default site and the
example municipality. Walked from the compiled form, not re-derived."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from generator.flowpage.diagram import render_diagram_svg
from generator.engine import Flow, enumerate_paths
from generator.flowpage import render_flow_html
from generator.pdf import Book
from generator.pdf.document import Assembler
from generator.project import Project
from generator.siteconfig import settings_for

REPO = Path(__file__).resolve().parents[2]
SITES = {"default": REPO, "kommun": REPO / "examples" / "kommun"}


@pytest.fixture(scope="module", params=sorted(SITES))
def project(request):
    return Project.load(settings_for(SITES[request.param]))


def _flows(project):
    assert project.flows, "the site has flows"
    return project.flows.items()


def _static_routes(compiled):
    """(node, option or None, target) of every route the tree alone decides."""
    for node_id, routes in compiled["routes"].items():
        for option, target in (routes.get("options") or {}).items():
            if target:
                yield node_id, option, target
        if routes["next"]:
            yield node_id, None, routes["next"]


def _attributes(html, tag_class):
    """The attributes of each <a> of a class, in order."""
    found = []
    for tag in re.findall(r"<a\b[^>]*>", html):
        attrs = {k: unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', tag)}
        if tag_class in attrs.get("class", "").split():
            found.append(attrs)
    return found


def test_every_checked_tree_carries_the_engines_routes(project):
    for flow_id, compiled in _flows(project):
        assert compiled["routes"] == Flow(compiled).routes, flow_id


def test_the_engine_at_run_time_goes_where_the_routes_say(project):
    for flow_id, compiled in _flows(project):
        flow = Flow(compiled)
        settled = {(n, o): t for n, o, t in _static_routes(compiled)}
        walked = 0
        for path in enumerate_paths(flow):
            steps = path["path"]
            for here, there in zip(steps, steps[1:]):
                answer = path["answers"].get(here) if compiled["nodes"][here]["kind"] == "choice" else None
                target = settled.get((here, answer))
                if target is not None:
                    assert there == target, (flow_id, here, answer, path)
                    walked += 1
                assert there in flow.routes[here]["targets"], (flow_id, here, there)
        assert walked, flow_id


def _walk_without_engine(compiled, answers):
    """The steps the browser moves through before the engine: by the routes, then by `walked`,
    as flow-model.js does (staticNext, then walkedNext); stops where neither knows."""
    here, trail = compiled["start"], []
    while compiled["nodes"][here]["kind"] != "outcome":
        trail.append(here)
        route = compiled["routes"][here]
        there = route["options"].get(answers.get(here)) if "options" in route else route["next"]
        if there is None:
            after = {step: answers[step] for step in trail}
            there = next((e["to"] for e in compiled.get("walked", {}).get(here, []) if e["after"] == after), None)
        if there is None:
            return trail
        here = there
    return trail + [here]


def test_a_flow_of_choices_moves_through_every_path_without_the_engine(project):
    """Every path of plain answers (choices, read steps) is walked by the routes and `walked`
    alone, exactly as the engine walks it; vad-gor-jag-nu, all choices, reaches every outcome so."""
    for flow_id, compiled in _flows(project):
        reached = set()
        for path in enumerate_paths(Flow(compiled)):
            if path["outcome"] and all(isinstance(v, (str, bool)) for v in path["answers"].values()):
                assert _walk_without_engine(compiled, path["answers"]) == path["path"], (flow_id, path)
                reached.add(path["outcome"])
        if flow_id == "vad-gor-jag-nu":
            outcomes = {n for n, node in compiled["nodes"].items() if node["kind"] == "outcome"}
            assert reached == outcomes


def test_the_static_page_links_each_option_where_the_routes_say(project):
    for flow_id, compiled in _flows(project):
        html = render_flow_html(compiled, project.contacts, "", {"data-x": "1"}, project.text, project.templates)
        links = {(a["data-option"]): a.get("data-goto") for a in _attributes(html, "flow-option")}
        for node_id, routes in compiled["routes"].items():
            for option, target in (routes.get("options") or {}).items():
                node_html = html.split(f'data-node="{node_id}"', 1)[1] if f'data-node="{node_id}"' in html else html
                assert option in links or option in node_html, (flow_id, node_id, option)
                if target:
                    options = [a for a in _attributes(node_html, "flow-option") if a["data-option"] == option]
                    assert options and options[0].get("data-goto") == target, (flow_id, node_id, option)
        data = re.search(r'<script type="application/json" class="flow-tree"[^>]*>(.*?)</script>', html, re.S)
        assert json.loads(data.group(1))["routes"] == compiled["routes"], flow_id
        assert json.loads(data.group(1))["walked"] == compiled["walked"], flow_id


def test_the_diagram_draws_an_arrow_for_every_target(project):
    for flow_id, compiled in _flows(project):
        svg = render_diagram_svg(compiled, project.text)
        arrows = set(re.findall(r'data-from="([^"]+)" data-to="([^"]+)"', svg))
        for node_id, _, target in _static_routes(compiled):
            assert (node_id, target) in arrows, (flow_id, node_id, target)
        expected = {(n, t) for n, r in compiled["routes"].items() for t in r["targets"]}
        assert arrows == expected, flow_id


def test_the_printed_flow_points_each_option_where_the_routes_say(project):
    document = Assembler(Book(project, None)).handbook()
    for flow_id, compiled in _flows(project):
        for node_id, option, target in _static_routes(compiled):
            if option is None:
                continue
            links = [a for a in _attributes(document, "flow-option") if a.get("data-option") == option
                     and a.get("data-goto")]
            assert any(a["data-goto"] == target for a in links), (flow_id, node_id, option, target)
