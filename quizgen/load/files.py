"""Reading a file someone else may have handed over: inside its folder, a regular file, under a size cap.

Banks, quiz files, articles, templates and assets all arrive in folders a
colleague can share. A symlink in such a folder could point at /etc/passwd, and
a "file" could be /dev/zero or a FIFO. Every read goes through `read_inside`,
which resolves the path, refuses what leads outside the allowed folder or is
not a regular file, and never reads more than the cap (even if the size that
stat reports is wrong, as it is for /proc files).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from quizgen.errors import QuizgenError

MAX_CONTENT_BYTES = 8 * 1024 * 1024  # a bank, quiz file or setting file; a 10,000-question bank is about 5 MB
MAX_ARTICLE_BYTES = 4 * 1024 * 1024  # the longest article is 43 KB
MAX_TEMPLATE_BYTES = 1024 * 1024  # a template, stylesheet or script


class UnsafeFile(QuizgenError):
    """A file that may not be read: outside its folder, not a regular file, or too large."""


def resolve_inside(path: Path, folder: Path, what: str = "file") -> Path:
    """The real path of `path`, which must lie inside `folder` (after both are resolved)."""
    root = folder.resolve()
    real = path.resolve()
    if real != root and not real.is_relative_to(root):
        raise UnsafeFile(f"{path}: refused: this {what} resolves to {real}, outside {root}")
    return real


def read_inside(path: Path, folder: Path, *, max_bytes: int, what: str = "file") -> bytes:
    """The bytes of a regular file inside `folder`, at most `max_bytes` of them."""
    real = resolve_inside(path, folder, what)
    try:
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnsafeFile(f"{path}: cannot read this {what}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)  # of what was opened, so a swap after the check changes nothing
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(f"{path}: refused: this {what} is not a regular file")
        if info.st_size > max_bytes:
            raise UnsafeFile(
                f"{path}: refused: this {what} is {info.st_size:,} bytes, over the {max_bytes:,}-byte limit"
            )
        data = _read_at_most(fd, max_bytes + 1)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise UnsafeFile(f"{path}: refused: this {what} is over the {max_bytes:,}-byte limit")
    return data


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, total = [], 0
    while total < limit:
        chunk = os.read(fd, min(1 << 20, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def parse_json(text: str) -> object:
    """json.loads, with a nesting too deep for it (a shared file of 100,000 brackets) reported as the
    JSONDecodeError it is, at line 1 column 1: no file quizgen reads nests more than a few levels."""
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None


def decode_utf8(data: bytes) -> str:
    """UTF-8 text; a leading byte-order mark (as Windows editors save) is dropped."""
    text = data.decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text
