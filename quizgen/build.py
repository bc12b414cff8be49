"""The build pipeline: load -> validate (stop on any error, nothing written) -> render -> write."""

from __future__ import annotations

from pathlib import Path

from quizgen.content import require_content
from quizgen.writer import Writer


def build_all(
    content_dir: Path, output_dir: Path, *, sources_dir: Path | None = None, strict: bool = False
) -> list[Path]:
    """Build every output from the content; raise ContentError before writing if the content is wrong."""
    require_content(content_dir, sources_dir, strict=strict)
    writer = Writer(output_dir)
    return writer.written
