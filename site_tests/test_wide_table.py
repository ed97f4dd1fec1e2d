"""A table wider than a phone's text column scrolls inside a frame of its own, in the column; the
page itself never moves sideways. With Material's script (which wraps the table) and without it,
in a page and in an admonition, on a new site from `handbok init`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from site_support import BUILD_ENV, PHONE, REPO_ROOT, serve_site

WIDE = """
| Vad | Vem gör det | Hur | När | Var |
|---|---|---|---|---|
| Anmäl hotet till polisen | Den som har drabbats | Ring 114 14 eller anmäl på polisen.se/anmalan-hot-mot-fortroendevalda | Så snart som möjligt efter händelsen | Hemma eller på kontoret |
| Rapportera till organisationen | Den förtroendevalda | Rapportformuläret på samverkanswebben | Samma dag | Samverkanswebben |
"""

# For each table of the page's text: the column it stands in (the page's, or the admonition's
# inside), the box that scrolls it and that box's frame, the table's width, and where the page is.
_MEASURE = """() => [...document.querySelectorAll('.md-content table')].map((table) => {
  let box = table;
  while (box && !(['auto', 'scroll'].includes(getComputedStyle(box).overflowX) && box.scrollWidth > box.clientWidth)) {
    box = box.parentElement;
  }
  const column = table.closest('.admonition') || document.querySelector('.md-content__inner');
  const inside = (e) => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return [r.left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft),
            r.right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight)]; };
  const style = box && getComputedStyle(box);
  return {
    column: inside(column), box: box && [box.getBoundingClientRect().left, box.getBoundingClientRect().right],
    frame: box && [parseFloat(style.borderLeftWidth), parseFloat(style.borderRightWidth)],
    table: Math.max(table.scrollWidth, table.getBoundingClientRect().width), page: [document.scrollingElement.scrollWidth, innerWidth],
  };
})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("tabell") / "site"
    handbok = [sys.executable, "-m", "generator.cli"]
    subprocess.run([*handbok, "init", str(root), "--no-runtime"], check=True, env=BUILD_ENV, capture_output=True)
    (root / "node_modules").symlink_to(REPO_ROOT / "node_modules")  # this repository's pinned Pyodide
    page = root / "content" / "fore" / "index.md"
    admonition = '\n!!! note "I en ruta"\n' + "".join(f"    {line}\n" for line in WIDE.strip().splitlines())
    page.write_text(page.read_text(encoding="utf-8") + WIDE + admonition, encoding="utf-8")
    built = subprocess.run([*handbok, "--root", str(root), "build", "--no-pdf"], env=BUILD_ENV, capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    with serve_site(root / "site") as url:
        yield url


@pytest.mark.parametrize("script", [True, False], ids=["with Material's script", "without JavaScript"])
def test_a_wide_table_scrolls_in_its_own_frame_inside_the_column(site, new_context, script):
    page = new_context(viewport=PHONE, java_script_enabled=script).new_page()
    page.goto(site + "fore/index.html")
    if script:
        page.wait_for_selector(".md-typeset__scrollwrap")  # Material has wrapped the tables
        page.wait_for_function("() => getComputedStyle(document.querySelector('.md-typeset__scrollwrap')).overflowX === 'auto'")
    tables = page.evaluate(_MEASURE)
    assert len(tables) == 2
    for table in tables:
        (left, right), box = table["column"], table["box"]
        assert box is not None and table["table"] > right - left, "the table is wider than its column and scrolls"
        assert box[0] >= left - 0.5 and box[1] <= right + 0.5, f"the scrolling box {box} runs out of the column {table['column']}"
        assert min(table["frame"]) > 0, "the scrolling box has an edge on both sides"
        assert table["page"][0] <= table["page"][1], "the page is wider than the screen"
    # Scrolling it moves the table's cells, not the page.
    moved = page.evaluate("""() => { const t = document.querySelector('.md-content table'); let s = t;
        while (!(['auto', 'scroll'].includes(getComputedStyle(s).overflowX) && s.scrollWidth > s.clientWidth)) s = s.parentElement;
        const cell = t.rows[0].cells[0], before = cell.getBoundingClientRect().left; s.scrollLeft = 120;
        return [before - cell.getBoundingClientRect().left, scrollX]; }""")
    assert moved == [120, 0]
