"""Form steps and the account an outcome assembles: validation, answers, routing that sees only
whether a field is filled, every path proved, and the document as plain data."""

from __future__ import annotations

import copy

import pytest

from generator.engine import EngineError, Flow, enumerate_paths, format_paths, run_json
from generator.engine.forms import MAX_FIELD_CHARS

TREE = {
    "format": 1, "id": "dok", "title": "Dokumentera", "start": "hande",
    "nodes": {
        "hande": {"id": "hande", "kind": "form", "title": "Vad hände?", "fields": [
            {"id": "nar", "label": "När", "type": "datetime", "required": True},
            {"id": "vad", "label": "Vad hände", "type": "text"},
            {"id": "vittnen", "label": "Fanns det vittnen?", "type": "yesno"},
            {"id": "plats", "label": "Plats", "type": "line", "hint": "Adress eller lokal"},
        ], "next": [{"if": 'yes(hande, "vittnen")', "goto": "vittne"}, {"if": None, "goto": "klart"}]},
        "vittne": {"id": "vittne", "kind": "form", "title": "Vittnen", "fields": [
            {"id": "vem", "label": "Vem", "type": "text"}], "next": [{"if": None, "goto": "klart"}]},
        "klart": {"id": "klart", "kind": "outcome", "title": "Din redogörelse",
                  "actions": [{"text": "Spara texten."}],
                  "template": {"title": "Redogörelse", "sections": [
                      {"heading": "Före", "text": "Tid: [[answer:hande.nar]]\nPlats: [[answer:hande.plats]]"},
                      {"heading": "Under", "text": "[[answer:hande.vad]]"},
                      {"heading": "Vittnen", "text": "[[answer:hande.vittnen]] [[answer:vittne.vem]]"}]}},
    },
}


def flow(tree=TREE):
    return Flow(copy.deepcopy(tree))


def test_a_form_answer_keeps_filled_fields_in_field_order_and_drops_blank_ones():
    value, reason = flow().check_answer("hande", {"plats": "Stadshuset", "vad": "   ", "nar": "2026-11-29T14:30"})
    assert reason is None
    assert list(value) == ["nar", "plats"]


@pytest.mark.parametrize("answer, reason", [
    ({}, "required field not filled (nar)"),
    ({"nar": "  "}, "required field not filled (nar)"),
    ({"nar": "x", "okant": "y"}, "'okant' is not a field"),
    ({"nar": "x", "vittnen": "ja"}, "takes true, false or nothing"),
    ({"nar": 5}, "takes text"),
    ({"nar": "x" * (MAX_FIELD_CHARS + 1)}, "longer than"),
    ("text", "takes a dict"),
])
def test_a_bad_form_answer_is_refused_with_a_reason(answer, reason):
    value, why = flow().check_answer("hande", answer)
    assert value is None and reason in why


def test_routing_sees_only_whether_a_yes_no_is_yes():
    f = flow()
    assert f.run({"hande": {"nar": "i går", "vittnen": True}})["node"] == "vittne"
    assert f.run({"hande": {"nar": "i går", "vittnen": False}})["node"] == "klart"
    assert f.run({"hande": {"nar": "i går"}})["node"] == "klart"


def test_filled_sees_text_but_not_its_content():
    tree = copy.deepcopy(TREE)
    tree["nodes"]["hande"]["next"] = [{"if": 'filled(hande, "vad")', "goto": "vittne"}, {"if": None, "goto": "klart"}]
    f = flow(tree)
    assert f.run({"hande": {"nar": "x", "vad": "ja"}})["node"] == "vittne"
    assert f.run({"hande": {"nar": "x", "vad": "nej"}})["node"] == "vittne"
    assert f.run({"hande": {"nar": "x", "vad": " \n"}})["node"] == "klart"


def test_the_outcome_assembles_the_account_in_the_templates_order():
    answers = {"hande": {"nar": "2026-11-29T14:30", "vad": "<script>alert(1)</script>", "vittnen": True},
               "vittne": {"vem": "En granne"}}
    account = flow().run(answers)["outcome"]["account"]
    assert account["title"] == "Redogörelse"
    assert [s["heading"] for s in account["sections"]] == ["Före", "Under", "Vittnen"]
    before = account["sections"][0]["parts"]
    assert before[0] == {"text": "Tid: "}
    assert before[1] == {"field": "hande.nar", "label": "När", "type": "datetime", "value": "2026-11-29T14:30"}
    assert before[3]["value"] is None  # the place was not filled
    assert account["sections"][1]["parts"][0]["value"] == "<script>alert(1)</script>"  # data, never markup
    assert [p.get("value") for p in account["sections"][2]["parts"] if "field" in p] == [True, "En granne"]


def test_the_account_survives_the_browsers_json_round_trip():
    import json
    text = "\u202eRTL\u202c " + "å" * 10_000
    out = json.loads(run_json(json.dumps(TREE), json.dumps({"hande": {"nar": "x", "vad": text}})))
    assert out["outcome"]["account"]["sections"][1]["parts"][0]["value"] == text


def test_every_combination_conditions_can_tell_apart_is_a_path():
    paths = list(enumerate_paths(flow()))
    # nar required (filled), vittnen tested by yes(): unset, yes, no; the rest blank
    assert len(paths) == 3
    assert all(p["problem"] is None for p in paths)
    listing = format_paths(flow())
    assert "hande={nar,vittnen:yes} > vittne={} -> outcome klart" in listing
    assert "hande={nar,vittnen:no} -> outcome klart" in listing


def test_a_form_leads_where_its_rule_says_in_the_static_routes():
    routes = flow().routes
    assert routes["hande"] == {"next": None, "targets": ["vittne", "klart"]}
    assert routes["vittne"] == {"next": "klart", "targets": ["klart"]}


@pytest.mark.parametrize("change, message", [
    (lambda t: t["nodes"]["hande"].update(fields=[]), "needs a non-empty list of fields"),
    (lambda t: t["nodes"]["hande"]["fields"][1].update(type="number"), "has type 'number'"),
    (lambda t: t["nodes"]["hande"]["fields"][1].update(id="nar"), "field 'nar' appears twice"),
    (lambda t: t["nodes"]["hande"]["fields"][1].update(required="ja"), "'required' must be true or false"),
    (lambda t: t["nodes"]["klart"]["template"]["sections"][0].update(text="[[answer:hande.okand]]"),
     "names [[answer:hande.okand]], which is not a field"),
    (lambda t: t["nodes"]["klart"]["template"].update(sections=[]), "needs a non-empty list of sections"),
    (lambda t: t["nodes"]["hande"]["next"][0].update({"if": 'yes(hande, "vad")'}), "needs a yes/no field"),
    (lambda t: t["nodes"]["hande"]["next"][0].update({"if": 'filled(hande, "okand")'}), "is not a field of 'hande'"),
    (lambda t: t["nodes"]["vittne"]["next"][0].update({"if": 'filled(klart, "x")'}), "needs a form node"),
])
def test_a_bad_form_or_template_is_refused(change, message):
    tree = copy.deepcopy(TREE)
    change(tree)
    with pytest.raises(EngineError, match=".*" + message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")):
        Flow(tree)


OPTIONS_TREE = {
    "format": 1, "id": "val", "title": "Val", "start": "var",
    "nodes": {
        "var": {"id": "var", "kind": "choice", "title": "Var hände det?", "options": [
            {"id": "mote", "label": "På ett möte", "next": "gjort"}, {"id": "natet", "label": "På nätet", "next": "gjort"}]},
        "gjort": {"id": "gjort", "kind": "checklist", "title": "Vad har du gjort?", "options": [
            {"id": "polis", "label": "Polisanmält"}, {"id": "tib", "label": "Ringt TiB"}, {"id": "parti", "label": "Berättat för partiet"}],
            "next": [{"if": None, "goto": "klart"}]},
        "klart": {"id": "klart", "kind": "outcome", "title": "Klart", "actions": [{"text": "Spara texten."}],
                  "template": {"title": "Redogörelse", "sections": [
            {"heading": "Var", "text": "Det hände [[answer:var]]."}, {"heading": "Gjort", "text": "[[answer:gjort]]"}]}},
    },
}


def test_a_choice_names_its_label_and_a_checklist_its_ticked_labels_in_the_options_order():
    account = Flow(copy.deepcopy(OPTIONS_TREE)).run({"var": "natet", "gjort": ["parti", "polis"]})["outcome"]["account"]
    assert account["sections"][0]["parts"] == [
        {"text": "Det hände "}, {"field": "var", "label": "Var hände det?", "type": "choice", "value": "På nätet"}, {"text": "."}]
    assert account["sections"][1]["parts"] == [
        {"field": "gjort", "label": "Vad har du gjort?", "type": "checklist", "value": ["Polisanmält", "Berättat för partiet"]}]


def test_nothing_chosen_or_ticked_is_a_blank():
    account = Flow(copy.deepcopy(OPTIONS_TREE)).outcome("klart", {"gjort": []})
    assert [p["value"] for s in account["account"]["sections"] for p in s["parts"] if "field" in p] == [None, None]


@pytest.mark.parametrize("text, message", [
    ("[[answer:klart]]", "names [[answer:klart]], which is not a choice or checklist"),
    ("[[answer:var.mote]]", "names [[answer:var.mote]], which is not a field of a form"),
])
def test_a_template_naming_a_step_that_has_no_such_answer_is_refused(text, message):
    tree = copy.deepcopy(OPTIONS_TREE)
    tree["nodes"]["klart"]["template"]["sections"][0]["text"] = text
    with pytest.raises(EngineError, match=".*" + message.replace("[", r"\[").replace("]", r"\]")):
        Flow(tree)
