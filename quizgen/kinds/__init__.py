"""The question kinds, each declared once in a module of this package; every kind table derives from here.

A kind is found by its module alone: adding one is a new module here (with its
templates and tests), and nothing else in quizgen lists kinds.
"""

from __future__ import annotations

import importlib
import pkgutil

from quizgen.kinds.base import KIND_STRING_KEYS, Kind
from quizgen.model import Question

_SKIP = {"base", "response"}  # the shared declarations, not kinds


def _declared() -> list[Kind]:
    kinds = []
    for module in pkgutil.iter_modules(__path__):
        if module.name not in _SKIP:
            declared = importlib.import_module(f"{__name__}.{module.name}").KIND
            if declared.name != module.name:
                raise TypeError(
                    f"quizgen/kinds/{module.name}.py declares the kind '{declared.name}' (names must match)"
                )
            kinds.append(declared)
    return sorted(kinds, key=lambda kind: kind.order)


KINDS: dict[str, Kind] = {kind.name: kind for kind in _declared()}
KIND_NAMES: tuple[str, ...] = tuple(KINDS)


def kind_of(question: Question) -> Kind:
    """The declaration of a question's kind."""
    return KINDS[question.kind]


def kind_strings() -> dict[str, str]:
    """The English catalogue entries the kinds declare: `kind.<name>.<title|directions>`."""
    return {f"kind.{kind.name}.{key}": kind.strings[key] for kind in KINDS.values() for key in KIND_STRING_KEYS}
