"""The print edition: the print template's HTML set by WeasyPrint as one PDF/A-3b + PDF/UA-1 file."""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
import unicodedata
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import Problem, RenderError
from ..frbr import FrbrUri
from ..libraries import import_weasyprint
from ..model import Document
from ..templating import TEMPLATES
from .akn import AknRenderer
from .base import HtmlPageRenderer
from .fonts import covered_characters, glyph_problems, pinned_faces, uncovered
from .hyphenation import keep_dictionaries
from .pdf_fit import long_notes, long_notes_message, overflows, refit_css, refit_failure, refit_html
from .pdf_hyphens import limit_hyphenated_lines, limited_hyphenation
from .pdf_lines import body_lines, overlong_runs
from .pdf_once import serialise_once
from .pdf_structure import declare_roles, record_html_elements, restructure, tag_languages
from .pdf_style import Stylesheets, lift_styles
from .pdf_subset import parse_array_types_once
from .pdf_tree import element_tree, parsed_page
from .pdfa import Description, Identity, Version, archival_metadata, finish

PRINT_ASSETS = TEMPLATES / "print"


class PdfRenderer(HtmlPageRenderer):
    name = "pdf"
    extension = "pdf"
    label = "PDF"
    media_type = "application/pdf"
    template = "print/document.html.j2"
    distributions = (
        "weasyprint",
        "pydyf",
        "tinycss2",
        "cssselect2",
        "tinyhtml5",
        "fonttools",
        "pillow",
        "pyphen",
        "zopfli",
    )
    system_libraries = (  # WeasyPrint lays text out with these: a new version can move a line break
        ("libpango-1.0.so.0", "pango_version_string"),
        ("libharfbuzz.so.0", "hb_version_string"),
    )
    # It embeds the AKN edition: the AKN templates and code are its inputs too.
    template_folders = ("base", "print", "akn")
    modules = (
        "pipeline.renderers.akn",
        "pipeline.renderers.fonts",
        "pipeline.renderers.pdf_fit",
        "pipeline.renderers.hyphenation",
        "pipeline.renderers.pdf_hyphens",
        "pipeline.renderers.pdfa",
        "pipeline.renderers.pdf_lines",
        "pipeline.renderers.pdf_once",
        "pipeline.renderers.pdf_structure",
        "pipeline.renderers.pdf_style",
        "pipeline.renderers.pdf_subset",
        "pipeline.renderers.pdf_tree",
        "pipeline.typography",
    )
    inline_notes = True
    config_keys = HtmlPageRenderer.config_keys | {"regions", "scripts"}

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        weasyprint = import_weasyprint()  # 0.4 s: only when a PDF is asked for
        from weasyprint.text.fonts import FontConfiguration

        self.weasyprint = weasyprint
        _check_version(weasyprint)  # before patching anything
        _tag_notes_as_notes(weasyprint)
        limit_hyphenated_lines(weasyprint)
        parse_array_types_once(weasyprint.text.ffi.ffi)
        keep_dictionaries()
        record_html_elements(weasyprint.pdf.tags)
        self.fonts = pinned_faces(PRINT_ASSETS / "fonts.toml", self.name)
        self.covered = covered_characters(self.fonts)
        allowed = {face.file for face in self.fonts} | {p for p in PRINT_ASSETS.iterdir() if p.is_file()}
        self.fetcher = _allow_only(weasyprint, allowed)
        self.font_config = FontConfiguration()  # one per process: font loading is the slow part
        self.stylesheets = Stylesheets(weasyprint, PRINT_ASSETS.as_uri() + "/", self.fetcher, self.font_config)

    def render(self, document: Document) -> bytes:
        # Its characters were checked before rendering (source_problems, called by the Builder):
        # walking the text again here would cost every PDF of a corpus a second pass.
        adopted = dt.datetime.combine(document.metadata.adoption.date, dt.time(), dt.UTC)
        source = self.weasyprint.Attachment(
            file_obj=io.BytesIO(document.source),
            name=f"{document.stem}.md",
            relationship="Source",
            description="Canonical source of this text (UTF-8 Markdown)",
            created=adopted,
            modified=adopted,
            url_fetcher=self.fetcher,
        )
        # The structure beside the look and the source; ".xml" gets a MIME type from Python's own table.
        structure = self.weasyprint.Attachment(
            file_obj=io.BytesIO(AknRenderer(self.config).render(document)),
            name=f"{document.stem}.akn.xml",
            relationship="Alternative",
            description="Akoma Ntoso 3.0 XML of this text (structure, identity, lifecycle)",
            created=adopted,
            modified=adopted,
            url_fetcher=self.fetcher,
        )
        options: dict[str, Any] = {"pdf_variant": "pdf/a-3b", "pdf_tags": True, "attachments": [source, structure]}
        frbr = FrbrUri.for_text(document.metadata)
        description = Description(
            document.metadata.language,
            tuple(v["identifier"] for v in self.versions(document)),
            Version(document.metadata.status.value, document.metadata.issued.isoformat()),
            Identity(frbr.work, frbr.expression),
        )
        return self.write_archival(document.stem, partial(self.lay_out, document, **options), description, options)

    def source_problems(self, document: Document, source: Path) -> list[Problem]:
        return glyph_problems(document, self.covered, source)

    def check_coverage(self, documents: Iterable[Document]) -> None:
        """Fails on the first text with a character no pinned face can draw (the PDF would show a
        box): for the editions of several texts (volumes, synopses), which no Builder checks."""
        for document in documents:
            missing = uncovered(document, self.covered)
            if missing:
                characters = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')} (line {n})" for n, c in missing)
                raise RenderError(document.stem, self.name, f"no pinned font has a glyph for {characters}")

    def write_archival(
        self,
        stem: str,
        lay_out: Callable[[], Any],
        description: Description,
        options: dict[str, Any],
        finisher: Callable[[Any, Any], None] | None = None,
    ) -> bytes:
        """The PDF/A-3b + PDF/UA-1 file of what `lay_out` lays out (a WeasyPrint Document), its XMP
        packet carrying `description`, finished by `finisher` (by default the print edition's:
        archival completion, structure tree, outline shown). A refused fetch and any warning
        WeasyPrint logs meanwhile fail the edition of `stem`."""
        with _logged_problems() as problems:
            try:
                laid_out = lay_out()
                laid_out.metadata = archival_metadata(laid_out.metadata, description)
                finishing = finisher or partial(_finish, version=description.version)
                pdf = laid_out.write_pdf(finisher=partial(self._finished, finishing), **options)
            except self.weasyprint.urls.FatalURLFetchingError as exc:
                raise RenderError(stem, self.name, str(exc)) from None
        if problems:
            # one warning per face would repeat the same words: each message once, in order
            raise RenderError(stem, self.name, "WeasyPrint: " + "; ".join(dict.fromkeys(problems)))
        assert isinstance(pdf, bytes)
        return pdf

    def _finished(self, finisher: Callable[[Any, Any], None], document: Any, pdf: Any) -> None:
        finisher(document, pdf)
        serialise_once(pdf, self.weasyprint.pdf.pydyf)

    def lay_out_html(self, html: str, css: str = "", **options: Any) -> Any:
        """The print HTML laid out in pages (a WeasyPrint Document), with `css` added."""
        page_html, style = lift_styles(html)  # its stylesheet parsed once per process (pdf_style.py)
        stylesheets = [self.stylesheets(style)] if style else []
        if css:
            stylesheets.append(self.weasyprint.CSS(string=css))
        base_url = PRINT_ASSETS.as_uri() + "/"
        tree = element_tree(page_html)  # libxml2's parse, tinyhtml5's tree (pdf_tree.py)
        if tree is None:
            page = self.weasyprint.HTML(string=page_html, base_url=base_url, url_fetcher=self.fetcher)
        else:
            page = parsed_page(self.weasyprint, tree, base_url, self.fetcher)
        with limited_hyphenation():
            return page.render(stylesheets=stylesheets, **self.stylesheets.render_options(), **options)

    def fit_to_page(self, document: Document, html: str, laid_out: Any, **options: Any) -> Any:
        """`laid_out`, or its blocks that ran off the page laid out again to break anywhere (a
        number only between its digit groups); what still runs off (a table of too many
        columns, a note taller than a page's note area) fails with its source lines."""
        found = overflows(laid_out, document)
        if found:
            laid_out = self.lay_out_html(refit_html(html, found), refit_css(found), **options)
            left = overflows(laid_out, document)
            if left:
                raise RenderError(
                    document.stem,
                    self.name,
                    refit_failure(left, lambda o: f"line {o.line}: {o.text[:30]!r}" if o.text else f"line {o.line}"),
                )
        # No refit can help a note taller than the page's note area: WeasyPrint never splits one.
        long = long_notes(laid_out, document)
        if long:
            raise RenderError(
                document.stem, self.name, long_notes_message([f"note {n.number} (line {n.line})" for n in long])
            )
        return laid_out

    def lay_out(self, document: Document, **options: Any) -> Any:
        """The text laid out in pages (a WeasyPrint Document), with never more than two
        hyphenated lines in a row: the line breaker keeps to that (pdf_hyphens.py); where a
        third is left all the same (a soft hyphen the author wrote), the word it splits is
        protected and the text laid out again (each pass can only protect more words, so this
        ends; a few passes settle any text seen so far)."""
        protected: frozenset[str] = frozenset()
        for _ in range(LAYOUT_PASSES):
            html = self.render_template(
                document,
                fonts=self.fonts,
                protected_words=protected,
                hyphenation_language=self.config.regional(document.metadata.language),
            )
            laid_out = self.lay_out_html(html, **options)
            more = frozenset(overlong_runs(body_lines(laid_out))) - protected
            if not more:
                break
            protected |= more
        return self.fit_to_page(document, html, laid_out, **options)


LAYOUT_PASSES = 6


def _finish(document: Any, pdf: Any, version: Version | None) -> None:
    """The PDF/A + PDF/UA completion, the structure tree as assistive technology reads it, and
    the outline (citation and title, the appendices) shown when the file opens."""
    finish(document, pdf, version)
    restructure(pdf)
    tag_languages(pdf)
    declare_roles(pdf)
    pdf.catalog["PageMode"] = "/UseOutlines"


# The print template wraps each note's text in <note-text> (an inline element; a <span> could not
# be told apart). WeasyPrint 70 tags unknown elements and footnote pseudo-elements NonStruct;
# PDF/UA-1 (7.9) wants a note tagged Note, its call a Reference and its number a Lbl. Emphasis
# and strong text are inline text with a style: Span, not NonStruct.
STRUCTURE_TAGS = {
    "note-text": "Note",
    "note-text::footnote-call": "Reference",
    "note-text::footnote-marker": "Lbl",
    "em": "Span",
    "strong": "Span",
    "sup": "Sup",  # a French ordinal's suffix: role-mapped to Span (pdf_structure.declare_roles)
}


# The structure-tag hook below replaces a private WeasyPrint function for the whole process, and
# pdfa.archival_metadata copies DocumentMetadata's fields: both are used only with the version
# they were written and tested against, checked before anything is patched.
WEASYPRINT_WRITTEN_FOR = "70.0"


def _check_version(weasyprint: Any) -> None:
    tags = weasyprint.pdf.tags
    if weasyprint.__version__ != WEASYPRINT_WRITTEN_FOR or not callable(getattr(tags, "_get_pdf_tag", None)):
        raise RenderError(
            "-",
            "pdf",
            f"WeasyPrint {weasyprint.__version__} is not {WEASYPRINT_WRITTEN_FOR}, whose structure tagging the print "
            "edition adapts for PDF/UA: install the pinned version (make), or port _tag_notes_as_notes first",
        )


def _tag_notes_as_notes(weasyprint: Any) -> None:
    tags = weasyprint.pdf.tags
    original = tags._get_pdf_tag
    if getattr(original, "maps_notes", False):
        return

    def tag_for(tag: str | None) -> str:
        return STRUCTURE_TAGS.get(tag or "") or str(original(tag))

    tag_for.maps_notes = True  # type: ignore[attr-defined]
    tags._get_pdf_tag = tag_for


def _allow_only(weasyprint: Any, allowed: set[Path]) -> Any:
    """A URL fetcher that serves the listed local files and refuses every other URL."""
    allowed_urls = {path.as_uri(): path for path in allowed}

    class ProjectFilesOnly(weasyprint.urls.URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in allowed_urls:
                raise weasyprint.urls.FatalURLFetchingError(f"refused to fetch {url}: not a project asset")
            return weasyprint.urls.URLFetcherResponse(url, allowed_urls[url].read_bytes())

    return ProjectFilesOnly()


class _ProblemHandler(logging.Handler):
    """Keeps the records of one thread: a Dask worker renders several texts at once."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


class _logged_problems:
    """Collects WeasyPrint's warnings and errors during a render: any of them fails the edition."""

    def __enter__(self) -> list[str]:
        self.handler = _ProblemHandler()
        logging.getLogger("weasyprint").addHandler(self.handler)
        return self.handler.messages

    def __exit__(self, *exc_info: object) -> None:
        logging.getLogger("weasyprint").removeHandler(self.handler)
