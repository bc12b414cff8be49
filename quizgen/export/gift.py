"""GIFT, Moodle's text format: every form GIFT can express, the others converted or left out, each said.

Every question is written as `[html]` text: bank text is escaped as HTML (so
a `<script>` in a bank shows as text) and then for GIFT, whose special
characters `~ = # { } :` and the backslash get a backslash. Short answers
and the right side of a matching pair are plain text in Moodle, so they are
escaped for GIFT only. Ids and tags go in Moodle's `// [id:...] [tag:...]`
comment before each question; `$CATEGORY:` lines give each bank its category.

What GIFT cannot hold:
- a cloze with several blanks of different answers (GIFT has one blank per
  question): left out;
- a cloze whose one answer fills several blanks: the first is the blank, the
  others show `_____` (converted);
- ordering: converted to matching each item to its place (1., 2., ...);
- essay key points (GIFT has no information for graders): written in the
  general feedback (converted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from quizgen.export import text as x
from quizgen.export._grades import penalty_for, share_of
from quizgen.export.base import Exported, ExportFormat
from quizgen.export.moodle import category_path
from quizgen.kinds import kind_of
from quizgen.kinds import response as r
from quizgen.kinds.base import Text
from quizgen.model import Content, Question, format_number
from quizgen.render.catalogue import english_text

SPECIAL = "\\~=#{}:"  # the backslash first, so the backslashes added for the others are not doubled
BLANK = "_____"  # what Moodle prints for a blank in a missing-word question
ARROW = "->"  # GIFT's matching separator, which it cannot escape


def gift(value: str) -> str:
    """Text with GIFT's special characters escaped."""
    for char in SPECIAL:
        value = value.replace(char, "\\" + char)
    return value


def gift_html(value: str) -> str:
    """Bank text as inert HTML, escaped for GIFT; '%' as an entity, since an answer starting '%50%' is GIFT's
    weight (half marks), which no backslash escapes."""
    return gift(x.html_text(value).replace("%", "&#37;"))


def gift_number(value: float) -> str:
    """A number in plain decimal: GIFT readers such as gift-pegjs refuse an exponent (repr(0.00001) is '1e-05')."""
    text = format(Decimal(format_number(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Context:
    content: Content
    t: Text


@dataclass(frozen=True)
class Body:
    """A question in GIFT: the HTML text before and after the answers, the answers, and what was changed."""

    before: str  # GIFT-escaped HTML
    answers: list[str]  # each already in GIFT syntax
    after: str = ""
    feedback: str = ""  # HTML before the shared feedback (GIFT-escaped later)
    converted: str = ""  # how it was converted ("" when faithful)
    left_out: str = ""  # why GIFT cannot hold it


def stem(question: Question, ctx: Context, *more: str) -> str:
    """The reading set's excerpt, the prompt and any further HTML, escaped for GIFT."""
    html = x.reading_html(question, ctx.content) + x.paragraph(question.prompt) + "".join(more)
    return gift(html)


# --- one function per response form ---------------------------------------------------


def one_of(response: r.OneOf, question: Question, ctx: Context) -> Body:
    return Body(stem(question, ctx), [("=" if o.correct else "~") + gift_html(o.text) for o in response.options])


def any_of(response: r.AnyOf, question: Question, ctx: Context) -> Body:
    right = sum(o.correct for o in response.options)
    share = share_of(right)
    if share is None:
        return Body("", [], left_out=f"{right} right options: Moodle has no grade of 1/{right}")
    penalty = penalty_for(len(response.options) - right)
    answers = [f"~%{share if o.correct else penalty}%{gift_html(o.text)}" for o in response.options]
    return Body(stem(question, ctx), answers)


def verdict(response: r.Verdict, question: Question, ctx: Context) -> Body:
    correction = x.paragraph(ctx.t("export.correction", correction=response.correction)) if response.correction else ""
    feedback = f"#{gift(correction)}#{gift(correction)}" if correction else ""
    return Body(stem(question, ctx), [("TRUE" if response.answer else "FALSE") + feedback], feedback=correction)


def typed(response: r.Typed, question: Question, ctx: Context) -> Body:
    return Body(stem(question, ctx), [_accepted(spelling) for spelling in response.accepted])


def _accepted(spelling: str) -> str:
    """An accepted spelling at full marks. One that starts like a weight ('%50% ...') gets the weight written
    first: GIFT reads one leading %n% as the weight and the rest as text, and no backslash escapes a '%'."""
    weight = "%100%" if spelling.startswith("%") else ""
    return f"={weight}{gift(spelling)}"


def number(response: r.Number, question: Question, ctx: Context) -> Body:
    unit_line = x.paragraph(ctx.t("export.number_in", unit=response.unit)) if response.unit else ""
    value = f"#{gift_number(response.value)}:{gift_number(response.tolerance)}"
    return Body(stem(question, ctx, unit_line), [value])


def gaps(response: r.Gaps, question: Question, ctx: Context) -> Body:
    answers = {gap.answer for gap in response.gaps}
    if len(answers) > 1:
        blanks = len(response.gaps)
        return Body("", [], left_out=f"{blanks} blanks: GIFT holds one blank per question (Moodle XML has it)")
    first = next(i for i, piece in enumerate(response.pieces) if isinstance(piece, r.Gap))
    gap = response.pieces[first]
    hint = f" ({gift_html(gap.hint)})" if gap.hint else ""
    before = gift(x.reading_html(question, ctx.content)) + "<p>" + "".join(map(_gap_text, response.pieces[:first]))
    after = hint + "".join(map(_gap_text, response.pieces[first + 1 :])) + "</p>"
    how = f"its answer fills {len(response.gaps)} blanks: the first is the blank, the others show {BLANK}"
    return Body(before, ["=" + gift(gap.answer)], after, converted=how if len(response.gaps) > 1 else "")


def _gap_text(piece: str | r.Gap) -> str:
    return BLANK if isinstance(piece, r.Gap) else gift_html(piece)


def pairs(response: r.Pairs, question: Question, ctx: Context) -> Body:
    if any(ARROW in pair.left or ARROW in pair.right for pair in response.pairs):
        return Body("", [], left_out=f"an item holds '{ARROW}', which GIFT cannot escape")
    answers = [f"={gift_html(pair.left)} {ARROW} {gift(pair.right)}" for pair in response.pairs]
    return Body(stem(question, ctx), answers)


def order(response: r.Order, question: Question, ctx: Context) -> Body:
    if any(ARROW in item for item in response.items):
        return Body("", [], left_out=f"an item holds '{ARROW}', which GIFT cannot escape")
    places = [ctx.t("export.position", number=n) for n in range(1, len(response.items) + 1)]
    answers = [f"={gift_html(item)} {ARROW} {gift(place)}" for item, place in zip(response.items, places, strict=True)]
    how = "written as matching each item to its place (GIFT has no ordering question)"
    return Body(stem(question, ctx), answers, feedback=x.paragraph(x.right_order(response, ctx.t)), converted=how)


def open_answer(response: r.Open, question: Question, ctx: Context) -> Body:
    key_points = x.key_points_html(response.key_points, ctx.t)
    how = (
        "key points written in the general feedback, shown to students after answering (GIFT has no grader information)"
    )
    return Body(stem(question, ctx), [], feedback=key_points, converted=how if response.key_points else "")


FORMS: dict[type, Callable[..., Body]] = {
    r.OneOf: one_of,
    r.AnyOf: any_of,
    r.Verdict: verdict,
    r.Typed: typed,
    r.Number: number,
    r.Gaps: gaps,
    r.Pairs: pairs,
    r.Order: order,
    r.Open: open_answer,
}


# --- the file -------------------------------------------------------------------------------


def question_text(question: Question, body: Body, ctx: Context) -> str:
    """One question: its id and tags comment, its title, its text and its answers with the feedback."""
    labels = "".join(f" [tag:{tag}]" for tag in question.tags)
    feedback = gift(body.feedback) + gift(x.feedback_html(question, ctx.content, ctx.t))
    answers = "".join(f"\n{answer}" for answer in body.answers)
    general = f"\n####{feedback}" if feedback else ""
    return (
        f"// [id:{question.uid}]{labels}\n"
        f"::{gift(question.uid)}::[html]{body.before}{{{answers}{general}\n}}{body.after}\n"
    )


class Gift(ExportFormat):
    name = "gift"
    suffix = ".gift.txt"
    title = "GIFT"

    def export(self, questions: list[Question], content: Content, t: Text = english_text) -> Exported:
        """Every question GIFT can hold, each bank's after its $CATEGORY line."""
        ctx, tally = Context(content, t), x.Tally(content, self.title)
        blocks, current = [], None
        for question in questions:
            body = r.dispatch(FORMS, kind_of(question).response(question), question, ctx)
            if body.left_out:
                tally.leave_out(question, body.left_out)
                continue
            if question.bank != current:
                blocks.append(f"$CATEGORY: {category_path(question, content)}\n")
                current = question.bank
            blocks.append(question_text(question, body, ctx))
            if body.converted:
                tally.convert(question, body.converted)
            else:
                tally.wrote(question)
        return tally.result("\n".join(blocks).encode("utf-8"))


FORMAT = Gift()
