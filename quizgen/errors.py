"""The problems quizgen reports, and the exceptions that carry them to the CLI."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Issue:
    """One located problem in the content, printed as `path:line:col: severity: message`."""

    path: str
    line: int
    col: int
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_error(self) -> Issue:
        """The same problem promoted to an error (what `--strict` does to warnings)."""
        return Issue(self.path, self.line, self.col, ERROR, self.message)


class QuizgenError(Exception):
    """A problem with the user's input or setup; the CLI prints it and exits 1. One `located` in a file
    (path, line, column) reads `path:line:col: message`, and the CLI prints `path:line:col: error: message`."""

    def __init__(self, message: str, located: tuple[str, int, int] | None = None):
        super().__init__(message)
        self.message, self.located = message, located

    def __str__(self) -> str:
        if self.located is None:
            return self.message
        path, line, col = self.located
        return f"{path}:{line}:{col}: {self.message}"

    def __reduce__(self):
        # Rebuilt from its attributes, not by calling __init__ again with `args` (a PDF worker sends its
        # error to the parent pickled): a subclass's own arguments (issues, a path) are not its `args`.
        return _rebuilt, (type(self), self.args), self.__dict__


def _rebuilt(cls: type[QuizgenError], args: tuple) -> QuizgenError:
    error = cls.__new__(cls)
    error.args = args
    return error


class Problems(QuizgenError):
    """Several problems no file line locates (in a command's options), found at once: the CLI prints
    each as its own `error:` line, so a user fixes them all in one go."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


class ContentError(QuizgenError):
    """The content has errors; carries every issue found, so all are reported at once."""

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(issues)
        errors = sum(1 for issue in self.issues if issue.is_error)
        super().__init__(f"{errors} error(s) in the content")


class TemplateError(QuizgenError):
    """A template could not be loaded or rendered; names the template file and line."""


def summarize(issues: list[Issue]) -> str:
    """One summary line: counts of errors and warnings and the files they are in."""
    errors = sum(1 for issue in issues if issue.is_error)
    warnings = len(issues) - errors
    files = len({issue.path for issue in issues})
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    where = f" in {files} file{'s' if files != 1 else ''}" if issues else ""
    return ", ".join(parts) + where
