"""The pinned typefaces of an edition, read from the fonts.toml beside its template."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import RenderError


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str
    file: Path
    sha256: str

    @property
    def url(self) -> str:
        return self.file.as_uri()


def pinned_faces(fonts_toml: Path, format_name: str) -> tuple[FontFace, ...]:
    """The faces listed in `fonts_toml`, each checked to be exactly the pinned file."""
    entries = tomllib.loads(fonts_toml.read_text(encoding="utf-8"))["face"]
    faces = tuple(FontFace(e["family"], e["weight"], e["style"], Path(e["file"]), e["sha256"]) for e in entries)
    for face in faces:
        if not face.file.is_file():
            raise RenderError("-", format_name, f"font file {face.file} is missing: run `make` to install it")
        if hashlib.sha256(face.file.read_bytes()).hexdigest() != face.sha256:
            raise RenderError("-", format_name, f"font file {face.file} is not the pinned version ({fonts_toml})")
    return faces
