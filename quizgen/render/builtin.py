"""Where quizgen's own templates are: the folder every template lookup and the catalogue fall back to."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from quizgen.errors import TemplateError


def builtin_templates_dir() -> Path:
    """quizgen's own templates: the copy packaged in an installed wheel, else a source checkout's `templates/`."""
    packaged = resources.files("quizgen") / "templates"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged.resolve()
    # An editable install or a plain checkout imports quizgen from the repo, where the templates
    # sit beside the package. Only a pyproject.toml naming quizgen proves that this is our repo,
    # not some folder that happens to hold a `templates/` next to an installed package.
    checkout = Path(__file__).resolve().parents[2]
    if _is_quizgen_checkout(checkout) and (checkout / "templates").is_dir():
        return checkout / "templates"
    raise TemplateError(
        f"quizgen's built-in templates are missing: neither {packaged} nor {checkout / 'templates'} is a folder; reinstall quizgen"
    )


def _is_quizgen_checkout(folder: Path) -> bool:
    try:
        project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(project, dict) and project.get("name") == "quizgen"
