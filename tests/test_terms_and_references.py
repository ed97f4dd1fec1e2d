"""What a publisher writes besides plain text (issue 25): terms ([[term:KEY]], [[Term:KEY]]) in pages,
titles and trees; [[flode:ID|text]] in pages; contacts with an e-mail address; sources with a link,
the day adopted and a reference. Each is shown as written, and each mistake is an error at its
file, line and column with a suggestion."""

from __future__ import annotations

from pathlib import Path

from generator import cli
from generator.project import Project
from generator.siteconfig import settings_for

PLAIN_TREE = """\
id: vad-har-hant
title: Vad har hänt hos samverkanswebben?
sources: [handlingsplan]
reviewed: 2026-11-22
start: klart
nodes:
  - id: klart
    kind: outcome
    title: Berätta för säkerhetshandläggaren
    actions:
      - "Säkerhetshandläggaren hjälper dig."
      - text: Skriv till säkerhetsfunktionen.
        contact: sakerhet
"""


def check(root: Path, capsys, *extra: str) -> tuple[int, str]:
    code = cli.main(["--root", str(root), "check", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def place_of(path: Path, needle: str) -> tuple[int, int]:
    text = path.read_text(encoding="utf-8")
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def page(title: str, body: str, description: str = "En sida.") -> str:
    return f"---\ntitle: {title}\ndescription: {description}\nsources: [handlingsplan]\nreviewed: 2026-11-01\n---\n\n{body}\n"


def site_with_a_flow(root: Path, tree: str) -> None:
    """The small project with a contact that has an e-mail address and a flow that names it."""
    contacts = root / "content" / "kontakter.yml"
    contacts.write_text(contacts.read_text(encoding="utf-8")
                        + "sakerhet:\n  name: Säkerhetsfunktionen\n  email: sakerhet@example.se\n", encoding="utf-8")
    write(root, "decision_trees/vad-har-hant.yml", tree)
    assert cli.main(["--root", str(root), "paths"]) == 0


def site_without_terms(root: Path, start: str) -> Project:
    """The flow of PLAIN_TREE, and a start page of `start` (and the two contacts it must use), checked."""
    site_with_a_flow(root, PLAIN_TREE)
    write(root, "content/index.md", page("Start", f"# Start\n\n{start}\n\nRing [[nummer:larm]] eller [[kontakt:polisen]]."))
    return Project.load(settings_for(root))


TERMS = "roll: säkerhetshandläggaren\nkanal: samverkanswebben\n"
# The same tree with the names as terms.
TREE = PLAIN_TREE.replace("samverkanswebben", "[[term:kanal]]").replace("för säkerhetshandläggaren", "för [[term:roll]]") \
    .replace("Säkerhetshandläggaren", "[[Term:roll]]")


def site_with_terms(root: Path) -> None:
    write(root, "content/termer.yml", TERMS)
    site_with_a_flow(root, TREE)
    write(root, "content/index.md", page("Rapportera via [[term:kanal]]",
                                          "# Start\n\nFråga [[term:roll]] om [[flode:vad-har-hant]].\n\n"
                                          "[[Term:roll]] svarar. I kod står `[[term:roll]]` kvar.\n\n"
                                          "Ring [[nummer:larm]] eller [[kontakt:polisen]].", "Om [[term:kanal]]."))


def test_terms_stand_in_pages_titles_and_trees_with_a_capital_at_a_sentence_start(small_project, capsys):
    site_with_terms(small_project)
    code, out = check(small_project, capsys, "--strict")
    assert code == 0, out
    project = Project.load(settings_for(small_project))
    markdown = project.render_page_markdown("index.md", project.pages["index.md"].body)
    assert "Fråga säkerhetshandläggaren om" in markdown
    assert "Säkerhetshandläggaren svarar. I kod står `[[term:roll]]` kvar." in markdown
    assert project.reader_meta("index.md") == {"title": "Rapportera via samverkanswebben",
                                               "description": "Om samverkanswebben."}
    flow = project.flows["vad-har-hant"]
    assert flow["title"] == "Vad har hänt hos samverkanswebben?"
    assert flow["nodes"]["klart"]["title"] == "Berätta för säkerhetshandläggaren"
    assert flow["nodes"]["klart"]["actions"][0]["text"] == "Säkerhetshandläggaren hjälper dig."


def test_an_unknown_term_is_an_error_where_it_stands_with_a_suggestion(small_project, capsys):
    site_with_terms(small_project)
    index = write(small_project, "content/index.md", page("Om [[Term:rool]]", "# Start\n\nFråga [[term:rol]] i dag.",
                                                          "Om [[term:kanal]]."))
    tree = write(small_project, "decision_trees/vad-har-hant.yml", TREE.replace("för [[term:roll]]", "för [[term:rolle]]"))
    code, out = check(small_project, capsys)
    assert code == 1
    for path, shown, needle, key in ((index, "content/index.md", "[[Term:rool]]", "rool"),
                                     (index, "content/index.md", "[[term:rol]]", "rol"),
                                     (tree, "decision_trees/vad-har-hant.yml", "[[term:rolle]]", "rolle")):
        line, column = place_of(path, needle)
        assert f'{shown}:{line}:{column}: error: unknown term "{key}" (did you mean "roll"?)' in out, out
    assert "fix: use a key of content/termer.yml" in out


def test_a_term_is_plain_text_with_a_lowercase_key(small_project, capsys):
    terms = write(small_project, "content/termer.yml", "roll: <b>handläggaren</b>\nkanal: '**webben**'\nRoll: rollen\n")
    code, out = check(small_project, capsys)
    assert code == 1
    assert f'content/termer.yml:1:7: error: term "roll" holds "<": a term is plain text' in out, out
    assert f'content/termer.yml:2:8: error: term "kanal" holds "*": a term is plain text' in out, out
    line, column = place_of(terms, "Roll:")
    assert f'content/termer.yml:{line}:{column}: error: term key "Roll" must be lowercase' in out, out


def test_a_page_links_a_flow_with_flode_and_its_own_text(small_project, capsys):
    write(small_project, "content/fore/sida.md", page("Före", "# Före\n\nGör [[flode:vad-har-hant|så här]]."))
    project = site_without_terms(small_project, "Se [[flode:vad-har-hant]]. Skriv till [[kontakt:sakerhet]].")
    assert not project.report.errors and not project.report.warnings, project.report.format()
    start = project.render_page_markdown("index.md", project.pages["index.md"].body)
    assert "Se [Vad har hänt hos samverkanswebben?](floden/vad-har-hant.md)." in start
    before = project.render_page_markdown("fore/sida.md", project.pages["fore/sida.md"].body)
    assert "Gör [så här](../floden/vad-har-hant.md)." in before
    index = write(small_project, "content/index.md", page("Start", "# Start\n\nSe [[flode:vad-har-hnt]] och [[flode:vad-har-hant|]]."))
    code, out = check(small_project, capsys)
    assert code == 1
    line, column = place_of(index, "[[flode:vad-har-hnt]]")
    assert f'content/index.md:{line}:{column}: error: unknown flow "vad-har-hnt" (did you mean "vad-har-hant"?)' in out, out
    line, column = place_of(index, "[[flode:vad-har-hant|]]")
    assert f'content/index.md:{line}:{column}: error: the link text after "|" in [[flode:vad-har-hant|]] is empty' in out, out


def test_a_contact_with_an_email_address_links_it_and_shows_it(small_project, capsys):
    project = site_without_terms(small_project, "Skriv till [[kontakt:sakerhet]] ([[nummer:sakerhet]]).")
    assert not project.report.errors and not project.report.warnings, project.report.format()
    link = '<a href="mailto:sakerhet@example.se">sakerhet@example.se</a>'
    markdown = project.render_page_markdown("index.md", project.pages["index.md"].body)
    assert f'Säkerhetsfunktionen: {link}' in markdown and f"({link})" in markdown
    generated = project.generated_pages()
    assert f"<th scope=\"row\">Säkerhetsfunktionen</th><td>{link}</td>" in generated["kontakter.md"]
    assert ('<span class="flow-contact-name">Säkerhetsfunktionen</span> <a class="flow-contact-url" '
            'href="mailto:sakerhet@example.se">sakerhet@example.se</a>') in generated["floden/vad-har-hant.md"]
    contacts = small_project / "content" / "kontakter.yml"
    contacts.write_text(contacts.read_text(encoding="utf-8").replace("email: sakerhet@example.se", "email: mailto:sakerhet@example.se"),
                        encoding="utf-8")
    code, out = check(small_project, capsys)
    assert code == 1
    line, _ = place_of(contacts, "email:")
    assert f'content/kontakter.yml:{line}:1: error: e-mail address of contact "sakerhet" is not an address' in out, out


def test_a_source_shows_its_link_the_day_it_was_adopted_and_its_reference(small_project, capsys):
    sources = small_project / "content" / "kallor.yml"
    sources.write_text(sources.read_text(encoding="utf-8")
                       + '  url: https://example.se/plan.pdf\n  adopted: 2025-03-18\n  reference: "Dnr RS 2025/12, § 4"\n',
                       encoding="utf-8")
    code, out = check(small_project, capsys)
    assert code == 0, out
    project = Project.load(settings_for(small_project))
    footer = project.sources_footer(project.pages["index.md"].meta)
    assert ('<li><a href="https://example.se/plan.pdf">Handlingsplan</a> (Region, antagen 18 mars 2025, '
            "Dnr RS 2025/12, § 4)</li>") in footer
    sources.write_text(sources.read_text(encoding="utf-8").replace("https://example.se/plan.pdf", "ftp://example.se/plan.pdf")
                       .replace("2025-03-18", "i mars").replace("reference:", "refernce:"), encoding="utf-8")
    code, out = check(small_project, capsys)
    assert code == 1
    for needle, message in (("url:", 'the web address of source "handlingsplan" must start with https://'),
                            ("adopted:", '"adopted" of source "handlingsplan" must be a date like 2025-03-18'),
                            ("refernce:", 'unknown field "refernce" in source "handlingsplan" (did you mean "reference"?)')):
        line, _ = place_of(sources, needle)
        assert f"content/kallor.yml:{line}:1: error: {message}" in out, out
