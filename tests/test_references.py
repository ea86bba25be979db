"""Recognition of mentions of adopted texts and documents, and of look-alikes that are not."""

from __future__ import annotations

import pytest

from pipeline.config import LinkPatterns
from pipeline.model import Reference
from pipeline.references import link_references

LINKS = LinkPatterns(text="/{language}/{type}/{number}-{year}", document="/{language}/doc/{number}")


def found(text: str) -> list[tuple[str, str]]:
    return [(p.text, p.url) for p in link_references(text, "en", LINKS, {}) if isinstance(p, Reference)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in Recommendation 1253 (1994) on", [("Recommendation 1253 (1994)", "/en/recommendation/1253-1994")]),
        ("see Resolution 1234 (2001).", [("Resolution 1234 (2001)", "/en/resolution/1234-2001")]),
        ("its Opinion 242 (2003)", [("Opinion 242 (2003)", "/en/opinion/242-2003")]),
        ("Order 590 (2003)", [("Order 590 (2003)", "/en/order/590-2003")]),
        ("(see Doc. 9814, report", [("Doc. 9814", "/en/doc/9814")]),
        (
            "Recommendations 1285 and 1300 (1996)",
            [("Recommendations 1285", "/en/recommendation/1285-1996"), ("1300 (1996)", "/en/recommendation/1300-1996")],
        ),
        ("Résolution 1234 (2001)", [("Résolution 1234 (2001)", "/en/resolution/1234-2001")]),
        ("Security Council Resolution 1373 (2001)", []),
        ("Resolution 1373 (2001) of the United Nations Security Council", []),
        ("Committee of Ministers Resolution (53) 38", []),
        ("under Rule 7.2 of the Rules", []),
        ("General Assembly Resolution 217 (1948)", []),
        ("Recommendation 1370 without a year seen before", []),
    ],
)
def test_recognition(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


def test_text_is_kept_whole_around_references() -> None:
    text = "The Assembly recalls Recommendations 1285 and 1300 (1996), and Doc. 9814."
    assert "".join(p.text for p in link_references(text, "en", LINKS, {})) == text  # type: ignore[union-attr]


def test_a_year_less_mention_links_after_a_full_citation() -> None:
    cited: dict[tuple[str, str], int] = {}
    list(link_references("Recommendation 1370 (1998) on x", "en", LINKS, cited))
    [later] = [
        p for p in link_references("Since Recommendation 1370, y", "en", LINKS, cited) if isinstance(p, Reference)
    ]
    assert later.url == "/en/recommendation/1370-1998"
