"""Both YAML parsers: no input takes the process down, and both give every scalar one meaning.

The fuzz run feeds generated and mutated inputs to `yamlio.parse` in a worker process, so a
segfault in yaml-rs shows as a dead worker instead of a dead test run. Run it at full size with
`python tests/test_yaml_parsers.py 20000`.
"""

from __future__ import annotations

import json
import math
import random
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.load.yamlio import _REFUSED, DEPTH_MESSAGE, YamlProblem, _compose, _fast_load, check_depth

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "tests" / "data" / "valid" / "banks" / "sample.yaml").read_text(encoding="utf-8")


def depth_problem(text: str) -> tuple[str, int, int] | None:
    try:
        check_depth(text)
    except YamlProblem as exc:
        return str(exc), exc.line, exc.col
    return None


# --- The nesting bound ---


def test_the_depth_limit_is_crossed_at_the_65th_compact_level():
    assert depth_problem("- " * 64 + "x") is None
    assert depth_problem("- " * 65 + "x") == (DEPTH_MESSAGE, 1, 129)


def test_the_depth_limit_follows_indentation_to_the_line_that_crosses_it():
    ladder = "".join(" " * depth + "a:\n" for depth in range(70))
    assert depth_problem(ladder) == (DEPTH_MESSAGE, 65, 65)
    assert depth_problem("".join(" " * depth + "a:\n" for depth in range(64))) is None


def test_the_depth_limit_counts_unclosed_flow_brackets():
    assert depth_problem("x: " + "[" * 70) == (DEPTH_MESSAGE, 1, 67)
    assert depth_problem("x: " + "{a: " * 63 + "1" + "}" * 63) is None


def test_a_sequence_as_a_keys_value_at_the_same_column_is_one_level_each():
    text = "".join(" " * (2 * i) + "k:\n" + " " * (2 * i) + "-\n" for i in range(40))
    line = 2 * 32 + 1  # 32 keys and 32 sequences make 64 levels; the 33rd key is the 65th
    assert depth_problem(text) == (DEPTH_MESSAGE, line, 65)


def test_block_and_multi_line_quoted_scalars_are_text_not_structure():
    list_like = "".join(" " * (i + 1) + "- - - - [ {\n" for i in range(100))
    assert depth_problem("x: |\n" + list_like + "y: 1\n") is None
    assert depth_problem('x: "a\n' + list_like + '"\ny: 1\n') is None


def test_every_shipped_file_is_far_below_the_limit():
    for path in shipped_files():
        assert depth_problem(path.read_text(encoding="utf-8", errors="replace")) is None, path


def test_deep_nesting_is_refused_without_a_crash_by_parse(tmp_path):
    # Run in a child: on main this very input killed the process with a segmentation fault.
    code = "from quizgen.load.yamlio import parse, YamlProblem\ntry: parse('- ' * 100_000 + 'x')\nexcept YamlProblem as e: print(e.line, e.col, e)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (result.returncode, result.stdout.strip()) == (0, f"1 129 {DEPTH_MESSAGE}")


def test_a_tree_deeper_than_the_limit_is_refused_by_the_precise_parser_too():
    # check_depth is the first guard; _convert refuses depth itself in case the scan is ever fooled.
    with pytest.raises(YamlProblem) as caught:
        _compose("a: " + "[" * 65 + "]" * 65)
    assert (str(caught.value), caught.value.line, caught.value.col) == (DEPTH_MESSAGE, 1, 67)


# --- One meaning for every scalar ---


def shipped_files() -> list[Path]:
    return sorted((ROOT / "content").glob("**/*.yaml")) + sorted((ROOT / "tests" / "data").glob("**/*.yaml"))


def same(a, b) -> bool:
    """Equal data, with NaN equal to NaN and 1 not equal to 1.0 or True."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def both_readings(text: str) -> tuple[object, object]:
    """(the fast path's data or "refused", the precise path's data or "refused")."""
    if depth_problem(text):  # parse() refuses it before either parser sees it
        return "refused", "refused"
    fast, reason = _fast_load(text)
    try:
        precise = _compose(text)[0]
    except YamlProblem:
        precise = "refused"
    if fast is None:  # parse() refuses an empty document
        fast = "refused"
    elif fast is _REFUSED:  # with a reason parse() refuses the file; without one only the precise path reads it
        return ("refused" if reason else precise), ("refused" if reason else precise)
    return fast, precise


def assert_one_meaning(text: str) -> None:
    fast, precise = both_readings(text)
    assert same(fast, precise), (text, fast, precise)


def test_both_parsers_read_every_shipped_file_alike():
    for path in shipped_files():
        text = path.read_text(encoding="utf-8", errors="replace").replace("\0", "")  # NUL: refused by parse()
        text = text.removeprefix("\ufeff")  # as parse() does before either parser sees the text
        fast, precise = both_readings(text)
        assert same(fast, precise), path


SCALARS = [
    "\t0",  # a tab after the indentation of a block scalar: libyaml refuses it, yaml-rs read it as text
    *[
        "0",
        "-0",
        "+0",
        "1",
        "+1",
        "-1",
        "007",
        "0o17",
        "0o8",
        "0x1F",
        "0xg",
        "0b101",
        "0E0_",  # yaml-rs drops `_` in an exponent or after a leading dot; YAML 1.2 keeps the text
        "1e1_0",
        "1e_1",
        "-.5_",
        "1.5e3_",
        "1_000",
        "1__0",
        "_1",
        "1_",
        "1e3",
        "1E3",
        "1e+3",
        "1.e3",
        "-1.5e-3",
        "1.",
        ".5",
        "-.5",
        "+.5",
        "1.5_0",
    ],
    *[
        ".inf",
        ".Inf",
        ".INF",
        "-.inf",
        "+.inf",
        ".nan",
        ".NaN",
        ".NAN",
        "-.NaN",
        "+.nan",
        "inf",
        "nan",
        "NaN",
        "infinity",
    ],
    *[
        "~",
        "null",
        "Null",
        "NULL",
        "nUll",
        "true",
        "True",
        "TRUE",
        "tRue",
        "false",
        "False",
        "FALSE",
        "yes",
        "Yes",
        "no",
        "No",
        "on",
        "off",
        "y",
        "n",
    ],
    *["2001-07-15", "2001-7-15", "2001-07-15T12:00:00Z", "2001-07-15", "12:00:00", "12:30", "1:30:00", "190:20:30"],
    "a: b",
    "a #b",
    "#x",
    "'",
    '"',
    "Москва",
    "北京",
    "한국어",
    "😀",
    "-",
    "?",
    ":",
    "!",
    "&",
    "*",
    "%",
    "@",
    "`",
    "[1]",
    "{a}",
    "1 2",
    "0.",
    "1e",
    "e3",
    "0x",
    "0o",
    "+",
    "-.",
    ".",
    "",
]


def quoted(value: str, style: str) -> str:
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return json.dumps(value, ensure_ascii=False)
    if style == "literal":
        return "|\n  " + value + "\n"
    if style == "folded":
        return ">-\n  " + value + "\n"
    return value


@pytest.mark.parametrize("value", SCALARS)
def test_every_kind_of_scalar_means_the_same_to_both_parsers(value):
    for style in ("plain", "single", "double", "literal", "folded"):
        assert_one_meaning(f"k: {quoted(value, style)}\n")
        assert_one_meaning(f"- {quoted(value, style)}\n")
        assert_one_meaning(f"[{quoted(value, style)}]\n" if style in ("plain", "single", "double") else "x: 1\n")


scalar_text = (
    st.sampled_from(SCALARS)
    | st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
    | st.from_regex(r"[-+]?(0[xob])?[0-9a-fA-F_.eE+-]{1,8}", fullmatch=True)
)
styles = st.sampled_from(["plain", "single", "double", "literal", "folded"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(scalar_text, styles), min_size=1, max_size=6))
def test_generated_documents_mean_the_same_to_both_parsers(entries):
    text = "".join(f"k{i}: {quoted(value, style)}\n" for i, (value, style) in enumerate(entries))
    assert_one_meaning(text)


# --- The fuzz run: nothing but YamlProblem, and no dead process ---


def fuzz_inputs(count: int, seed: int = 20240611):
    """`count` generated and mutated inputs: deep, long, wide, odd unicode and every scalar style."""
    rng = random.Random(seed)
    makers = [mutated_sample, deep_nesting, long_line, wide_flow, odd_unicode, scalar_document]
    weights = [40, 15, 3, 1, 20, 20]
    for _ in range(count):
        yield rng.choices(makers, weights)[0](rng)


YAML_CHARS = "-?:,[]{}#&*!|>'\"%@` \n\t\\.0123456789abcxyz\u00e9\u201c\ufeff\x00\x85\u2028"


def mutated_sample(rng: random.Random) -> str:
    text = SAMPLE
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(text))
        cut = rng.randint(0, 30)
        if rng.random() < 0.2:  # duplicate a slice: repeated structure, re-indented
            text = text[:at] + text[at : at + rng.randint(1, 400)] * rng.randint(1, 5) + text[at:]
        else:
            text = text[:at] + "".join(rng.choices(YAML_CHARS, k=rng.randint(0, 8))) + text[at + cut :]
    return text


def deep_nesting(rng: random.Random) -> str:
    n = rng.choice([10, 63, 64, 65, 200, 1000, 5000, 20_000, 100_000])
    shape = rng.randrange(7)
    if shape == 0:
        return "- " * n + "x"
    if shape == 1:
        return "".join(" " * i + "a:\n" for i in range(min(n, 3000)))
    if shape == 2:
        return "x: " + "[" * n + "]" * rng.choice([0, n])
    if shape == 3:
        return "x: " + "{a: " * n + "1" + "}" * rng.choice([0, n])
    if shape == 4:
        return "? " * n + "x"
    if shape == 5:
        return "".join(" " * i + "-\n" for i in range(min(n, 3000)))
    return "".join(rng.choice(["- ", "? ", "[", "{", "a: ", "\n", " "]) for _ in range(n))


def long_line(rng: random.Random) -> str:
    size = rng.choice([100_000, 1_000_000])
    unit = rng.choice(["x", " ", "a: ", "'", '"', "\\", "# ", "é", "中", "- ", ": ", "\\u00e9", "a,"])
    body = (unit * (size // len(unit)))[:size]
    return rng.choice(["k: ", "k: '", 'k: "', "- ", ""]) + body


def wide_flow(rng: random.Random) -> str:
    n = rng.choice([10_000, 30_000])  # PyYAML composes 100,000 entries in seconds: slow, not broken
    if rng.random() < 0.5:
        return "x: {" + ", ".join(f"k{i}: v{i}" for i in range(n)) + "}"
    return "x: [" + ", ".join(str(i) for i in range(n)) + "]"


def odd_unicode(rng: random.Random) -> str:
    chars = [chr(rng.choice([rng.randrange(0x20, 0x80), rng.randrange(0x80, 0x3000), rng.randrange(0xE000, 0x110000)]))]
    chars += [rng.choice(["\ufeff", "\u2028", "\u2029", "\x85", "\x00", "\x7f", "\u200b", "\U0010fffd", "\ufffe"])]
    chars += list(":-[]{}#'\" \n\t")
    body = "".join(rng.choices(chars, k=rng.randint(1, 200)))
    return rng.choice(["", "k: ", "- ", "k: |\n  ", "k: '", 'k: "']) + body


def scalar_document(rng: random.Random) -> str:
    lines = []
    for i in range(rng.randint(1, 8)):
        value = rng.choice(SCALARS) if rng.random() < 0.7 else "".join(rng.choices(YAML_CHARS, k=rng.randint(0, 10)))
        style = rng.choice(["plain", "single", "double", "literal", "folded"])
        lines.append(f"k{i}: {quoted(value, style)}")
    return "\n".join(lines) + "\n"


WORKER = """
import json, sys, traceback
from quizgen.load.yamlio import YamlProblem, parse
for line in sys.stdin:
    text = json.loads(line)
    try:
        parse(text).located
        outcome = "ok"
    except YamlProblem:
        outcome = "problem"
    except BaseException:
        outcome = "traceback " + traceback.format_exc()
    sys.stdout.write(json.dumps(outcome) + "\\n")
    sys.stdout.flush()
"""


def run_fuzz(inputs: list[str], seconds_per_input: float = 20.0) -> dict:
    """Feed each input to `parse` in a worker process; count outcomes, crashes, tracebacks and hangs."""
    counts = {"inputs": len(inputs), "ok": 0, "problem": 0, "crashes": [], "tracebacks": [], "hangs": []}
    worker, index = None, 0
    while index < len(inputs):
        if worker is None:
            worker = subprocess.Popen(
                [sys.executable, "-c", WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
            )
        worker.stdin.write(json.dumps(inputs[index]) + "\n")
        worker.stdin.flush()
        ready, _, _ = select.select([worker.stdout], [], [], seconds_per_input)
        line = worker.stdout.readline() if ready else ""
        if not line:
            if ready:  # end of output: the worker died on this input
                worker.wait()
                counts["crashes"].append((index, worker.returncode, inputs[index][:80]))
            else:
                worker.kill()
                worker.wait()
                counts["hangs"].append((index, inputs[index][:80]))
            worker = None
        else:
            outcome = json.loads(line)
            if outcome.startswith("traceback"):
                counts["tracebacks"].append((index, inputs[index][:80], outcome))
            else:
                counts[outcome] += 1
        index += 1
    if worker is not None:
        worker.stdin.close()
        worker.wait()
    return counts


def test_no_fuzzed_input_crashes_hangs_or_raises_anything_but_yaml_problem():
    counts = run_fuzz(list(fuzz_inputs(500)))
    assert (counts["crashes"], counts["tracebacks"], counts["hangs"]) == ([], [], [])
    assert counts["ok"] > 50 and counts["problem"] > 50  # the corpus exercises both outcomes


def test_both_parsers_agree_on_the_fuzz_corpus():
    for text in fuzz_inputs(600, seed=7):
        if len(text) < 20_000:  # deep and long inputs are refused before parsing: nothing to compare
            assert_one_meaning(text)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    start = time.perf_counter()
    counts = run_fuzz(list(fuzz_inputs(count)))
    summary = {key: (len(value) if isinstance(value, list) else value) for key, value in counts.items()}
    print(json.dumps(summary), f"{time.perf_counter() - start:.0f} s")
    for key in ("crashes", "tracebacks", "hangs"):
        for entry in counts[key][:5]:
            print(key, entry)


if __name__ == "__main__":
    main()
