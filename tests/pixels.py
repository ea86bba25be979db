"""Visual regression of the print edition: every page rendered and compared with its reference.

Pages are rendered with pdftoppm at 60 dpi in grey. A pixel differs when its grey level moves by
more than PIXEL_TOLERANCE (of 255); a page fails when more than PAGE_TOLERANCE of its pixels
differ. That absorbs anti-aliasing noise while a moved line, word or footnote fails at once.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops

from tests.goldens import GOLDEN, UPDATE

RESOLUTION_DPI = 60
PIXEL_TOLERANCE = 48
PAGE_TOLERANCE = 0.0005  # 0.05 % of the page: about 85 pixels of an A4 page at 60 dpi
REFERENCE = GOLDEN / "pdf-pages"
ARTIFACTS = Path(__file__).parent / "_artifacts" / "pixels"


def render_pages(pdf: Path, into: Path) -> list[Path]:
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(RESOLUTION_DPI), "-gray", "-png", str(pdf), str(into / "page")], check=True)
    return sorted(into.glob("page-*.png"), key=_number)


def _number(page: Path) -> int:
    """The page number of "page-07.png" (pdftoppm pads to the width of the page count)."""
    return int(page.stem.split("-")[1])


def page_differences(pdf: Path) -> list[str]:
    """One message per page that differs from its reference (empty when all agree)."""
    stem = pdf.name.removesuffix(".pdf")
    reference_dir = REFERENCE / stem
    with tempfile.TemporaryDirectory() as work:
        pages = render_pages(pdf, Path(work))
        differences = _differences(stem, pages, sorted(reference_dir.glob("page-*.png"), key=_number))
        if UPDATE and differences:  # rewritten, and red: the new images must be looked at
            shutil.rmtree(reference_dir, ignore_errors=True)
            reference_dir.mkdir(parents=True)
            for page in pages:
                shutil.copyfile(page, reference_dir / f"page-{_number(page)}.png")
            return [f"rewrote the reference images of {stem}: look at them, then run `make test`"]
        return differences


def _differences(stem: str, pages: list[Path], expected: list[Path]) -> list[str]:
    if len(expected) != len(pages):
        return [f"{stem}: {len(pages)} pages, the reference has {len(expected)} (run `make goldens`?)"]
    return [
        message for actual, wanted in zip(pages, expected, strict=True) if (message := _compare(stem, actual, wanted))
    ]


def _compare(stem: str, actual_path: Path, expected_path: Path) -> str:
    actual, expected = Image.open(actual_path).convert("L"), Image.open(expected_path).convert("L")
    if actual.size != expected.size:
        return f"{stem} {expected_path.name}: size {actual.size} instead of {expected.size}"
    diff = ImageChops.difference(actual, expected).point(lambda v: 255 if v > PIXEL_TOLERANCE else 0)
    histogram = diff.histogram()
    changed = histogram[255] / (actual.size[0] * actual.size[1])
    if changed <= PAGE_TOLERANCE:
        return ""
    folder = ARTIFACTS / stem
    folder.mkdir(parents=True, exist_ok=True)
    name = expected_path.stem
    actual.save(folder / f"{name}-actual.png")
    expected.save(folder / f"{name}-expected.png")
    diff.save(folder / f"{name}-diff.png")
    return (
        f"{stem} {expected_path.name}: {changed:.3%} of pixels differ (tolerance {PAGE_TOLERANCE:.2%}); "
        f"see {folder}/{name}-actual.png, -expected.png, -diff.png"
    )
