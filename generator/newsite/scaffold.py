"""`handbok new`: a commented starting file for a page or a flow that passes `handbok check` as written."""

from __future__ import annotations

from pathlib import Path
from string import Template

from generator import trees
from generator.project import Project, Settings

SCAFFOLDS = Path(__file__).resolve().parent / "scaffolds"


class UsageError(Exception):
    """A name or path the command refuses; the CLI prints it and exits with 2."""


def _scaffold(project: Project, name: str) -> Template:
    """The starting file of a page or a flow in the site's language (scaffolds/<language>/)."""
    return Template((SCAFFOLDS / project.settings.language / name).read_text(encoding="utf-8"))


NAME_RULE = "use only lowercase a-z, digits and single hyphens (no å, ä, ö, spaces or capitals)"


def _title(name: str) -> str:
    return name.replace("-", " ").capitalize()


def _refuse_existing(settings: Settings, path: Path) -> None:
    if path.exists() or path.is_symlink():
        raise UsageError(f"{path.relative_to(settings.root).as_posix()} already exists; `handbok new` never overwrites a file")


def _first_source(project: Project) -> str:
    if not project.sources:
        raise UsageError(f"{project.settings.sources_file} lists no source document; add the one the new file builds on first")
    return next(iter(project.sources))


def _fields(project: Project, name: str) -> dict[str, str]:
    settings = project.settings
    # The comments show the site's own keys: its emergency contact, or its first one.
    contact = project.emergency_key() or next(iter(project.contacts), "key")
    others = [c for key, c in project.contacts.items() if key != contact] or list(project.contacts.values())
    words = project.words.references
    return {"title": _title(name), "source": _first_source(project), "today": settings.today.isoformat(),
            "sources_file": settings.sources_file, "contacts_file": settings.contacts_file, "contact": contact,
            "contact_name": others[0]["name"][:1].lower() + others[0]["name"][1:] if others else "",
            "number": words["number"], "contact_word": words["contact"]}


def new_page(settings: Settings, given: str) -> list[Path]:
    """Write content/<given>.md; `given` is a path inside the content folder such as section/new-page."""
    text = given.strip().removesuffix(".md").removeprefix(f"{settings.docs_dir}/")
    parts = text.split("/")
    if text.startswith("/") or "\\" in text or any(part in ("", ".", "..") for part in parts):
        raise UsageError(f'"{given}" is not a path inside {settings.docs_dir}/: write it relative to that folder, '
                         "like section/new-page, without .. or a leading /")
    for part in parts:
        if not trees.ID_RE.match(part):
            raise UsageError(f'"{part}" in "{given}" is not a valid name: {NAME_RULE}, for example section/new-page')
    doc_path = "/".join(parts) + ".md"
    project = Project.load(settings)
    if doc_path in project.generated_page_names() or parts[0] == project.words.flows_folder:
        raise UsageError(f"{settings.docs_dir}/{doc_path} is a page the generator makes from data; choose another path")
    target = settings.path(settings.docs_dir) / doc_path
    _refuse_existing(settings, target)
    text = _scaffold(project, "page.md").substitute(_fields(project, parts[-1]))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")
    return [target]


def new_flow(settings: Settings, name: str) -> list[Path]:
    """Write decision_trees/<name>.yml and its path file."""
    if not trees.ID_RE.match(name):
        raise UsageError(f'"{name}" is not a valid flow name: {NAME_RULE}, for example threat-by-letter')
    target = settings.path(settings.trees_dir) / f"{name}.yml"
    paths_file = trees.path_file(settings.root, name, settings.trees_dir)
    _refuse_existing(settings, target)
    _refuse_existing(settings, paths_file)
    project = Project.load(settings)
    fields = _fields(project, name) | {"name": name, "paths_file": paths_file.relative_to(settings.root).as_posix()}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_scaffold(project, "flow.yml").substitute(fields), encoding="utf-8", newline="\n")
    compiled, problems = trees.load_tree(target, settings.root, set(project.contacts), set(project.sources),
                                         words=project.words, data_files=project.data_file_names())
    if compiled is None:  # the template references nothing that can be missing; this is a bug, not a usage error
        target.unlink()
        raise RuntimeError("the flow template does not pass the check:\n" + "\n".join(p.format() for p in problems))
    return [target, *trees.write_path_files(settings.root, {name: compiled}, settings.trees_dir)]
