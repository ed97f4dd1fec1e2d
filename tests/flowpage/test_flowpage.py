"""The static rendering of a compiled tree: structure, links, escaping, contacts."""

from __future__ import annotations

import html as html_lib
import json
import re
from html.parser import HTMLParser

import pytest

from generator.engine import Flow
from generator.flowpage.diagram import render_diagram_svg
from generator.site.contacts import tel_uri
from generator.flowpage import describe_condition, render_flow_html
from generator.language import Text
from generator.site.templates import Templates

SV = Text("sv")


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Collector:
    c = Collector()
    c.feed(html)
    c.close()
    return c


def render(tree, contacts):
    return render_flow_html(tree, contacts, render_diagram_svg(tree, SV), None, SV, Templates())


def test_every_node_has_its_section(tree, contacts):
    c = parse(render(tree, contacts))
    roots = [(t, a) for t, a in c.tags if a.get("data-flow") == "provflode"]
    assert [t for t, _ in roots] == ["div"], "only the flow root carries data-flow"
    roots = [a for _, a in roots]
    assert len(roots) == 1 and roots[0]["class"] == "flow"
    steps = {a["data-node"]: a for t, a in c.tags if t == "section" and "data-node" in a}
    outcomes = {a["data-outcome"]: a for t, a in c.tags if t == "section" and "data-outcome" in a}
    kinds = {n["kind"] for n in tree["nodes"].values()}
    assert kinds == {"choice", "checklist", "rating", "info", "outcome"}
    for node_id, node in tree["nodes"].items():
        if node["kind"] == "outcome":
            attrs = outcomes[node_id]
            assert attrs["id"] == f"utfall-{node_id}" and attrs["class"] == "flow-outcome"
        else:
            attrs = steps[node_id]
            assert attrs["id"] == f"steg-{node_id}" and "flow-step" in attrs["class"].split()
        assert attrs["aria-labelledby"] == f"rubrik-{node_id}"
        assert f"rubrik-{node_id}" in c.ids


def test_steps_in_yaml_order_start_first(tree, contacts):
    tree["start"] = "vad-har-hant"
    c = parse(render(tree, contacts))
    order = [a["data-node"] for t, a in c.tags if t == "section" and "data-node" in a]
    assert order == ["vad-har-hant", "fore-du-borjar", "skador", "grundfragor", "fordjupning"]
    # "Tillbaka till början" on every step but the first
    html = render(tree, contacts)
    assert html.count("Tillbaka till början") == len(order) - 1
    first = html.split('id="steg-vad-har-hant"')[1].split("</section>")[0]
    assert "Tillbaka till början" not in first


def test_every_internal_link_target_exists(tree, contacts):
    c = parse(render(tree, contacts))
    assert len(c.ids) == len(set(c.ids)), "duplicate ids"
    internal = [h for h in c.hrefs if h.startswith("#")]
    assert internal
    for href in internal:
        assert href[1:] in c.ids, href
    # option links carry data-option and point at the option's target
    options = [a for t, a in c.tags if t == "a" and "data-option" in a]
    assert {a["data-option"] for a in options} == {"vald", "skadad", "mote"}
    assert {a["data-option"]: a["href"] for a in options} == {
        "vald": "#utfall-fly", "skadad": "#steg-skador", "mote": "#steg-grundfragor"}


def test_no_blank_lines_and_one_block(tree, contacts):
    html = render(tree, contacts)
    assert html.startswith('<div class="flow"')
    assert html.endswith("</div>")
    assert all(line.strip() for line in html.split("\n"))
    assert "\n\n" not in html
    # one <div> block: the first div closes at the very end
    depth = 0
    for i, piece in enumerate(html.split("<div")[1:]):
        depth += 1
        depth -= piece.count("</div>")
        if i < html.count("<div") - 1:
            assert depth > 0


def test_blank_lines_in_texts_and_svg_are_removed(tree, contacts):
    tree["nodes"]["vad-har-hant"]["options"][0]["label"] = "Två\n\nrader"
    tree["nodes"]["fly"]["actions"][0]["text"] = "Ett\n\n\nsteg"
    html = render_flow_html(tree, contacts, "<svg>\n\n<title>x</title>\n   \n</svg>", None, SV, Templates())
    assert all(line.strip() for line in html.split("\n"))


def test_markdown_passes_the_fragment_through_unchanged(tree, contacts):
    markdown = pytest.importorskip("markdown")
    html = render(tree, contacts)
    page = f"# Rubrik\n\nInledning.\n\n{html}\n\nEfteråt.\n"
    out = markdown.markdown(page, extensions=["attr_list", "md_in_html", "tables"])
    assert html in out
    assert html in markdown.markdown(page)  # also with no extensions at all


def test_checklist_and_rating_inputs(tree, contacts):
    c = parse(render(tree, contacts))
    boxes = [a for t, a in c.tags if t == "input" and a.get("type") == "checkbox"]
    assert [(b["name"], b["value"]) for b in boxes] == [("skador", "skadade"), ("skador", "kvar")]
    labels = {a["for"] for t, a in c.tags if t == "label"}
    assert all(b["id"] in labels for b in boxes)
    assert any(t == "fieldset" for t, _ in c.tags) and any(t == "legend" for t, _ in c.tags)
    radios = [a for t, a in c.tags if t == "input" and a.get("type") == "radio"]
    assert len(radios) == (2 + 3) * 3
    assert {"name": "grundfragor--vem", "value": "hog"}.items() <= next(
        r for r in radios if r["id"] == "val-grundfragor--vem--hog").items()
    assert all(r.get("aria-label") for r in radios)
    assert next(r for r in radios if r["id"] == "val-grundfragor--vem--hog")["aria-label"] == "VEM ska jag träffa?: HÖG"
    assert sum(1 for t, _ in c.tags if t == "caption") == 2


def test_rules_in_plain_swedish(tree, contacts):
    html = render(tree, contacts)
    assert ("Om minst fyra av dina bedömningar är MÅTTLIG eller HÖG, eller minst tre av dina bedömningar är HÖG "
            "→ Överväg åtgärder") in html
    assert "Annars → Fortsatt vaksamhet" in html
    assert "Om du har kryssat i ”Någon är skadad”" in html
    assert html.count(">Fortsätt</a>") == 2  # the info step and the first rating step


def test_describe_condition_forms(tree):
    d = lambda expr, cur="skador": describe_condition(expr, tree, cur, text=SV)  # noqa: E731
    assert d('"kvar" in skador') == "du har kryssat i ”Gärningspersonen är kvar”"
    assert d('not "kvar" in skador') == "du inte har kryssat i ”Gärningspersonen är kvar”"
    assert d('"kvar" not in skador') == "du inte har kryssat i ”Gärningspersonen är kvar”"
    assert d("count(skador) >= 2") == "du har kryssat i minst två alternativ"
    assert d("count(skador) == 0") == "du inte har kryssat i något alternativ"
    assert d('"kvar" in skador and count(skador) >= 2') == (
        "du har kryssat i ”Gärningspersonen är kvar” och du har kryssat i minst två alternativ")
    assert d('vad-har-hant == "mote"') == "du har svarat ”Jag ska på ett möte” i steget ”Vad har hänt?”"
    assert d('atleast(grundfragor, "lag") >= 1', "grundfragor") == "minst en av dina bedömningar är LÅG eller högre"
    assert d('count(grundfragor, "hog") > 2', "grundfragor") == "fler än två av dina bedömningar är HÖG"
    assert d('count(grundfragor, "hog") == 0', "grundfragor") == "ingen av dina bedömningar är HÖG"
    assert d("answered(skador)") == "du har besvarat ”Vad stämmer?”"
    assert d("count(skador) * 2 >= 3") is None
    assert d("this is (not valid") is None


def test_unknown_expression_falls_back_to_the_expression(tree, contacts):
    tree["nodes"]["skador"]["next"][1]["if"] = "count(skador) * 2 >= 3"
    html = render(tree, contacts)
    assert ", eller villkoret <code>count(skador) * 2 &gt;= 3</code> gäller → Ring 112" in html
    tree["nodes"]["skador"]["next"][0]["if"] = "true"
    html = render(tree, contacts)
    assert "Om villkoret <code>true</code> gäller, eller villkoret <code>count(skador)" in html


def test_choice_option_without_next_follows_the_node_rules(tree, contacts):
    node = tree["nodes"]["vad-har-hant"]
    del node["options"][2]["next"]
    node["next"] = [{"if": 'vad-har-hant == "mote"', "goto": "grundfragor"}, {"if": None, "goto": "fly"}]
    c = parse(render(tree, contacts))
    link = next(a for t, a in c.tags if t == "a" and a.get("data-option") == "mote")
    assert link["href"] == "#steg-grundfragor"
    # a rule that cannot be settled from the option alone: the link leads to the rules
    node["next"] = [{"if": 'count(skador) >= 1', "goto": "grundfragor"}, {"if": None, "goto": "fly"}]
    c = parse(render(tree, contacts))
    link = next(a for t, a in c.tags if t == "a" and a.get("data-option") == "mote")
    assert link["href"] == "#regler-vad-har-hant" and "regler-vad-har-hant" in c.ids


def test_acute_block(tree, contacts):
    html = render(tree, contacts)
    c = parse(html)
    acute = [a for t, a in c.tags if a.get("class") == "flow-acute"]
    assert acute and acute[0]["role"] == "note"
    assert '<a class="flow-acute-call" href="tel:112">Ring 112</a>' in html
    assert html.index("flow-acute") < html.index("flow-step")
    tree["acute"] = []
    assert "flow-acute" not in render(tree, contacts)


def test_outcome_blocks(tree, contacts):
    html = render(tree, contacts)
    fly = html.split('id="utfall-fly"')[1].split("</section>")[0]
    for text in ("<h3>Ring</h3>", "<ol class=\"flow-actions\">", "<h3>Dokumentera</h3>", "<h3>Informera</h3>",
                 'href="#steg-fore-du-borjar">Börja om</a>'):
        assert text in fly
    assert fly.index("FLY om du kan.") < fly.index("Ring 112 när du är i säkerhet.")
    vaksam = html.split('id="utfall-vaksam"')[1].split("</section>")[0]
    assert "<h3>Ring</h3>" not in vaksam and "Dokumentera" not in vaksam


@pytest.mark.parametrize("phone, code, uri", [
    ("112", "+46", "tel:112"),
    ("114 14", "+46", "tel:11414"),
    ("010-470 55 64", "+46", "tel:+46104705564"),
    ("016-10 30 00", "+46", "tel:+4616103000"),
    ("+46 8 123 45", "+46", "tel:+46812345"),
    ("0046 8 123 45", "+46", "tel:+46812345"),
    ("020 7946 0018", "+44", "tel:+442079460018"),  # the calling code is the site's (calling_code)
    ("010-470 55 64", None, "tel:0104705564"),      # without one, a number stays as written
    ("", "+46", None),
])
def test_tel_uri(phone, code, uri):
    assert tel_uri(phone, code) == uri


def test_contacts_rendered_as_links(tree, contacts):
    html = render(tree, contacts)
    assert '<a class="flow-tel" href="tel:+46104705564">010-470 55 64</a>' in html
    assert '<a class="flow-tel" href="tel:11414">114 14</a>' in html
    assert '<a class="flow-tel" href="tel:+4616103000">016-10 30 00</a>' in html
    assert '<a class="flow-contact-url" href="https://samverkan.example.se/">Samverkanswebben</a>' in html
    assert ("Säkerhetshandläggaren</span><span class=\"flow-contact-via\">, nås via Organisationens växel "
            '<a class="flow-tel" href="tel:+4616103000">016-10 30 00</a>') in html


def test_unsafe_contact_url_is_not_linked(tree, contacts):
    contacts["rapportwebb"]["url"] = "javascript:alert(1)"
    html = render(tree, contacts)
    assert "javascript:" not in html


EVIL = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("evil", EVIL)
def test_everything_from_the_tree_is_escaped(tree, contacts, evil):
    tree["title"] = evil
    nodes = tree["nodes"]
    nodes["vad-har-hant"]["title"] = evil
    nodes["vad-har-hant"]["text"] = evil
    nodes["vad-har-hant"]["options"][0]["label"] = evil
    nodes["skador"]["options"][0]["label"] = evil
    nodes["grundfragor"]["items"][0]["label"] = evil
    tree["scales"]["risk"][2]["label"] = evil
    nodes["fly"]["actions"][0]["text"] = evil
    nodes["fly"]["document"] = [evil]
    nodes["fly"]["inform"] = [evil]
    contacts["larm"]["name"] = evil
    contacts["larm"]["when"] = evil
    contacts["vaxel"]["name"] = evil
    html = render(tree, contacts)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered
    assert evil.replace("<", "&lt;").replace(">", "&gt;") in html
    c = parse(html)
    assert not any(t in ("script", "img") for t, _ in c.tags)
    assert not any(k.startswith("on") for _, a in c.tags for k in a)
    # the title, option label, action and contact name each appear as text
    text = "".join(c.text)
    assert text.count(evil) >= 6


def test_attribute_values_are_escaped(tree, contacts):
    evil = '"><script>alert(1)</script>'
    tree["nodes"]["grundfragor"]["items"][0]["label"] = evil  # ends up in aria-label
    html = render(tree, contacts)
    assert "<script" not in html.lower()
    c = parse(html)
    radio = next(a for t, a in c.tags if t == "input" and a.get("id") == "val-grundfragor--vem--lag")
    assert radio["aria-label"] == f"{evil}: LÅG"


def test_text_alternative_lists_routes(tree, contacts):
    html = render(tree, contacts)
    details = html.split("<details")[1].split("</details>")[0]
    assert "<summary>Diagrammet i textform</summary>" in details
    assert details.startswith(' class="flow-diagram-text" data-search-exclude>'), "kept out of the search index"
    assert "Vad har hänt? → Någon är skadad → Vad stämmer?" in details
    assert "Fördjupning → Annars → Fortsatt vaksamhet" in details
    fig = html.split('<figure class="flow-diagram" data-search-exclude>')[1].split("</figure>")[0]
    assert "<svg" in fig and "<figcaption>" in fig
    assert html.index("</figure>") < html.index("<details")


def test_an_action_lists_its_steps_one_per_line_after_its_number(tree, contacts):
    tree["nodes"]["fly"]["actions"][1]["steps"] = ["Prata tyst.", "<b>Ring</b> inga andra samtal."]
    html = render(tree, contacts)
    fly = html.split('id="utfall-fly"')[1].split("</section>")[0]
    item = fly.split("Ring 112 när du är i säkerhet.")[1].split("</li></ul></li>")[0]
    assert 'href="tel:112"' in item.split('<ul class="flow-action-steps">')[0]  # the number, then the steps
    assert '<ul class="flow-action-steps"><li>Prata tyst.</li><li>&lt;b&gt;Ring&lt;/b&gt; inga andra samtal.</li>' in fly


def test_a_contact_known_only_in_words_is_shown_without_a_link(tree, contacts):
    contacts["sakerhetshandlaggare"] = {"name": "Säkerhetshandläggaren", "how": "står i handlingsplanen",
                                        "phone": None, "url": None, "via": None, "when": None}
    tree["nodes"]["fly"]["actions"][0]["contact"] = "sakerhetshandlaggare"
    html = render(tree, contacts)
    assert ('<span class="flow-contact-name">Säkerhetshandläggaren</span> '
            '<span class="flow-contact-how">(står i handlingsplanen)</span>') in html


def test_an_outcome_rings_only_numbers_and_says_contact_for_the_rest(tree, contacts):
    """Ring over the contacts with a number; a contact with none under Kontakta, with where to find it."""
    contacts["sakerhetshandlaggare"] = {"name": "Säkerhetshandläggaren", "how": "står i handlingsplanen",
                                        "phone": None, "url": None, "via": None, "when": None}
    tree["nodes"]["ring-112"]["call"] = ["larm", "sakerhetshandlaggare"]
    outcome = render(tree, contacts).split('data-outcome="ring-112"')[1].split("</section>")[0]
    ring, reach = outcome.split('<div class="flow-call flow-reach">')
    assert "<h3>Ring</h3>" in ring and 'href="tel:112"' in ring and "Säkerhetshandläggaren" not in ring
    assert "<h3>Kontakta</h3>" in reach and "tel:" not in reach
    assert '<span class="flow-contact-how">(står i handlingsplanen)</span>' in reach
    tree["nodes"]["ring-112"]["call"] = ["sakerhetshandlaggare"]
    outcome = render(tree, contacts).split('data-outcome="ring-112"')[1].split("</section>")[0]
    assert "<h3>Ring</h3>" not in outcome and "<h3>Kontakta</h3>" in outcome


RISK_WORDS = [{"id": "lag", "label": "Låg risk"}, {"id": "mattlig", "label": "Måttlig risk"},
              {"id": "hog", "label": "Hög risk"}]


def test_scale_labels_that_name_what_is_measured_read_as_a_sentence(tree, contacts):
    """Column headers "Låg risk / Måttlig risk / Hög risk"; in the rules' words "måttlig eller hög risk"."""
    tree["scales"]["risk"] = RISK_WORDS
    html = render(tree, contacts)
    assert ('<th scope="col">Att bedöma</th><th scope="col">Låg risk</th><th scope="col">Måttlig risk</th>'
            '<th scope="col">Hög risk</th>') in html
    assert ("Om minst fyra av dina bedömningar är måttlig eller hög risk, eller minst tre av dina bedömningar "
            "är hög risk → Överväg åtgärder") in html
    d = lambda expr: describe_condition(expr, tree, "grundfragor", text=SV)  # noqa: E731
    assert d('atleast(grundfragor, "lag") >= 1') == "minst en av dina bedömningar är låg risk eller högre"
    assert d('count(grundfragor, "mattlig") == 0') == "ingen av dina bedömningar är måttlig risk"
    assert describe_condition('atleast(grundfragor, "mattlig") >= 4', tree, "grundfragor", short=True, text=SV) == (
        "minst 4 måttlig eller hög risk")


# ---- references in tree texts: [[nummer:KEY]], [[kontakt:KEY]], [[flode:ID]] -----------------


def outcome_html(html: str, node_id: str) -> str:
    return html.split(f'id="utfall-{node_id}"')[1].split("</section>")[0]


def step_html(html: str, node_id: str) -> str:
    return html.split(f'id="steg-{node_id}"')[1].split("</section>")[0]


def test_references_in_texts_become_call_and_web_links(tree, contacts):
    nodes = tree["nodes"]
    nodes["fore-du-borjar"]["text"] = ("Ring [[nummer:larm]] nu. Vaktbolaget: [[nummer:vaktbolag]].\n\n"
                                       "Rapportera på [[nummer:rapportwebb]]. Fråga [[kontakt:polisen]].")
    nodes["fly"]["actions"][0]["text"] = "Polisanmäl, akut [[nummer:larm]]."
    nodes["fly"]["actions"][0]["steps"] = ["Växeln: [[nummer:sakerhetshandlaggare]]"]
    nodes["fly"]["document"] = ["Skicka till [[nummer:rapportwebb]]"]
    html = render(tree, contacts)
    step = step_html(html, "fore-du-borjar")
    assert '<p>Ring <a class="flow-tel" href="tel:112">112</a> nu. Vaktbolaget: ' \
           '<a class="flow-tel" href="tel:+46104705564">010-470 55 64</a>.</p>' in step
    assert ('<p>Rapportera på <a class="flow-contact-url" href="https://samverkan.example.se/">samverkan.example.se</a>. '
            'Fråga <span class="flow-contact" data-contact="polisen"><span class="flow-contact-name">Polisen</span> '
            '<a class="flow-tel" href="tel:11414">114 14</a></span>.</p>') in step
    fly = outcome_html(html, "fly")
    assert 'Polisanmäl, akut <a class="flow-tel" href="tel:112">112</a>.' in fly
    # a contact reached via another: that one's number, and whose it is
    assert '<li>Växeln: <a class="flow-tel" href="tel:+4616103000">016-10 30 00</a> (via Organisationens växel)</li>' in fly
    assert '<li>Skicka till <a class="flow-contact-url" href="https://samverkan.example.se/">' in fly
    assert "[[" not in html


def test_a_contact_known_only_in_words_is_its_words(tree, contacts):
    contacts["sakerhetshandlaggare"] = {"name": "Säkerhetshandläggaren", "how": "står i handlingsplanen",
                                        "phone": None, "url": None, "via": None, "when": None}
    tree["nodes"]["fore-du-borjar"]["text"] = "Numret [[nummer:sakerhetshandlaggare]]."
    assert "<p>Numret står i handlingsplanen.</p>" in render(tree, contacts)


def test_a_flow_reference_links_the_other_flow_page(tree, contacts):
    tree["flows"] = {"efter-en-handelse": "Efter en händelse"}
    tree["nodes"]["fly"]["text"] = "Flödet [[flode:efter-en-handelse]] hjälper dig."
    tree["nodes"]["fly"]["actions"][0]["text"] = "Gör [[flode:efter-en-handelse|det flödet]] sedan."
    fly = outcome_html(render(tree, contacts), "fly")
    assert '<p>Flödet <a class="flow-link" href="efter-en-handelse.html">Efter en händelse</a> hjälper dig.</p>' in fly
    assert 'Gör <a class="flow-link" href="efter-en-handelse.html">det flödet</a> sedan.' in fly


@pytest.mark.parametrize("text", [
    "[[nummer:finns-inte]]", "[[kontakt:finns-inte]]", "[[flode:finns-inte]]", "[[okand:larm]]",
    "[[flode:javascript:alert(1)]]",
])
def test_a_reference_that_cannot_be_resolved_stays_text(tree, contacts, text):
    """The check refuses these; rendered anyway (a build with the check off), they are text, not links."""
    tree["flows"] = {"javascript:alert(1)": "x"}
    tree["nodes"]["fore-du-borjar"]["text"] = f"Se {text} nu."
    step = step_html(render(tree, contacts), "fore-du-borjar")
    assert f"<p>Se {text} nu.</p>" in step
    assert "javascript:alert(1).html" not in step


@pytest.mark.parametrize("evil", EVIL + ['"><script>alert(1)</script>'])
def test_text_around_references_and_link_texts_are_escaped(tree, contacts, evil):
    tree["flows"] = {"annat": evil}
    tree["nodes"]["fore-du-borjar"]["text"] = f"{evil} [[nummer:larm]] {evil} [[flode:annat]] [[flode:annat|{evil}]]"
    tree["nodes"]["fly"]["actions"][0]["text"] = f"{evil}[[kontakt:polisen]]{evil}"
    tree["nodes"]["fly"]["actions"][0]["steps"] = [f"[[nummer:larm]]{evil}"]
    tree["nodes"]["fly"]["actions"][0]["if"] = '"skadade" in skador'
    contacts["polisen"]["name"] = evil
    html = render(tree, contacts)
    assert "<script" not in html.lower() and "<img" not in html.lower()
    c = parse(html)
    assert not any(t in ("script", "img") for t, _ in c.tags)
    assert not any(k.startswith("on") for _, a in c.tags for k in a)
    assert "".join(c.text).count(evil) >= 7
    links = [a for t, a in c.tags if t == "a" and a.get("class") == "flow-link"]
    assert [a["href"] for a in links] == ["annat.html", "annat.html"]


# ---- actions with a condition ---------------------------------------------------------------


def test_conditional_actions_carry_their_condition_in_words_and_for_the_live_flow(tree, contacts):
    actions = tree["nodes"]["dokumentera"]["actions"]
    actions[0]["if"] = '"kvar" not in skador'
    actions[1]["if"] = '"skadade" in skador and vad-har-hant == "skadad"'
    html = outcome_html(render(tree, contacts), "dokumentera")
    c = parse(html)
    items = [a for t, a in c.tags if t == "li" and "data-action-index" in a]
    assert [a["data-action-index"] for a in items] == ["0", "1", "2"], "every action is numbered for the live flow"
    assert [a.get("data-if-node") for a in items] == ["skador", "skador vad-har-hant", None]
    assert ('<li data-action-index="0" data-if-node="skador"><span class="flow-action-if">'
            "Om du inte har kryssat i ”Gärningspersonen är kvar”:<br></span>Anmäl till polisen.") in html
    # a condition on two steps names the step of each answer
    assert ("Om du har kryssat i ”Någon är skadad” i steget ”Vad stämmer?” och du har svarat ”Någon är skadad” "
            "i steget ”Vad har hänt?”:") in html
    assert '<li data-action-index="2">Prata med säkerhetshandläggaren.' in html


def test_a_condition_without_plain_words_shows_the_expression(tree, contacts):
    tree["nodes"]["dokumentera"]["actions"][0]["if"] = "count(skador) * 2 >= 3"
    html = outcome_html(render(tree, contacts), "dokumentera")
    assert '<span class="flow-action-if">Om villkoret <code>count(skador) * 2 &gt;= 3</code> gäller:<br></span>' in html


def test_a_choices_and_a_checklists_answer_are_blanks_named_by_their_steps_titles(tree, contacts):
    # The static page and the PDF's worksheet: a blank the live flow fills in by data-field.
    tree["nodes"]["dokumentera"]["template"] = {"title": "Redogörelse", "sections": [
        {"heading": "Vad", "text": "Det som hände: [[answer:vad-har-hant]]\nGjort: [[answer:skador]]."}]}
    html = outcome_html(render(tree, contacts), "dokumentera")
    assert '<p>Det som hände: <span class="flow-blank" data-field="vad-har-hant">Vad har hänt?</span></p>' in html
    assert '<p>Gjort: <span class="flow-blank" data-field="skador">Vad stämmer?</span>.</p>' in html


def test_the_live_page_gets_the_engines_account_parts_and_no_path_file(tree, contacts):
    # One reading of the template, the engine's: the browser fills its parts, never parses the text.
    tree["nodes"]["dokumentera"]["template"] = {"title": "Redogörelse", "sections": [
        {"heading": "Vad", "text": "Det som hände: [[answer:vad-har-hant]]\nGjort: [[answer:skador]]."}]}
    tree["paths"] = "tree provflode: ... (the path file, for review only)\n"
    html = render_flow_html(tree, contacts, "", {"data-pyodide": "/p/"}, SV, Templates())
    data = json.loads(html_lib.unescape(re.search(r'<script type="application/json" class="flow-tree"[^>]*>(.*?)</script>',
                                                  html, re.S).group(1)))
    assert data["accounts"] == {"dokumentera": Flow(tree).accounts["dokumentera"]}
    assert data["accounts"]["dokumentera"]["sections"][0]["parts"] == [
        {"text": "Det som hände: "}, {"field": "vad-har-hant", "label": "Vad har hänt?", "type": "choice"},
        {"text": "\nGjort: "}, {"field": "skador", "label": "Vad stämmer?", "type": "checklist"}, {"text": "."}]
    assert "paths" not in data
