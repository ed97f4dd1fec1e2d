"""Lighthouse budgets (issue 16): the start page, the acute page, a content page and both default
flows, each run once with Lighthouse's mobile profile against the built site on a plain static
server (no compression, no cache headers). The budget is in lighthouse_support.BUDGET; the JSON
and HTML reports go to benchmarks/lighthouse/ci/ (git-ignored; TRYGGT_LIGHTHOUSE_DIR elsewhere)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lighthouse_support import BUDGET, PAGES, over_budget, run
from site_support import REPO_ROOT

REPORTS = Path(os.environ.get("TRYGGT_LIGHTHOUSE_DIR") or REPO_ROOT / "benchmarks" / "lighthouse" / "ci")


@pytest.mark.parametrize("audited", PAGES)
def test_page_within_budget(base_url, site_dir, audited):
    assert (site_dir / audited).is_file(), f"{audited} is not in the built site"
    name = audited.removesuffix(".html").replace("/", "-")
    result = run(base_url + audited, REPORTS / name)
    (REPORTS / f"{name}.figures.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    problems = over_budget(result, BUDGET)
    assert not problems, (f"{audited} breaks the Lighthouse budget {BUDGET}:\n  " + "\n  ".join(problems)
                          + f"\nreport: {REPORTS / name}.report.html")
