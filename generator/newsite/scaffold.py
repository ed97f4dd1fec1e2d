"""`handbok new`: a commented starting file for a page or a flow that passes `handbok check` as written."""

from __future__ import annotations

from pathlib import Path
from string import Template

from generator import trees
from generator.project import CONTACTS_PAGE, FLOWS_FOLDER, Project, Settings


class UsageError(Exception):
    """A name or path the command refuses; the CLI prints it and exits with 2."""


PAGE = Template("""\
---
# En ny sida i handboken. Fyll i raderna nedan, skriv sidans text under det andra
# strecket (---) och kör sedan `handbok check`. Hjälp: docs/publicera.md.
#
# Rubriken, som den syns överst på sidan och i menyn.
title: $title
# En mening om vad sidan handlar om. Den syns i sökträffar.
description: Skriv en mening om vad sidan handlar om.
# Källdokumenten som sidan bygger på: nycklar från $sources_file.
sources: [$source]
# Dagens datum. Ändra det varje gång du har läst igenom sidan och rättat det som ändrats.
reviewed: $today
#
# I texten: [[nummer:$contact]] skriver ut ett nummer ur $contacts_file som en länk att
# ringa, [[kontakt:$contact]] namn och nummer. Länka till en annan sida med en sökväg från
# den här sidan, till exempel [Start](index.md) från en sida i samma mapp som startsidan.
---

# $title

Skriv sidans text här. Börja med det viktigaste: vad läsaren ska göra.

## En underrubrik

- En punktlista skrivs med bindestreck.
- **Fetstil** skrivs med två stjärnor på var sida om ordet.
""")

FLOW = Template("""\
# Ett nytt flöde: frågor som leder läsaren fram till ett utfall med åtgärder.
# Formatet: docs/tree-format.md. En genomgång steg för steg: docs/publicera.md.
# Efter varje ändring: kör `handbok paths` (den skriver om $paths_file,
# listan över alla vägar genom flödet; läs igenom den) och sedan `handbok check`.
#
# Filens namn utan .yml.
id: $name
# Rubriken överst på flödets sida.
title: $title
# En mening om vad flödet hjälper läsaren med.
description: Skriv en mening om vad flödet hjälper läsaren med.
# Källdokumenten som flödet bygger på: nycklar från $sources_file.
sources: [$source]
# Dagens datum. Ändra det varje gång du har gått igenom flödet.
reviewed: $today
# Nummer som ska synas överst på sidan (valfritt), nycklar från $contacts_file:
# acute: [$contact]
# Den första frågan.
start: vad-har-hant

nodes:
  # En fråga med ett svar (choice). Varje svar leder vidare med next till en annan nod.
  - id: vad-har-hant
    kind: choice
    title: Vad har hänt?
    text: Välj det som stämmer bäst.
    options:
      - {id: fara, label: "Någon är i fara just nu", next: ring}
      - {id: inte-fara, label: "Något har hänt, men ingen är i fara nu", next: skriv-ner}

  # Ett utfall (outcome) avslutar flödet: åtgärderna i den ordning läsaren ska göra dem.
  # Med call: [$contact] visas numren att ringa (nycklar från $contacts_file).
  - id: ring
    kind: outcome
    title: Ring efter hjälp
    actions:
      - Ta dig i säkerhet om du kan.
      - text: Ring larmnumret.
        contact: $contact

  - id: skriv-ner
    kind: outcome
    title: Skriv ner vad som hänt
    actions:
      - Skriv ner vad som hände, när och var.
      - Berätta för säkerhetshandläggaren.
    # Vad läsaren ska skriva ner (valfritt). inform: [...] säger vem hen ska berätta för.
    document: [Datum och tid, Vad som sades eller skrevs]
""")

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
    contact = project.emergency_key() or next(iter(project.contacts), "nyckel")
    return {"title": _title(name), "source": _first_source(project), "today": settings.today.isoformat(),
            "sources_file": settings.sources_file, "contacts_file": settings.contacts_file, "contact": contact}


def new_page(settings: Settings, given: str) -> list[Path]:
    """Write content/<given>.md; `given` is a path inside the content folder such as fore/ny-sida."""
    text = given.strip().removesuffix(".md").removeprefix(f"{settings.docs_dir}/")
    parts = text.split("/")
    if text.startswith("/") or "\\" in text or any(part in ("", ".", "..") for part in parts):
        raise UsageError(f'"{given}" is not a path inside {settings.docs_dir}/: write it relative to that folder, '
                         "like fore/ny-sida, without .. or a leading /")
    for part in parts:
        if not trees.ID_RE.match(part):
            raise UsageError(f'"{part}" in "{given}" is not a valid name: {NAME_RULE}, for example fore/ny-sida')
    doc_path = "/".join(parts) + ".md"
    if parts[0] == FLOWS_FOLDER or doc_path == CONTACTS_PAGE:
        raise UsageError(f"{settings.docs_dir}/{doc_path} is a page the generator makes from data; choose another path")
    target = settings.path(settings.docs_dir) / doc_path
    _refuse_existing(settings, target)
    text = PAGE.substitute(_fields(Project.load(settings), parts[-1]))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")
    return [target]


def new_flow(settings: Settings, name: str) -> list[Path]:
    """Write decision_trees/<name>.yml and its path file."""
    if not trees.ID_RE.match(name):
        raise UsageError(f'"{name}" is not a valid flow name: {NAME_RULE}, for example hot-i-brev')
    target = settings.path(settings.trees_dir) / f"{name}.yml"
    paths_file = trees.path_file(settings.root, name, settings.trees_dir)
    _refuse_existing(settings, target)
    _refuse_existing(settings, paths_file)
    project = Project.load(settings)
    fields = _fields(project, name) | {"name": name, "paths_file": paths_file.relative_to(settings.root).as_posix()}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(FLOW.substitute(fields), encoding="utf-8", newline="\n")
    compiled, problems = trees.load_tree(target, settings.root, set(project.contacts), set(project.sources))
    if compiled is None:  # the template references nothing that can be missing; this is a bug, not a usage error
        target.unlink()
        raise RuntimeError("the flow template does not pass the check:\n" + "\n".join(p.format() for p in problems))
    return [target, *trees.write_path_files(settings.root, {name: compiled}, settings.trees_dir)]
