"""What a publisher writes besides plain text (issue 25): a contact with an e-mail address is a
mailto: link shown as the address, on pages, on the contacts page and in flows; a source shows its
link, the day it was adopted and its reference. Each mistake is an error at its file and line."""

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
