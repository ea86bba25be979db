"""A finished PDF's objects are serialised once (pipeline/renderers/pdf_once.py): the same file,
without every stream deflated a second time for the file identifier."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pydyf  # type: ignore[import-untyped]
import pytest

from pipeline.config import Config
from pipeline.model import Document
from pipeline.renderers import REGISTRY
from pipeline.renderers import pdf as pdf_module
from pipeline.renderers.pdf_once import serialise_once


def counted_streams(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Ids of the streams whose bytes are computed, once per computation."""
    computed: list[int] = []
    original = pydyf.Stream.data.fget

    def counting(self: Any) -> bytes:
        computed.append(id(self))
        data: bytes = original(self)
        return data

    monkeypatch.setattr(pydyf.Stream, "data", property(counting))
    return computed


def test_the_same_pdf_with_each_stream_deflated_once(seed: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    renderer = REGISTRY["pdf"](Config())
    computed = counted_streams(monkeypatch)
    kept = renderer.render(seed)
    once = len(computed) - len(set(computed))
    computed.clear()
    monkeypatch.setattr(pdf_module, "serialise_once", lambda pdf, pydyf: None)
    twice = renderer.render(seed)
    assert kept == twice
    repeated = len(computed) - len(set(computed))
    assert repeated >= 10, "pydyf asks every stream (pages, fonts, the profile) again for the identifier"
    assert once <= 2, "only the streams pydyf makes while writing (object and xref streams) are asked again"


def test_objects_without_a_data_property_are_left_as_they_are() -> None:
    """A pydyf that computes bytes otherwise is not patched (the PDF is written as pydyf writes it)."""

    class Plain:
        def __init__(self) -> None:
            self.data = b"bytes"  # an attribute, not a property

    item = Plain()
    serialise_once(SimpleNamespace(objects=[item]), SimpleNamespace(Stream=Plain, Dictionary=dict))
    assert type(item) is Plain and item.data == b"bytes"
