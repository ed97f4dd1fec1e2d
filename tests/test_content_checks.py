"""Loading and validation of pages and contacts: located messages, exit 1, no traceback."""

import re

import pytest

from generator.site.templates import Templates

LOCATED = re.compile(r"^  (?P<path>[\w/.-]+):(?P<line>\d+):(?P<column>\d+): error: ", re.M)


def errors_of(result):
    return [(m["path"], int(m["line"])) for m in LOCATED.finditer(result.stdout)]


def test_clean_project_passes(small_project, handbok):
    result = handbok(small_project, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout


def test_broken_yaml_in_contacts_names_file_and_line(small_project, handbok):
    (small_project / "content" / "kontakter.yml").write_text('larm:\n  name: SOS\n  phone: "112\n', encoding="utf-8")
    result = handbok(small_project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert ("content/kontakter.yml", 3) in errors_of(result) or ("content/kontakter.yml", 4) in errors_of(result)
    assert "YAML syntax error" in result.stdout


def test_missing_contact_key_is_an_error_at_its_line(small_project, handbok):
    page = small_project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOch [[nummer:vaktbolg]].\n", encoding="utf-8")
    result = handbok(small_project, "check")
    assert result.returncode == 1
    assert ("content/index.md", 12) in errors_of(result)
    assert 'unknown contact "vaktbolg"' in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("field, line", [("title", 2), ("description", 2), ("sources", 2), ("reviewed", 2)])
def test_missing_front_matter_field(small_project, handbok, field, line):
    page = small_project / "content" / "index.md"
    text = "\n".join(l for l in page.read_text(encoding="utf-8").split("\n") if not l.startswith(f"{field}:"))
    page.write_text(text, encoding="utf-8")
    result = handbok(small_project, "check")
    assert result.returncode == 1
    assert f'the front matter has no "{field}"' in result.stdout
    assert ("content/index.md", line) in errors_of(result)


def test_unknown_front_matter_key_suggests_the_right_one(small_project, handbok):
    page = small_project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("reviewed:", "reviewd:"), encoding="utf-8")
    result = handbok(small_project, "check")
    assert result.returncode == 1
    assert 'unknown front matter key "reviewd" (did you mean "reviewed"?)' in result.stdout
    assert ("content/index.md", 5) in errors_of(result)


def test_every_problem_is_reported_in_one_run(small_project, handbok):
    page = small_project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("sources: [handlingsplan]", "sources: [okand]")
                    + "\n[[nummer:saknas]] och [[kontakt:finnsinte]]\n", encoding="utf-8")
    result = handbok(small_project, "check")
    assert result.returncode == 1
    assert "3 error(s)" in result.stdout


def test_html_in_a_page_is_refused(small_project, handbok):
    page = small_project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    result = handbok(small_project, "check")
    assert result.returncode == 1
    assert ("content/index.md", 12) in errors_of(result)
    assert "HTML is not allowed" in result.stdout


def test_phone_numbers_render_as_tel_links():
    from generator.site.contacts import tel_uri

    assert tel_uri("112") == "tel:112"
    assert tel_uri("114 14") == "tel:11414"
    assert tel_uri("010-470 55 64", "+46") == "tel:+46104705564"
    assert tel_uri("016-10 30 00", "+46") == "tel:+4616103000"


def test_failed_build_leaves_previous_site_untouched(small_project, handbok):
    site = small_project / "site"
    site.mkdir()
    (site / "index.html").write_text("previous build", encoding="utf-8")
    page = small_project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[[nummer:saknas]]\n", encoding="utf-8")
    result = handbok(small_project, "build")
    assert result.returncode == 1
    assert (site / "index.html").read_text(encoding="utf-8") == "previous build"
    assert sorted(p.name for p in small_project.iterdir()) == ["content", "decision_trees", "mkdocs.yml", "site"]


def test_a_contact_without_a_number_yet_says_where_to_find_it(small_project, handbok):
    """`how:` alone is accepted (a shared base cannot know every organisation's number) and shown as
    text, never as a link; with nothing at all the contact is still an error at its line."""
    contacts = small_project / "content" / "kontakter.yml"
    contacts.write_text(contacts.read_text(encoding="utf-8")
                        + "handlaggare:\n  name: Säkerhetshandläggaren\n  how: står i handlingsplanen\n"
                        + "tom:\n  name: Ingenting\n", encoding="utf-8")
    result = handbok(small_project, "check")
    assert result.returncode == 1
    assert errors_of(result) == [("content/kontakter.yml", 11)]  # the contact "tom", not "handlaggare"
    assert 'contact "tom" needs exactly one of phone, url, email or via' in result.stdout

    from generator.site.contacts import number_html

    shown = number_html({"name": "Säkerhetshandläggaren", "how": "står i <handlingsplanen>"}, {}, Templates())
    assert shown == "står i &lt;handlingsplanen&gt;"
