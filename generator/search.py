"""Swedish search: make compound words findable by their parts.

Lunr's Swedish stemmer handles inflection (hoten → hot) but not compounds: a reader who
types "anmälan" must find "polisanmälan". At build time every long word of the index is
split into known words of the same site (with the Swedish linking -s-), and the parts are
added to each document in an extra field `parts` that search looks in but never shows.
"""

from __future__ import annotations

import html
import re

WORD = re.compile(r"[a-zåäöéü]+")
TAG = re.compile(r"<[^>]+>")
MIN_PART = 3
MIN_COMPOUND = 7
PARTS_FIELD = "parts"
PARTS_BOOST = 0.5


def words(text: str) -> list[str]:
    return WORD.findall(html.unescape(TAG.sub(" ", text)).lower())


def crude_stems(vocabulary: set[str]) -> set[str]:
    """Base forms guessed from inflected ones (hoten → hot), so heads like "polis" count as known."""
    stems = set()
    for word in vocabulary:
        for ending in ("arna", "erna", "orna", "en", "et", "er", "ar", "or", "na", "n", "s"):
            if word.endswith(ending) and len(word) - len(ending) >= MIN_PART:
                stems.add(word[: -len(ending)])
    return stems


def split_compound(word: str, heads: set[str], tails: set[str], depth: int = 0,
                   words: frozenset[str] = frozenset()) -> list[str] | None:
    """Split `word` into a known head and a known tail (longest head first), or None.

    A tail may itself be a compound, and may follow a linking -s- (säkerhet-s-handläggare).
    A tail the site never uses alone is accepted only after a head that is a whole word of
    the site, five letters or more, and when the tail has six letters or more: a reader's
    query may be the only place that tail occurs on its own.
    """
    if depth > 4:
        return None
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:cut], word[cut:]
        if head not in heads:
            continue
        linked = tail[1:] if tail.startswith("s") and len(tail) > MIN_PART else None
        for rest in (tail, linked):
            if rest and rest in tails:
                return [head, rest]
        for rest in (tail, linked):
            deeper = split_compound(rest, heads, tails, depth + 1, words) if rest and len(rest) >= MIN_COMPOUND else None
            if deeper:
                return [head, *deeper]
        if head in words and len(head) >= 5 and len(tail) >= 6:
            return [head, tail] + ([linked] if linked and len(linked) >= 6 else [])
    return None


def enrich_index(index: dict) -> dict:
    """Add the `parts` field to a Material for MkDocs search index (the parsed JSON)."""
    docs = index.get("docs", [])
    vocabulary: set[str] = set()
    for doc in docs:
        vocabulary.update(w for w in words(doc.get("title", "") + " " + doc.get("text", "")) if len(w) >= MIN_PART)
    # Guessed base forms are trusted only when long: short guesses ("ans", "dra") make noise.
    guessed = {stem for stem in crude_stems(vocabulary) if len(stem) >= 5}
    heads = vocabulary | guessed
    tails = {w for w in vocabulary if len(w) >= 4} | guessed
    splits: dict[str, list[str]] = {}
    # Every part tried is shorter than the word itself, so the word needs no removing from these
    # sets (a copy of them per word made this quadratic in the size of the vocabulary).
    known_words = frozenset(vocabulary)
    for word in vocabulary:
        if len(word) >= MIN_COMPOUND:
            parts = split_compound(word, heads, tails, words=known_words)
            if parts:
                splits[word] = parts
    for doc in docs:
        found: list[str] = []
        for word in dict.fromkeys(words(doc.get("title", "") + " " + doc.get("text", ""))):
            found.extend(splits.get(word, []))
        if found:
            doc[PARTS_FIELD] = " ".join(dict.fromkeys(found))
    index.setdefault("config", {}).setdefault("fields", {})[PARTS_FIELD] = {"boost": PARTS_BOOST}
    return index
