"""The printed handbook (A4) and the pocket card, made with WeasyPrint.

`make_pdf(book, pocket=False)` returns the PDF as bytes and its page count (a pocket card that does
not fit on its two pages is reported with a warning per page, `fit.py`); `write_atomically` puts
it in place. `document.py` makes the HTML from the core's pages; this module renders it with
the stylesheets beside it (handbok.css, fickkort.css) and the fonts in FONTS.

Nothing is fetched from the network: the URL fetcher opens only files inside the project and the
font files named in FONTS, and any other URL stops the PDF with an error.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from generator.problems import Report
from generator.project import Project
from generator.pdf.document import HANDBOOK_FILE, START_PAGE, Assembler, PdfError

__all__ = ["Book", "PdfError", "make_pdf", "render_pdf", "write_atomically", "download_links",
           "HANDBOOK_FILE", "POCKET_FILE", "START_PAGE", "FONTS"]

POCKET_FILE = "fickkort.pdf"
HERE = Path(__file__).resolve().parent

# Debian's fonts-open-sans (a calm humanist sans, as in much Swedish public print) and, for the
# few glyphs it lacks (arrows), fonts-dejavu-core. Embedded from these files, never fetched.
FONT_DIR = Path("/usr/share/fonts/truetype")
FONTS = [
    ("Open Sans", "400", "normal", FONT_DIR / "open-sans/OpenSans-Regular.ttf"),
    ("Open Sans", "400", "italic", FONT_DIR / "open-sans/OpenSans-Italic.ttf"),
    ("Open Sans", "600", "normal", FONT_DIR / "open-sans/OpenSans-Semibold.ttf"),
    ("Open Sans", "700", "normal", FONT_DIR / "open-sans/OpenSans-Bold.ttf"),
    ("Open Sans", "700", "italic", FONT_DIR / "open-sans/OpenSans-BoldItalic.ttf"),
    ("DejaVu Sans", "400", "normal", FONT_DIR / "dejavu/DejaVuSans.ttf"),
    ("DejaVu Sans", "700", "normal", FONT_DIR / "dejavu/DejaVuSans-Bold.ttf"),
]
FONT_PACKAGES = "Debian's fonts-open-sans and fonts-dejavu-core (bash scripts/setup.sh installs them)"
# TrueType, OpenType, TrueType collection, WOFF, WOFF2.
FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")


@dataclass
class Book:
    """What a PDF is made of: the loaded project and the site's navigation and Markdown setup."""

    project: Project
    nav: list | None                           # as in mkdocs.yml: "page.md", {title: "page.md"}, {section: [...]}
    markdown_extensions: list = field(default_factory=list)  # as in mkdocs.yml: names or {name: options}
    site_name: str = ""
    organisation: str = ""
    fonts: list = field(default_factory=lambda: list(FONTS))


def font_faces(fonts: list) -> str:
    """@font-face rules for the font files, after checking each one can be read and is a font."""
    rules = []
    for family, weight, style, path in fonts:
        try:
            with open(path, "rb") as font:
                magic = font.read(4)
        except OSError as exc:
            raise PdfError(f"{path}: cannot read the font file ({exc.strerror}): install {FONT_PACKAGES}") from None
        if magic not in FONT_MAGIC:
            raise PdfError(f"{path}: the font cannot be loaded: the file is not a TrueType, OpenType or WOFF font")
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
                     f'src: url("{Path(path).resolve().as_uri()}"); }}')
    return "\n".join(rules) + "\n"


class _Problems(logging.Handler):
    """Takes what WeasyPrint reports while rendering: errors and unloadable fonts stop the PDF (in
    plain words), anything else is passed on as a warning."""

    def __init__(self, root: Path):
        super().__init__(logging.WARNING)
        self.root = root
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.msg.startswith("Failed to load image") and record.args:
            path = Path(url2pathname(urlsplit(str(record.args[0])).path))
            shown = path.relative_to(self.root) if path.is_relative_to(self.root) else path
            self.messages.append(f"{shown}: the image cannot be loaded: save it as PNG, JPEG, GIF or SVG")
        elif record.levelno >= logging.ERROR or "cannot be loaded" in message:
            self.messages.append(message)
        else:
            logging.getLogger(__name__).warning(message)


def _fetcher(allowed_dirs: list[Path], allowed_files: set[Path], fetched: set[Path] | None = None):
    """A WeasyPrint URL fetcher that opens local files in the allowed places and nothing else (and
    adds each to `fetched`: the PDF cache checks them again before reusing the PDF)."""
    from weasyprint.urls import URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise PdfError(f"refused to fetch {url}: the PDF uses local files only; "
                               "put the file in the content folder and link to it from there")
            path = Path(url2pathname(parts.path)).resolve()
            if path not in allowed_files and not any(path.is_relative_to(folder) for folder in allowed_dirs):
                raise PdfError(f"refused to open {path}: it is outside the project folder")
            if fetched is not None:
                fetched.add(path)
            return super().fetch(path.as_uri(), headers)

    return LocalOnly(fail_on_errors=True)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def language_css(t) -> str:
    """The words the stylesheets print (page numbers, page references), in the site's language."""
    before, _, rest = t("pdf_page_of").partition("{page}")
    between, _, after = rest.partition("{pages}")
    page_of = f"{_css_string(before)} counter(page) {_css_string(between)} counter(pages) {_css_string(after)}"
    ref = _css_string(f" ({t('pdf_page_ref')}\u00a0")
    pocket_ref = _css_string(f" ({t('pdf_pocket_page_ref')}\u00a0")
    return (f"\n@page {{ @bottom-right {{ content: {page_of}; }} }}\n"
            f'body.handbook a[data-page-ref]::after, body.handbook a.flow-rule::after {{ content: {ref} target-counter(attr(href), page) ")"; }}\n'
            f'body.handbook a.flow-option[data-goto]::after, body.handbook a.flow-next::after {{ content: " → " target-text(attr(href)) {ref} target-counter(attr(href), page) ")"; }}\n'
            f'body.pocket a[data-page-ref]::after {{ content: {pocket_ref} target-counter(attr(href), page) ")"; }}\n'
            f".elsewhere::after {{ content: {_css_string(' ' + t('pocket_elsewhere'))}; }}\n"
            f".flow-step h2::before {{ content: {_css_string(t('pdf_step_prefix') + ' ')}; }}\n"
            f"a.flow-option:not([data-goto])::after {{ content: {_css_string(' → ' + t('pdf_see_rules'))}; }}\n")


def render_pdf(document: str, stylesheet: Path, book: Book, check=None,
               fetched: set[Path] | None = None) -> tuple[bytes, int]:
    """The PDF of an HTML document, and its page count; `check` is shown the laid-out document."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    root = book.project.settings.root.resolve()
    fetcher = _fetcher([root], {Path(font[3]).resolve() for font in book.fonts}, fetched)
    faces = font_faces(book.fonts)
    try:
        style = stylesheet.read_text(encoding="utf-8")
    except OSError as exc:
        raise PdfError(f"{stylesheet}: cannot read the print stylesheet ({exc.strerror})") from None
    problems = _Problems(root)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(problems)
    logger.propagate = False  # its messages reach the reader through _Problems, in plain words
    try:
        fonts = FontConfiguration()
        css = CSS(string=faces + style + language_css(book.project.text), base_url=stylesheet.as_uri(),
                  url_fetcher=fetcher, font_config=fonts)
        rendered = HTML(string=document, base_url=(root / book.project.settings.docs_dir).as_uri() + "/",
                        url_fetcher=fetcher).render(stylesheets=[css], font_config=fonts)
        if problems.messages:
            raise PdfError("; ".join(dict.fromkeys(problems.messages)))
        if check is not None:
            check(rendered)
        data = rendered.write_pdf(pdf_tags=True)
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        raise PdfError(str(cause) if isinstance(cause, PdfError) else f"{exc}: {cause}") from None
    finally:
        logger.removeHandler(problems)
        logger.propagate = True
    return data, len(rendered.pages)


def make_pdf(book: Book, pocket: bool = False, report: Report | None = None,
             fetched: set[Path] | None = None) -> tuple[bytes, int]:
    """The handbook (or, with `pocket`, the pocket card) as PDF bytes, and its page count. A pocket
    card past two pages gets a warning in `report` for each page of it that does not fit; the files
    read while rendering go into `fetched`. `cache.cached_pdf` makes it only when its inputs changed."""
    from generator.pdf.fit import pocket_fit

    assembler = Assembler(book)
    if pocket:
        fit = (lambda rendered: report.extend(pocket_fit(book.project, rendered))) if report is not None else None
        return render_pdf(assembler.pocket(), HERE / "fickkort.css", book, fit, fetched)
    return render_pdf(assembler.handbook(), HERE / "handbok.css", book, fetched=fetched)


DOWNLOADS = {HANDBOOK_FILE: "download_handbook", POCKET_FILE: "download_pocket"}


def download_links(files: list[str], t) -> str:
    """Markdown for the site's start page: the printed handbook and the pocket card beside it."""
    items = "".join(f"- [{t(DOWNLOADS[name])}]({name}): {t(DOWNLOADS[name] + '_description')}.\n"
                    for name in files if name in DOWNLOADS)
    return f"\n\n## {t('download_heading')}\n\n{items}" if items else ""


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target and rename over it, so a reader never sees half a PDF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
