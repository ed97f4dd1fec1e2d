"""Bar charts drawn as inline SVG at build time from a small YAML data file."""

from __future__ import annotations

import re
from pathlib import Path

from generator.problems import Problem, did_you_mean
from generator.site.templates import Templates
from generator.yamlsource import Node, YamlProblem, load_yaml_file

CHART_KEYS = {"title", "unit", "series", "rows", "source"}
ROW_KEYS = {"label", "values"}
# Dark enough for 3:1 against white (WCAG 1.4.11) and told apart without colour by the legend's order and the value labels.
SERIES_COLOURS = ["#1d4f91", "#8a8a8a", "#b35900"]


def load_chart(path: Path, display: str) -> tuple[dict | None, list[Problem]]:
    try:
        data = load_yaml_file(path, display)
    except YamlProblem as exc:
        return None, [exc.problem]
    if not isinstance(data, Node):
        return None, [Problem(display, 1, 1, "a chart file must have title, series and rows", "see content/data/bra-2015.yml for an example")]
    problems = []
    for key in data:
        if key not in CHART_KEYS:
            problems.append(Problem(display, data.line_of(key), 1, f'unknown key "{key}"{did_you_mean(key, CHART_KEYS)}',
                                    f"use only: {', '.join(sorted(CHART_KEYS))}"))
    series = data.get("series")
    rows = data.get("rows")
    if not isinstance(data.get("title"), str):
        problems.append(Problem(display, data.line_of("title"), 1, "the chart has no title", "add `title:`"))
    if not isinstance(series, list) or not series or not all(isinstance(s, str) for s in series):
        problems.append(Problem(display, data.line_of("series"), 1, "`series` must be a list of names", "write for example `series: [2015, 2012]`"))
        return None, problems
    if not isinstance(rows, list) or not rows:
        problems.append(Problem(display, data.line_of("rows"), 1, "`rows` must be a list of rows", "add rows with label and values"))
        return None, problems
    for index, row in enumerate(rows):
        line = rows.line_of(index)
        if not isinstance(row, Node) or not isinstance(row.get("label"), str) or not isinstance(row.get("values"), list):
            problems.append(Problem(display, line, 1, "each row needs a label and a list of values", "write {label: ..., values: [38, 46]}"))
            continue
        values = row["values"]
        if len(values) != len(series):
            problems.append(Problem(display, line, 1, f"the row has {len(values)} values but there are {len(series)} series",
                                    "give one value per series; write null where a value is missing"))
        for value in values:
            if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 100):
                problems.append(Problem(display, line, 1, f"value {value!r} is not a percentage from 0 to 100", "write a number from 0 to 100, or null"))
    if problems:
        return None, problems
    chart = {"title": data["title"], "unit": data.get("unit", ""), "series": list(series),
             "rows": [{"label": r["label"], "values": list(r["values"])} for r in rows]}
    return chart, []


def _wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + ([current] if current else [])


def chart_context(chart: dict, name: str) -> dict:
    """Grouped horizontal bars, one group per row; labels above each group so it fits a phone.
    The geometry, for tryggt/chart.html."""
    width, left, bar_height, gap = 420, 8, 22, 6
    plot_width = width - left - 60
    y = 8
    legend = []
    legend_x = left
    for index, series in enumerate(chart["series"]):
        legend.append({"x": legend_x, "y": y, "colour": SERIES_COLOURS[index % len(SERIES_COLOURS)],
                       "text_x": legend_x + 20, "text_y": y + 12, "text": series})
        legend_x += 30 + 8 * len(series)  # 8: wide enough for 14px text in common sans fonts, print's too
    y += 34
    groups = []
    for row in chart["rows"]:
        labels, bars = [], []
        for line in _wrap(row["label"], 46):
            labels.append({"x": left, "y": y + 14, "text": line})
            y += 20
        for index, value in enumerate(row["values"]):
            if value is None:
                continue
            bar = plot_width * value / 100
            label = f"{value} %"
            bars.append({"x": left, "y": y, "width": f"{bar:.1f}", "height": bar_height,
                         "colour": SERIES_COLOURS[index % len(SERIES_COLOURS)], "title": f"{chart['series'][index]}: {label}",
                         "text_x": f"{left + bar + 6:.1f}", "text_y": y + 16, "text": label})
            y += bar_height + gap
        y += 14
        groups.append({"labels": labels, "bars": bars})
    summary = "; ".join(
        f'{row["label"]}: ' + ", ".join(f"{series} {value} %" for series, value in zip(chart["series"], row["values"]) if value is not None)
        for row in chart["rows"]
    )
    key = "chart-" + re.sub(r"[^\w-]+", "-", name)  # an id: a file name may hold spaces
    return {"key": key, "title": chart["title"], "summary": summary, "width": width, "height": y,
            "legend": legend, "groups": groups}


def render_bar_chart(chart: dict, name: str, templates: Templates) -> str:
    """The chart as one line of HTML: a figure with an inline SVG and its text alternative."""
    return templates.render("chart.html", chart=chart_context(chart, name))
