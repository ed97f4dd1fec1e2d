"""`handbok check`: every problem at once, grouped by file, counted; warnings fail only with --strict."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from generator.cli import main

TREE = """\
id: prov
title: Prov
sources: [handlingsplan]
reviewed: {reviewed}
start: fraga
nodes:
  - id: fraga
    kind: choice
    title: Vad har hänt?
    options:
      - {{id: ja, label: Ja, next: klart}}
      - {{id: nej, label: Nej, next: klart}}
  - id: klart
    kind: outcome
    title: Klart
    call: [larm]
    actions: [Gör så här.]
"""


def check(root, capsys, *args):
    code = main(["--root", str(root), "check", *args])
    return code, capsys.readouterr().out


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def add_tree(root, reviewed, capsys):
    write(root / "decision_trees" / "prov.yml", TREE.format(reviewed=reviewed))
    main(["--root", str(root), "paths"])
    capsys.readouterr()


def test_every_problem_grouped_by_file_with_a_count(small_project, capsys):
    page = small_project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("sources: [handlingsplan]", "sources: [handlingsplam]"),
                    encoding="utf-8")
    contacts = small_project / "content" / "kontakter.yml"
    contacts.write_text(contacts.read_text(encoding="utf-8") + "  namn: Polisen\n", encoding="utf-8")
    code, out = check(small_project, capsys)
    assert code == 1
    assert out.splitlines() == [
        "content/index.md",
        '  content/index.md:4:1: error: unknown source "handlingsplam" (did you mean "handlingsplan"?)',
        "    fix: use a key from content/kallor.yml: handlingsplan",
        "content/kontakter.yml",
        '  content/kontakter.yml:7:1: error: unknown field "namn" in contact "polisen" (did you mean "name"?)',
        "    fix: use only: email, how, name, phone, url, via, when",
        "2 error(s), 0 warning(s) in 2 file(s)",
    ]


def test_a_yaml_syntax_error_shows_the_line_with_a_caret(small_project, capsys):
    page = small_project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title: Start", "title: Start: igen"), encoding="utf-8")
    code, out = check(small_project, capsys)
    assert code == 1
    assert "content/index.md:2:13: error: YAML syntax error: mapping values are not allowed here\n" \
           "    title: Start: igen\n" \
           "                ^\n" in out


def test_unknown_keys_get_did_you_mean_in_every_file(small_project, capsys):
    sources = small_project / "content" / "kallor.yml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("publisher:", "publsher:"), encoding="utf-8")
    code, out = check(small_project, capsys)
    assert code == 1
    assert 'content/kallor.yml:3:1: error: unknown field "publsher" in source "handlingsplan" (did you mean "publisher"?)' in out


def test_a_clean_project_exits_0(small_project, capsys):
    assert check(small_project, capsys) == (0, "0 error(s), 0 warning(s) in 0 file(s)\n")


def test_usage_errors_exit_2(small_project, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--root", str(small_project), "check", "--no-such-option"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["--root", str(small_project), "no-such-command"])
    assert exit_info.value.code == 2
    empty = tmp_path / "tom"
    empty.mkdir()
    assert main(["--root", str(empty), "check"]) == 2
    assert "has no mkdocs.yml" in capsys.readouterr().err


def test_a_stale_page_is_a_warning_and_fails_only_with_strict(small_project, capsys):
    page = small_project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("reviewed: 2026-11-01", "reviewed: 2020-01-15"), encoding="utf-8")
    code, out = check(small_project, capsys)
    assert code == 0
    assert "content/index.md:5:1: warning: the page was last reviewed 2020-01-15, more than 365 days ago" in out
    assert check(small_project, capsys, "--strict")[0] == 1


def test_a_stale_flow_is_a_warning(small_project, capsys):
    add_tree(small_project, "2020-01-15", capsys)
    code, out = check(small_project, capsys)
    assert code == 0, out
    assert "decision_trees/prov.yml:4:11: warning: the flow was last reviewed 2020-01-15, more than 365 days ago" in out
    assert check(small_project, capsys, "--strict")[0] == 1


def test_a_flow_reviewed_in_the_future_is_an_error(small_project, capsys, fixed_today):
    tomorrow = dt.date.fromisoformat(fixed_today) + dt.timedelta(days=1)
    add_tree(small_project, tomorrow.isoformat(), capsys)
    code, out = check(small_project, capsys)
    assert code == 1
    assert f'decision_trees/prov.yml:4:11: error: "reviewed" is in the future ({tomorrow})' in out


def test_the_maximum_review_age_is_configurable(small_project, capsys):
    add_tree(small_project, "2020-01-15", capsys)
    config = small_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - tryggt\n", "  - tryggt:\n      max_review_age_days: 5000\n"),
                      encoding="utf-8")
    assert check(small_project, capsys, "--strict") == (0, "0 error(s), 0 warning(s) in 0 file(s)\n")


def test_a_page_no_one_links_to_is_a_warning(small_project, capsys):
    config = small_project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "nav:\n  - Start: index.md\n  - Avsnitt:\n      - fore/listad.md\n",
                      encoding="utf-8")
    page = (small_project / "content" / "index.md").read_text(encoding="utf-8")
    front = page.split("# Start")[0]
    write(small_project / "content" / "fore" / "listad.md", front + "# Listad\n\nSe [länkad](../efter/lankad.md#rubrik).\n")
    write(small_project / "content" / "efter" / "lankad.md", front + "# Länkad\n\nSe [mig själv](lankad.md).\n")
    write(small_project / "content" / "efter" / "ensam.md", front + "# Ensam\n\nSe [mig själv](ensam.md).\n")
    add_tree(small_project, "2026-11-01", capsys)
    code, out = check(small_project, capsys)
    assert code == 0
    assert re.findall(r"^  (\S+): warning: (.*)$", out, re.M) == [
        ("content/efter/ensam.md:1:1", "no page links to this page and the navigation does not list it"),
        ("decision_trees/prov.yml:1:1", "no page links to the flow's page floden/prov.md and the navigation does not list it"),
    ]


def test_a_contact_never_used_is_a_warning(small_project, capsys):
    contacts = small_project / "content" / "kontakter.yml"
    contacts.write_text(contacts.read_text(encoding="utf-8") + "vakt:\n  name: Vaktbolaget\n  phone: 010-470 55 64\n",
                        encoding="utf-8")
    code, out = check(small_project, capsys)
    assert code == 0
    assert 'content/kontakter.yml:7:1: warning: contact "vakt" is not used by any page or flow' in out
    assert check(small_project, capsys, "--strict")[0] == 1
