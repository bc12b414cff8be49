"""The installable package: an sdist, the wheel built from it, and that wheel installed in a fresh venv building everything."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, SOURCES

import quizgen
from quizgen.cli import main

pytestmark = pytest.mark.wheel

TEMPLATES = ROOT / "templates"
PACKAGE = ROOT / "quizgen"
DIST_INFO = f"quizgen-{quizgen.__version__}.dist-info/"


@dataclass(frozen=True)
class Installed:
    """A fresh venv with quizgen installed from a wheel built from an sdist of this checkout."""

    tmp: Path
    sdist: Path
    wheel: Path
    python: Path
    quizgen: Path
    package: Path  # the installed quizgen/ folder inside the venv's site-packages


def clean_env() -> dict[str, str]:
    """The environment without what would make the venv import this checkout instead of its own copy."""
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


def run(*args: object, cwd: Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a program in `cwd` with the clean environment; when `ok`, fail with its output unless it exits 0."""
    done = subprocess.run([str(arg) for arg in args], cwd=cwd, env=clean_env(), capture_output=True, text=True)
    if ok:
        assert done.returncode == 0, f"{args} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def only(paths: list[Path]) -> Path:
    assert len(paths) == 1, paths
    return paths[0]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build the sdist, the wheel from the sdist (as `python -m build` does), and install the wheel, not editable."""
    tmp = tmp_path_factory.mktemp("wheel")
    venv, dist = tmp / "venv", tmp / "dist"
    run(sys.executable, "-m", "venv", venv, cwd=tmp)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "hatchling", cwd=tmp)  # to build the sdist
    run(venv / "bin" / "hatchling", "build", "-t", "sdist", "-d", dist, cwd=ROOT)
    sdist = only(list(dist.glob("*.tar.gz")))
    run(python, "-m", "pip", "wheel", "--no-deps", "-w", dist, sdist, cwd=tmp)
    wheel = only(list(dist.glob("*.whl")))
    install = run(python, "-m", "pip", "install", wheel, cwd=tmp)
    print(install.stdout.splitlines()[-1])
    located = run(python, "-c", "import os, quizgen; print(os.path.dirname(quizgen.__file__))", cwd=tmp)
    package = Path(located.stdout.strip())
    return Installed(tmp, sdist, wheel, python, venv / "bin" / "quizgen", package)


def files_under(folder: Path) -> set[str]:
    """Every file below `folder`, as a POSIX path relative to it, leaving out Python's byte-code caches."""
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_sdist_carries_the_package_and_every_template(installed: Installed):
    with tarfile.open(installed.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {f"templates/{name}" for name in files_under(TEMPLATES)} <= names
    assert {f"quizgen/{name}" for name in files_under(PACKAGE)} <= names
    assert not {name for name in names if name.split("/")[0] in ("tests", "content", "output", "bench")}


def test_wheel_holds_every_template_under_the_package_byte_for_byte(installed: Installed):
    with zipfile.ZipFile(installed.wheel) as archive:
        packaged = {
            name.removeprefix("quizgen/templates/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("quizgen/templates/")
        }
    assert set(packaged) == files_under(TEMPLATES)
    changed = [name for name, data in packaged.items() if data != (TEMPLATES / name).read_bytes()]
    assert changed == []


def test_wheel_holds_the_package_modules_and_nothing_else(installed: Installed):
    with zipfile.ZipFile(installed.wheel) as archive:
        names = archive.namelist()
    code = {
        name.removeprefix("quizgen/")
        for name in names
        if name.startswith("quizgen/") and not name.startswith("quizgen/templates/")
    }
    assert code == files_under(PACKAGE)
    assert [name for name in names if not name.startswith(("quizgen/", DIST_INFO))] == []


def test_installed_quizgen_is_imported_from_the_venv(installed: Installed):
    shown = run(
        installed.python,
        "-c",
        "import quizgen.render.anki as a, quizgen.render.templates as t; print(t.__file__, t.TEMPLATES_DIR, a.TEMPLATE_DIR)",
        cwd=installed.tmp,
    )
    module, templates, anki = shown.stdout.split()
    assert Path(module) == installed.package / "render" / "templates.py"
    assert Path(templates) == (installed.package / "templates").resolve()
    assert Path(anki) == (installed.package / "templates" / "anki").resolve()
    assert "site-packages" in installed.package.parts
    assert not installed.package.is_relative_to(ROOT)


def test_installed_version_is_the_package_version(installed: Installed):
    shown = run(installed.quizgen, "--version", cwd=installed.tmp)
    assert shown.stdout == f"quizgen, version {quizgen.__version__}\n"


def test_installed_build_writes_every_kind_of_output(installed: Installed):
    out = installed.tmp / "out"
    done = run(installed.quizgen, "build", "--content", CONTENT, "--sources", SOURCES, "-o", out, cwd=installed.tmp)
    print(done.stdout, end="")
    assert done.stdout.startswith("built ") and done.stdout.endswith(f" file(s) into {out}\n")
    pdfs = sorted(out.glob("quizzes/*/*.pdf")) + sorted(out.glob("study-guides/*.pdf"))
    assert any("-key" in pdf.name for pdf in pdfs) and any("-student" in pdf.name for pdf in pdfs)
    assert list(out.glob("study-guides/*.pdf"))
    assert [pdf for pdf in pdfs if not pdf.read_bytes().startswith(b"%PDF-")] == []
    with zipfile.ZipFile(out / "anki" / "sino-russian-relations.apkg") as deck:  # content/quizgen.yaml
        assert "collection.anki2" in deck.namelist()
    assert (out / "practice" / "all.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_installed_practice_page_is_the_checkout_page(installed: Installed, tmp_path: Path):
    """`quizgen practice` once failed with "template 'practice/practice.css' not found" when installed from a wheel."""
    page, expected = installed.tmp / "practice.html", tmp_path / "practice.html"
    done = run(installed.quizgen, "practice", "--content", CONTENT, "--sources", SOURCES, "-o", page, cwd=installed.tmp)
    assert done.stderr == ""
    assert main(["practice", "--content", str(CONTENT), "--sources", str(SOURCES), "-o", str(expected)]) == 0
    assert page.read_bytes() == expected.read_bytes()


@pytest.mark.parametrize("beside", [None, "other-project"], ids=["nothing-beside", "another-projects-templates-beside"])
def test_installed_without_templates_says_so(installed: Installed, beside: str | None):
    """A broken install is named, and a templates/ folder beside site-packages/quizgen is only taken from our own checkout."""
    site = installed.package.parent
    moved = installed.tmp / "templates.moved"
    planted = [site / "templates", site / "pyproject.toml"]
    (installed.package / "templates").rename(moved)
    try:
        if beside:
            (site / "templates" / "practice").mkdir(parents=True)
            shutil.copy(TEMPLATES / "practice" / "practice.css", site / "templates" / "practice")
            (site / "pyproject.toml").write_text(f'[project]\nname = "{beside}"\n', encoding="utf-8")
        practice = ("practice", "--content", CONTENT, "--sources", SOURCES, "-o", installed.tmp / "p.html")
        done = run(installed.quizgen, *practice, cwd=installed.tmp, ok=False)
    finally:
        shutil.rmtree(planted[0], ignore_errors=True)
        planted[1].unlink(missing_ok=True)
        moved.rename(installed.package / "templates")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"error: quizgen's built-in templates are missing: neither {installed.package / 'templates'} "
        f"nor {site.resolve() / 'templates'} is a folder; reinstall quizgen\n"
    )
