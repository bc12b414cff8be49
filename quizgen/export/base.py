"""What an export format declares: its name, its file, and how it writes a set of questions.

Each format is one module of this package (`moodle.py`, `gift.py`, ...). It maps
the response forms of quizgen/kinds/response.py, never kinds, and says plainly
what it cannot hold: every question it converts or leaves out comes back as a
located warning, so nothing is lost silently.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

from quizgen.errors import Issue
from quizgen.kinds.base import Text
from quizgen.model import Content, Question
from quizgen.render.catalogue import english_text


@dataclass(frozen=True)
class Exported:
    """A format's file and what it did with each question: the uids it converted or left out, and warnings."""

    data: bytes
    exported: tuple[str, ...] = ()  # uids written faithfully
    converted: tuple[str, ...] = ()  # uids written in the nearest faithful form
    left_out: tuple[str, ...] = ()  # uids the format cannot hold at all
    warnings: tuple[Issue, ...] = field(default=())


class ExportFormat(ABC):
    """One learning-platform format. Subclasses set the class attributes and implement `export`."""

    name: ClassVar[str]  # the value of `--format`
    suffix: ClassVar[str]  # the file name's ending, e.g. ".xml"
    title: ClassVar[str]  # how docs and messages name it, e.g. "Moodle XML"

    @abstractmethod
    def export(self, questions: list[Question], content: Content, t: Text = english_text) -> Exported:
        """The file for these questions, worded by `t` (a catalogue's `text`, in the course's language: the
        "Source" and "Key points" headings come from `export.*` keys), and what happened to each one."""
