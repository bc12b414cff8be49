"""Writing outputs: atomically, and never the same path twice in one build."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from quizgen.errors import QuizgenError


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise QuizgenError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the rename must not land before the bytes do
        os.chmod(temp, 0o644)  # mkstemp makes 0600; handouts and decks are shared like any other file
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise QuizgenError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class Writer:
    """Writes a build's files under one directory; refuses to write one path twice."""

    def __init__(self, root: Path):
        self.root = root
        self.written: list[Path] = []

    def write_all(self, outputs: list[tuple[str, bytes | str]]) -> list[Path]:
        """Write several outputs, after checking that no two share a path (so none is written then)."""
        seen: set[str] = set()
        for relative, _ in outputs:
            if relative in seen or self.root / relative in self.written:
                raise QuizgenError(f"two outputs would be written to {self.root / relative}; rename one of them")
            seen.add(relative)
        return [self.write(relative, data) for relative, data in outputs]

    def write(self, relative: str, data: bytes | str) -> Path:
        path = self.root / relative
        if path in self.written:
            raise QuizgenError(f"two outputs would be written to {path}; rename one of them")
        write_atomic(path, data.encode("utf-8") if isinstance(data, str) else data)
        self.written.append(path)
        return path
