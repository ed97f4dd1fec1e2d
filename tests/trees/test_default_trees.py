"""The four default trees load without problems and compile to the engine's JSON form."""

from __future__ import annotations

import json
import re

import pytest

from generator.engine import Flow, enumerate_paths
from generator.trees import load_trees

from .helpers import CONTACTS, DEFAULT_TREES, ROOT, SOURCES, phone_numbers, TERMS
from generator.language import vocabulary

WORDS = vocabulary("sv")  # the trees here are a Swedish site's

TREE_KEYS = {"format", "id", "title", "description", "sources", "reviewed", "acute", "start", "scales", "nodes", "flows", "routes", "walked", "paths"}
NODE_KEYS = {
    "choice": {"id", "kind", "title", "text", "options", "next"},
    "checklist": {"id", "kind", "title", "text", "options", "next"},
    "rating": {"id", "kind", "title", "text", "scale", "items", "next"},
    "info": {"id", "kind", "title", "text", "next"},
    "form": {"id", "kind", "title", "text", "fields", "next"},
    "outcome": {"id", "kind", "title", "text", "call", "actions", "document", "inform"},
}


@pytest.fixture(scope="module")
def loaded():
    return load_trees(ROOT, CONTACTS, SOURCES, terms=TERMS, words=WORDS)


@pytest.fixture(scope="module")
def trees(loaded):
    return loaded[0]


def texts_of(tree: dict) -> list[str]:
    out = [tree["title"], tree["description"]]
    for node in tree["nodes"].values():
        out += [node["title"], node["text"]]
        out += [o["label"] for o in node.get("options", [])]
        out += [i["label"] for i in node.get("items", [])]
        out += [a["text"] for a in node.get("actions", [])]
        out += node.get("document", []) + node.get("inform", [])
    for steps in tree["scales"].values():
        out += [s["label"] for s in steps]
    return out


def test_default_trees_load_without_problems(loaded):
    trees, problems = loaded
    assert [p.format() for p in problems] == []
    assert sorted(trees) == DEFAULT_TREES


@pytest.mark.parametrize("tree_id", DEFAULT_TREES)
def test_compiled_tree_is_json_and_the_engine_accepts_it(trees, tree_id):
    compiled = trees[tree_id]
    again = json.loads(json.dumps(compiled, ensure_ascii=False))
    assert again == compiled
    flow = Flow(again)
    assert flow.run({})["status"] == "question"


@pytest.mark.parametrize("tree_id", DEFAULT_TREES)
def test_compiled_tree_has_exactly_the_spec_shape(trees, tree_id):
    compiled = trees[tree_id]
    assert set(compiled) == TREE_KEYS
    assert compiled["format"] == 1
    assert compiled["id"] == tree_id
    assert compiled["reviewed"] == "2026-11-22"
    assert compiled["sources"] and set(compiled["sources"]) <= SOURCES
    assert "larm" in compiled["acute"]
    for node_id, node in compiled["nodes"].items():
        assert node["id"] == node_id
        assert set(node) - {"template"} == NODE_KEYS[node["kind"]], node_id
        assert "template" not in node or node["kind"] == "outcome"
        for rule in node.get("next", []):
            assert set(rule) == {"if", "goto"}
            assert rule["if"] is None or isinstance(rule["if"], str)
        for option in node.get("options", []):
            expected = {"id", "label", "next"} if node["kind"] == "choice" else {"id", "label"}
            assert set(option) == expected
        for action in node.get("actions", []):
            assert set(action) == {"text", "contact", "steps", "if"}
            assert action["contact"] is None or action["contact"] in CONTACTS
            assert all(isinstance(step, str) and step for step in action["steps"])
        assert set(node.get("call", [])) <= CONTACTS
    # [[flode:ID]] names another default flow, with its title
    assert set(compiled["flows"]) <= set(DEFAULT_TREES) - {tree_id}


@pytest.mark.parametrize("tree_id", DEFAULT_TREES)
def test_every_path_ends_in_an_outcome_and_every_outcome_is_used(trees, tree_id):
    compiled = trees[tree_id]
    paths = list(enumerate_paths(compiled))
    assert paths
    assert [p for p in paths if p["problem"]] == []
    outcomes = {n for n, node in compiled["nodes"].items() if node["kind"] == "outcome"}
    assert {p["outcome"] for p in paths} == outcomes


@pytest.mark.parametrize("tree_id", DEFAULT_TREES)
def test_numbers_come_only_from_contact_keys(trees, tree_id):
    """Phone numbers live in content/kontakter.yml; a tree names them by key, never in its text."""
    numbers = [re.sub(r"\D", "", n) for n in phone_numbers()]
    for text in texts_of(trees[tree_id]):
        digits = re.sub(r"[\s-]", "", text)
        for number in numbers:
            assert number not in digits, (number, text)


def test_vad_gor_jag_nu_outcomes_say_what_to_do_call_document_and_inform(trees):
    tree = trees["vad-gor-jag-nu"]
    assert tree["acute"] == ["larm"]
    first = tree["nodes"][tree["start"]]
    assert first["kind"] == "choice" and first["title"] == "Vad händer?"
    for node in tree["nodes"].values():
        if node["kind"] == "outcome":
            assert node["actions"] and node["document"] and node["inform"], node["id"]
            # Every outcome gives a number: above the steps, or (where fleeing comes first) in a step.
            assert node["call"] or any(a["contact"] for a in node["actions"]), node["id"]


def test_the_pdv_outcome_has_no_number_above_its_steps(trees):
    """FLY and SÖK SKYDD come before calling: the number stands in the LARMA step, not above."""
    assert trees["vad-gor-jag-nu"]["nodes"]["fly-sok-skydd-larma"]["call"] == []


def test_pdv_outcome_keeps_the_order_fly_sok_skydd_larma_polis(trees):
    flow = Flow(trees["vad-gor-jag-nu"])
    result = flow.run({"vad-hander": "pagaende-dodligt-vald"})
    assert result["status"] == "outcome"
    actions = result["outcome"]["actions"]
    assert len(actions) == 4
    for action, word in zip(actions, ["FLY", "SÖK SKYDD", "LARMA", "POLIS"]):
        assert action["text"].startswith(word), action["text"]
    assert [a["contact"] for a in actions] == [None, None, "larm", None]
    assert "500 meter" in " ".join(actions[0]["steps"])
    # One instruction per line, and flight mode only once the call has ended (docs/innehallsfragor.md).
    assert len(actions[1]["steps"]) >= 4
    assert any("flygplansläge" in step and "samtalet är slut" in step for step in actions[2]["steps"])
    assert "Visa händerna." in actions[3]["steps"]


@pytest.mark.parametrize(
    "what, place, outcome, guards",
    [
        ("vald", "organisationens-lokaler", "vald-i-lokalerna", True),
        ("vald", "annan-plats", "vald-annan-plats", False),
        ("hot-pa-plats", "organisationens-lokaler", "hot-i-lokalerna", True),
        ("hot-pa-plats", "annan-plats", "hot-annan-plats", False),
    ],
)
def test_the_place_decides_whether_to_call_the_guard_company(trees, what, place, outcome, guards):
    result = Flow(trees["vad-gor-jag-nu"]).run({"vad-hander": what, "var-ar-du": place})
    assert result["outcome"]["id"] == outcome
    assert ("vaktbolag" in result["outcome"]["call"]) is guards
    assert "larm" in result["outcome"]["call"]


@pytest.mark.parametrize(
    "answers, outcome",
    [
        ({"vad-hander": "brev-paket", "brev-misstanke": "misstankt-foremal"}, "farligt-foremal"),
        ({"vad-hander": "brev-paket", "brev-misstanke": "inget-misstankt"}, "hotfullt-brev"),
        ({"vad-hander": "sociala-medier", "sociala-medier-vad": "hot-hat-inlagg"}, "hot-pa-sociala-medier"),
        ({"vad-hander": "sociala-medier", "sociala-medier-vad": "kapat-konto"}, "kapat-konto"),
        ({"vad-hander": "sociala-medier", "sociala-medier-vad": "falskt-konto"}, "falskt-konto"),
        ({"vad-hander": "hot-telefon"}, "hot-i-telefon"),
        ({"vad-hander": "mejl-sms"}, "hot-i-meddelande"),
        ({"vad-hander": "redan-hant"}, "det-har-hant"),
    ],
)
def test_vad_gor_jag_nu_routes(trees, answers, outcome):
    assert Flow(trees["vad-gor-jag-nu"]).run(answers)["outcome"]["id"] == outcome


EFTER_STEPS = ["informera-tib", "dokumentera", "polisanmal", "rapportera", "informera-partiet"]
EFTER_DONE = ["tib", "dokumenterat", "polisanmalt", "rapporterat", "partiet"]


def test_efter_en_handelse_shows_only_the_steps_that_remain(trees):
    flow = Flow(trees["efter-en-handelse"])
    base = {"fara-nu": "nej", "nar-hande": "nyss", "ta-hand-om-varandra": True}
    nothing_done = {**base, "redan-gjort": [], **{s: True for s in EFTER_STEPS}}
    result = flow.run(nothing_done)
    assert result["outcome"]["id"] == "kvar-att-gora"
    assert result["path"][-6:-1] == EFTER_STEPS
    everything = flow.run({**base, "redan-gjort": EFTER_DONE})
    assert everything["path"] == ["fara-nu", "nar-hande", "ta-hand-om-varandra", "redan-gjort", "kvar-att-gora"]
    some = flow.run({**base, "redan-gjort": ["tib", "polisanmalt"], **{s: True for s in EFTER_STEPS}})
    assert some["path"][4:] == ["dokumentera", "rapportera", "informera-partiet", "kvar-att-gora"]
    danger = flow.run({"fara-nu": "ja"})
    assert danger["node"] == "larma-forst"
    assert flow.run({"fara-nu": "ja", "larma-forst": True})["node"] == "ta-hand-om-varandra"


def test_efter_en_handelse_for_something_that_happened_earlier_skips_first_aid(trees):
    """"It happened yesterday": no first aid, straight to what may be left to do."""
    flow = Flow(trees["efter-en-handelse"])
    node = trees["efter-en-handelse"]["nodes"]["nar-hande"]
    assert node["kind"] == "choice" and [o["id"] for o in node["options"]] == ["nyss", "tidigare"]
    assert flow.run({"fara-nu": "nej"})["node"] == "nar-hande"
    earlier = flow.run({"fara-nu": "nej", "nar-hande": "tidigare"})
    assert earlier["node"] == "redan-gjort"
    assert "ta-hand-om-varandra" not in earlier["path"]
    assert flow.run({"fara-nu": "nej", "nar-hande": "nyss"})["node"] == "ta-hand-om-varandra"
    for path in enumerate_paths(trees["efter-en-handelse"]):
        if path["outcome"] == "kvar-att-gora":  # the paths for violence still going on end before
            assert ("ta-hand-om-varandra" in path["path"]) == (path["answers"].get("nar-hande") != "tidigare")


def action_texts(result: dict) -> list[str]:
    return [a["text"] for a in result["outcome"]["actions"]]


@pytest.mark.parametrize("done", [[], ["polisanmalt"], ["tib", "rapporterat"], EFTER_DONE])
def test_kvar_att_gora_lists_only_what_is_not_ticked(trees, done):
    """The outcome's conditional actions are the ticked-off list turned around: one per option
    not ticked, none for one ticked; the support after the incident always follows."""
    compiled = trees["efter-en-handelse"]
    flow = Flow(compiled)
    answers = {"fara-nu": "nej", "nar-hande": "tidigare", "redan-gjort": done, **{s: True for s in EFTER_STEPS}}
    result = flow.run(answers)
    assert result["status"] == "outcome" and result["node"] == "kvar-att-gora"
    actions = compiled["nodes"]["kvar-att-gora"]["actions"]
    conditional = {a["if"].split('"')[1]: i for i, a in enumerate(actions) if a["if"]}
    assert sorted(conditional) == sorted(EFTER_DONE), "one conditional action per option of the checklist"
    shown = [a["index"] for a in result["outcome"]["actions"]]
    expected = [i for i, a in enumerate(actions) if not a["if"] or a["if"].split('"')[1] not in done]
    assert shown == expected
    assert all(not actions[i]["if"] for i in shown if i not in conditional.values())
    assert len([i for i in shown if actions[i]["if"]]) == 5 - len(done)


def test_kvar_att_gora_gives_the_number_or_address_of_each_remaining_action(trees):
    actions = {a["if"].split('"')[1]: a for a in trees["efter-en-handelse"]["nodes"]["kvar-att-gora"]["actions"] if a["if"]}
    assert actions["tib"]["contact"] == "tib"
    assert actions["polisanmalt"]["contact"] == "polisen" and "[[nummer:larm]]" in actions["polisanmalt"]["text"]
    assert actions["rapporterat"]["contact"] == "rapportwebb"
    assert actions["dokumenterat"]["steps"][:3] == ["Vad hände innan?", "Vad hände under händelsen?", "Vad gjorde ni?"]


def test_efter_en_handelse_steps_carry_their_numbers(trees):
    """Every step that says to call or report shows the number or address in the step itself."""
    nodes = trees["efter-en-handelse"]["nodes"]
    assert "[[nummer:larm]]" in nodes["larma-forst"]["text"] and "[[nummer:vaktbolag]]" in nodes["larma-forst"]["text"]
    assert "[[nummer:larm]]" in nodes["polisanmal"]["text"] and "[[nummer:polisen]]" in nodes["polisanmal"]["text"]
    assert "[[nummer:rapportwebb]]" in nodes["rapportera"]["text"]
    assert "[[nummer:tib]]" in nodes["informera-tib"]["text"]


def test_vad_gor_jag_nu_links_the_after_incident_flow(trees):
    tree = trees["vad-gor-jag-nu"]
    assert "[[flode:efter-en-handelse]]" in tree["nodes"]["det-har-hant"]["text"]
    assert tree["flows"] == {"efter-en-handelse": "Efter en händelse", "dokumentera-handelsen": "Dokumentera händelsen"}


def test_efter_en_handelse_police_report_facts(trees):
    text = trees["efter-en-handelse"]["nodes"]["polisanmal"]["text"]
    for fact in ("åtkomstskyddad", "sekretessbelagd", "åtal", "förtroendevald", "säkerhetshandläggaren",
                 "[[nummer:larm]]", "[[nummer:polisen]]"):
        assert fact in text
    # Under "Akut fara?" stands only 112: 114 14 is for when it is not urgent, and TiB is in its step.
    assert trees["efter-en-handelse"]["acute"] == ["larm"]


VIOLENCE_OUTCOMES = ["fly-sok-skydd-larma", "vald-i-lokalerna", "vald-annan-plats"]


@pytest.mark.parametrize(
    "answers, outcome",
    [
        ({"fara-nu": "pagaende-dodligt-vald"}, "fly-sok-skydd-larma"),
        ({"fara-nu": "vald", "var-ar-du": "organisationens-lokaler"}, "vald-i-lokalerna"),
        ({"fara-nu": "vald", "var-ar-du": "annan-plats"}, "vald-annan-plats"),
    ],
)
def test_efter_en_handelse_sends_violence_still_going_on_to_the_violence_outcomes(trees, answers, outcome):
    """Violence still going on is asked about in the first question and gets the steps of "Vad gör
    jag nu?", not "ring 112 before anything else" (issue 24)."""
    first = trees["efter-en-handelse"]["nodes"][trees["efter-en-handelse"]["start"]]
    assert [o["id"] for o in first["options"]][:2] == ["pagaende-dodligt-vald", "vald"], "violence is asked about first"
    assert Flow(trees["efter-en-handelse"]).run(answers)["outcome"]["id"] == outcome
    same = {("vad-hander" if node == "fara-nu" else node): answer for node, answer in answers.items()}
    assert Flow(trees["vad-gor-jag-nu"]).run(same)["outcome"]["id"] == outcome
    assert Flow(trees["efter-en-handelse"]).run({"fara-nu": "ja"})["node"] == "larma-forst"


@pytest.mark.parametrize("outcome", VIOLENCE_OUTCOMES)
def test_the_violence_outcomes_are_the_same_in_both_flows(trees, outcome):
    """efter-en-handelse.yml repeats three outcomes of vad-gor-jag-nu.yml; they may not drift apart."""
    assert trees["efter-en-handelse"]["nodes"][outcome] == trees["vad-gor-jag-nu"]["nodes"][outcome]


@pytest.mark.parametrize("outcome", ["overvag-atgarder", "fortsatt-vaksamhet"])
def test_risk_outcomes_say_it_is_a_self_assessment(trees, outcome):
    node = trees["riskinventering"]["nodes"][outcome]
    assert "självskattning" in node["text"]
    assert "inte en riskanalys från polisen" in node["text"]
    assert len(node["actions"]) >= 5


def test_riskinventering_questions_and_scale(trees):
    tree = trees["riskinventering"]
    # The column headers say what is measured (issue 17); the ids, the rule and the paths stay.
    assert tree["scales"]["risk"] == [
        {"id": "lag", "label": "Låg risk"}, {"id": "mattlig", "label": "Måttlig risk"}, {"id": "hog", "label": "Hög risk"},
    ]
    assert [i["id"] for i in tree["nodes"]["grundfragor"]["items"]] == ["vem", "vad", "hur", "nar-var"]
    assert [i["id"] for i in tree["nodes"]["fordjupning"]["items"]] == [
        "spanningar", "tidigare-hot", "politiska-spanningar", "mediadiskussion", "grupperingar", "fortroende", "okand-plats",
    ]
    for node_id in ("grundfragor", "fordjupning"):
        assert tree["nodes"][node_id]["kind"] == "rating" and tree["nodes"][node_id]["scale"] == "risk"


def test_riskinventering_items_are_risks_to_rate_not_questions(trees):
    """Each row is rated on "Låg risk / Måttlig risk / Hög risk": a risk, never a yes/no question,
    and none where a high rating would mean less risk (the trust item names low trust)."""
    nodes = trees["riskinventering"]["nodes"]
    labels = {item["id"]: item["label"] for node_id in ("grundfragor", "fordjupning") for item in nodes[node_id]["items"]}
    assert not [label for label in labels.values() if label.endswith("?")]
    assert all(labels[i].startswith(f"{word}: risken") for i, word in
               [("vem", "VEM"), ("vad", "VAD"), ("hur", "HUR"), ("nar-var", "NÄR och VAR")])
    assert labels["fortroende"].startswith("Lågt förtroende")
