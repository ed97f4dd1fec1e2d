"""Compound splitting for the search index (generator/search.py)."""

from generator.search import enrich_index


def test_compounds_get_their_parts_from_the_site_vocabulary():
    index = {"docs": [
        {"location": "a", "title": "Polisanmälan",
         "text": "Gör en polisanmälan. Polisen tar emot anmälan om säkerhetshandläggaren vill."},
        {"location": "b", "title": "Säkerhet", "text": "Handläggaren hjälper."},
    ]}
    docs = enrich_index(index)["docs"]
    assert docs[0]["parts"] == "polis anmälan säkerhet handläggaren"  # with the linking -s- dropped
    assert "parts" not in docs[1]  # no compounds there
    assert index["config"]["fields"]["parts"] == {"boost": 0.5}


def test_a_word_is_not_split_into_itself():
    docs = enrich_index({"docs": [{"location": "a", "title": "", "text": "hotbild hotbild"}]})["docs"]
    assert "parts" not in docs[0]
