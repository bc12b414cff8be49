"""What every export format shares: bank text made inert HTML, the feedback, categories and the tally.

Bank text is never markup: a colleague's bank may hold `<script>`, and a
platform shows whatever HTML it is given. So every format writes bank text
through `html_text` (escaped, then marked up by us) or as plain text, never
as it stands. The feedback a format attaches to a question is the same
everywhere: the explanation, then each source passage with its article's
citation, worded by the catalogue's `export.*` texts.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from quizgen.errors import WARNING, Issue
from quizgen.export.base import Exported
from quizgen.kinds.base import Text
from quizgen.kinds.response import Order
from quizgen.model import Article, Content, Question


def html_text(value: str) -> str:
    """Bank text as HTML that shows the text and runs nothing: escaped, line breaks kept."""
    return "<br>".join(html.escape(line, quote=False) for line in value.split("\n"))


def paragraph(value: str) -> str:
    """One paragraph of bank text, inert."""
    return f"<p>{html_text(value)}</p>"


def heading(value: str) -> str:
    """A heading inside a feedback text (platforms keep their own h1-h6 styles, so a strong paragraph)."""
    return f"<p><strong>{html_text(value)}</strong></p>"


def key_points_html(key_points: Sequence[str], t: Text) -> str:
    """An essay's key points as a list under their heading: what a grader (or, in GIFT, a student) reads."""
    items = "".join(f"<li>{html_text(point)}</li>" for point in key_points)
    return heading(t("export.key_points")) + f"<ul>{items}</ul>"


def citation(article: Article, t: Text) -> str:
    """The article a passage comes from, as plain text (author, title, outlet, date)."""
    return t("export.citation", author=article.author, title=article.title, outlet=article.outlet, date=article.date)


def passages(question: Question, content: Content) -> list[tuple[str, Article]]:
    """Each source passage of a question with its article."""
    return [(passage.text, content.articles[passage.article]) for passage in question.source]


def feedback_html(question: Question, content: Content, t: Text) -> str:
    """The explanation, then the source passages, each run of passages from one article followed by its
    citation: what a student reads after answering."""
    parts = [paragraph(question.explanation)] if question.explanation else []
    quoted = passages(question, content)
    if quoted:
        parts.append(heading(t("export.source")))
    for i, (text, article) in enumerate(quoted):
        parts.append(f"<blockquote>{html_text(text)}</blockquote>")
        if i + 1 == len(quoted) or quoted[i + 1][1] is not article:
            parts.append(f"<p>{html_text(citation(article, t))}</p>")
    return "".join(parts)


def feedback_lines(question: Question, content: Content, t: Text) -> list[str]:
    """The same feedback as plain lines, for formats without HTML."""
    lines = [question.explanation] if question.explanation else []
    for text, article in passages(question, content):
        lines.append(t("export.source_line", source=t("export.source"), text=text, citation=citation(article, t)))
    return lines


def right_order(response: Order, t: Text) -> str:
    """The items in the right order, each with its label (date): what an ordering's feedback says."""
    labels = response.labels or ("",) * len(response.items)
    items = [f"{item} ({label})" if label else item for item, label in zip(response.items, labels, strict=True)]
    return t("export.right_order", items="; ".join(items))


def reading_html(question: Question, content: Content) -> str:
    """The reading set's excerpt a question is answered from, quoted before it ("" when it stands alone)."""
    reading = content.reading_set_of(question)
    if reading is None:
        return ""
    title = f"<p><strong>{html_text(reading.title)}</strong></p>" if reading.title else ""
    return f"{title}<blockquote>{html_text(reading.excerpt)}</blockquote>"


def category_names(question: Question, content: Content) -> tuple[str, str]:
    """The category a question goes in on a platform: the course, then its bank's title."""
    bank = content.bank(question.bank)
    return content.settings.course, bank.title or bank.id


def warning(question: Question, content: Content, message: str) -> Issue:
    """A warning about one question, at its place in its bank file, naming it by bank/id."""
    from quizgen.load.banks import question_position

    bank = content.bank(question.bank)
    return Issue(bank.path, *question_position(bank, question.id), WARNING, f"question '{question.uid}': {message}")


@dataclass
class Tally:
    """What a format did with each question, and the warnings that say so; `result` makes the Exported."""

    content: Content
    format_title: str
    exported: list[str] = field(default_factory=list)
    converted: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def wrote(self, question: Question) -> None:
        self.exported.append(question.uid)

    def convert(self, question: Question, how: str) -> None:
        """Written in the nearest faithful form; `how` says which, for the warning."""
        self.converted.append(question.uid)
        self.warnings.append(warning(question, self.content, f"{self.format_title}: {how}"))

    def leave_out(self, question: Question, why: str) -> None:
        self.left_out.append(question.uid)
        self.warnings.append(warning(question, self.content, f"{self.format_title}: left out: {why}"))

    def result(self, data: bytes) -> Exported:
        return Exported(data, tuple(self.exported), tuple(self.converted), tuple(self.left_out), tuple(self.warnings))


def counts_by_kind(exported: Exported, questions: Iterable[Question]) -> dict[str, Counter]:
    """{"exported" | "converted" | "left out": Counter(kind -> questions)}: the figures docs and reports give."""
    kind_of_uid = {question.uid: question.kind for question in questions}
    groups: dict[str, Sequence[str]] = {
        "exported": exported.exported,
        "converted": exported.converted,
        "left out": exported.left_out,
    }
    return {name: Counter(kind_of_uid[uid] for uid in uids) for name, uids in groups.items()}
