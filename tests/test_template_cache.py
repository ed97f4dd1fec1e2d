"""Compiled templates are kept between builds (generator/site/templates.py, bytecode_cache): a
template is compiled once, again when its text changes, and never shared between environments
whose options compile it differently."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from generator.site.templates import bytecode_cache


def environment(templates: dict, **options) -> tuple[Environment, list]:
    env = Environment(loader=DictLoader(templates), **options)
    compiled, compile_ = [], env.compile

    def counted(source, *args, **kwargs):
        compiled.append(source)
        return compile_(source, *args, **kwargs)

    env.compile = counted
    env.bytecode_cache = bytecode_cache(env, "test")
    return env, compiled


def test_a_template_is_compiled_once_for_every_build(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGGT_CACHE_DIR", str(tmp_path))
    first, compiled = environment({"a.html": "{{ x }}!"})
    assert first.get_template("a.html").render(x=1) == "1!" and len(compiled) == 1
    second, compiled = environment({"a.html": "{{ x }}!"})
    assert second.get_template("a.html").render(x=2) == "2!" and compiled == []
    changed, compiled = environment({"a.html": "{{ x }}?"})
    assert changed.get_template("a.html").render(x=3) == "3?" and len(compiled) == 1


def test_environments_that_compile_differently_do_not_share(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYGGT_CACHE_DIR", str(tmp_path))
    source = {"a.html": "{% if x %}\n  yes\n{% endif %}\n"}
    plain, _ = environment(source)
    trimmed, compiled = environment(source, trim_blocks=True, lstrip_blocks=True)
    assert plain.get_template("a.html").render(x=1) == "\n  yes\n"
    assert trimmed.get_template("a.html").render(x=1) == "  yes\n" and len(compiled) == 1
    escaped, compiled = environment({"b.html": "{{ x }}"}, autoescape=True)
    assert escaped.get_template("b.html").render(x="<") == "&lt;"
    raw, compiled = environment({"b.html": "{{ x }}"})
    assert raw.get_template("b.html").render(x="<") == "<" and len(compiled) == 1


def test_an_override_saved_after_the_packaged_template_was_used_replaces_it(tmp_path):
    """As while `handbok serve` runs: the site's custom_dir gets a template the build has already
    taken from the package; the next render takes the site's, and the package's again once it is gone."""
    from generator.site.templates import Templates

    templates = Templates(tmp_path / "overrides")
    packaged = templates.render("pdf/elsewhere.html", content="x")
    own = tmp_path / "overrides" / "tryggt" / "pdf" / "elsewhere.html"
    own.parent.mkdir(parents=True)
    own.write_text("<p>egen: {{ content }}</p>", encoding="utf-8")
    assert templates.render("pdf/elsewhere.html", content="x") == "<p>egen: x</p>"
    own.unlink()
    assert templates.render("pdf/elsewhere.html", content="x") == packaged
