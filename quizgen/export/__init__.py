"""Learning-platform exports, one module per format, found by their modules alone (like the kinds)."""

from __future__ import annotations

import importlib
import pkgutil

from quizgen.export.base import Exported, ExportFormat

_SKIP = {"base"}

__all__ = ["FORMATS", "ExportFormat", "Exported"]


def _declared() -> dict[str, ExportFormat]:
    formats = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name not in _SKIP and not module.name.startswith("_"):
            declared = getattr(importlib.import_module(f"{__name__}.{module.name}"), "FORMAT", None)
            if declared is not None:
                formats[declared.name] = declared
    return dict(sorted(formats.items()))


FORMATS: dict[str, ExportFormat] = _declared()
