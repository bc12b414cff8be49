"""The offline practice page: one self-contained HTML file with its CSS, JavaScript and data inline.

The page makes no network request: its Content-Security-Policy allows only
the inline scripts (the FSRS scheduler, then the page's own) and the style whose
sha256 hashes are computed here, and the
questions travel as a JSON data block that the script reads with JSON.parse
and inserts as text, never as HTML.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path

import jinja2
from markupsafe import Markup

from quizgen.draw.select import Selection, question_articles, questions_quoting
from quizgen.errors import QuizgenError, TemplateError
from quizgen.kinds import KINDS, kind_of
from quizgen.kinds.base import Text
from quizgen.load.yamlio import line_col
from quizgen.model import Content, Question
from quizgen.render.catalogue import Catalogue, english, english_text
from quizgen.render.templates import course_catalogue, make_env, render, template_source

PAGE_TEMPLATE = "practice/page.html"
STYLE_FILE = "practice/practice.css"
SCRIPT_FILE = "practice/practice.js"
# The spaced-repetition scheduler (FSRS-6, ported from py-fsrs), inlined before the page's script.
SCHEDULER_FILE = "practice/fsrs.js"
ALL_PAGE = "all.html"
ALL_TITLE = "All articles"  # the English title of all.html (practice.all_articles)
# The catalogue texts the page's script reads (data.strings): its own, counts and True/False.
SCRIPT_TEXTS = ("practice.", "count.", "answer.")


def render_practice(
    questions: Sequence[Question],
    content: Content,
    *,
    title: str,
    templates_dir: Path | None = None,
    catalogue: Catalogue | None = None,
) -> str:
    """The whole practice page for these questions, as one HTML string, worded by `catalogue` (default:
    the course's language)."""
    if not questions:
        raise QuizgenError("a practice page needs at least one question")
    catalogue = catalogue or course_catalogue(content, templates_dir)
    env = make_env(templates_dir, catalogue)
    style = _inline_source(env, STYLE_FILE, "style")
    scheduler = _inline_source(env, SCHEDULER_FILE, "script")
    script = _inline_source(env, SCRIPT_FILE, "script")
    data = practice_data(questions, content, title, catalogue)
    return render(
        env,
        PAGE_TEMPLATE,
        title=title,
        question_count=len(questions),
        csp=content_security_policy((scheduler, script), style),
        style=Markup(style),
        scheduler=Markup(scheduler),
        script=Markup(script),
        data_json=Markup(embed_json(data)),
    )


def practice_pages(
    content: Content, *, templates_dir: Path | None = None, catalogue: Catalogue | None = None
) -> list[tuple[str, str]]:
    """(file name, HTML) for each article that has questions, then all.html for everything; worded by
    `catalogue` (default: the course's language)."""
    pages = []
    catalogue = catalogue or course_catalogue(content, templates_dir)
    options = {"templates_dir": templates_dir, "catalogue": catalogue}
    for article in content.articles.values():
        questions = questions_quoting(content, article.id)
        if questions:
            html = render_practice(questions, content, title=article.title, **options)
            pages.append((f"{article.id}.html", html))
    all_title = catalogue.text("practice.all_articles")
    everything = render_practice(content.questions, content, title=all_title, **options)
    pages.append((ALL_PAGE, everything))
    return pages


def default_title(content: Content, selection: Selection, t: Text = english_text) -> str:
    """The title of the one article selected, else 'All articles' or 'Selected questions' (worded by `t`)."""
    if len(selection.articles) == 1 and selection.articles[0] in content.articles:
        return content.articles[selection.articles[0]].title
    return t("practice.all_articles") if selection == Selection() else t("practice.selected_questions")


def practice_data(
    questions: Sequence[Question], content: Content, title: str, catalogue: Catalogue | None = None
) -> dict:
    """What the page's script needs: the questions, only the articles and tags they use, and its texts."""
    catalogue = catalogue or english()
    article_ids = sorted({a for q in questions for a in question_articles(q)})
    tags = sorted({t for q in questions for t in q.tags})
    return {
        "title": title,
        "set": question_set_id(questions),
        "articles": {a: _article_record(content, a) for a in article_ids},
        "tags": {t: content.tags.get(t, "") for t in tags},
        "kinds": {
            name: catalogue.text(f"kind.{name}.title") for name in KINDS if any(q.kind == name for q in questions)
        },
        "questions": [question_record(q, _excerpt(content, q)) for q in questions],
        "strings": {key: text for key, text in catalogue.texts.items() if key.startswith(SCRIPT_TEXTS)},
    }


def _excerpt(content: Content, question: Question) -> str:
    reading = content.reading_set_of(question)
    return reading.excerpt if reading else ""


def question_record(question: Question, excerpt: str = "") -> dict:
    """One question as plain JSON data: the shared fields, then what its kind needs; a reading
    set's question also carries its set's excerpt, shown above its prompt (as text)."""
    record = {
        "uid": question.uid,
        "kind": question.kind,
        "prompt": question.prompt,
        "tags": list(question.tags),
        "difficulty": question.difficulty,
        "explanation": question.explanation,
        "articles": sorted(question_articles(question)),
        "source": [{"article": p.article, "text": p.text} for p in question.source],
    }
    if excerpt:
        record["excerpt"] = excerpt
    record.update(kind_of(question).practice_record(question))
    return record


def _article_record(content: Content, article_id: str) -> dict:
    article = content.articles.get(article_id)
    if article is None:
        return {"title": article_id, "author": "", "date": ""}
    return {"title": article.title, "author": article.author, "date": article.date}


def question_set_id(questions: Sequence[Question]) -> str:
    """A short hash of the page's question ids: namespaces its progress in localStorage."""
    joined = "\n".join(sorted(q.uid for q in questions))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def embed_json(data: dict) -> str:
    """JSON safe inside a <script> element: no '<' can close it or open a comment."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline script or style."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(scripts: Sequence[str], style: str) -> str:
    """No network at all; only our own inline scripts and style may run."""
    return "; ".join(
        (
            "default-src 'none'",
            "script-src " + " ".join(csp_hash(script) for script in scripts),
            f"style-src {csp_hash(style)}",
            "img-src data:",
            "connect-src 'none'",
            "form-action 'none'",
            "base-uri 'none'",
        )
    )


def _inline_source(env: jinja2.Environment, name: str, tag: str) -> str:
    """A template file's raw text, to inline verbatim (its hash must match byte for byte)."""
    source, path = template_source(env, name)  # read like every template: inside its folder, regular, capped
    closing = re.search(rf"</{tag}", source, re.IGNORECASE)
    if closing:
        where = (path, *line_col(source, closing.start()))
        raise TemplateError(f"template {name} contains '</{tag}', which would end the inline <{tag}> early", where)
    return source
