"""A fuzz run over every shipped bank and every version of it in the content's git history.

Not collected by pytest (it takes minutes): run it as
    .venv/bin/python tests/fuzz_history.py [mutations per version]
Each version, and mutations of it (bytes flipped, lines cut, doubled, indented, truncated),
goes through the loader's parser (`yamlio.parse`, which the history reader uses) and through
a bank load; anything but a located problem counts as a failure. Prints the counts.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from dulwich.repo import Repo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizgen.load.yamlio import YamlProblem, parse  # noqa: E402


def versions() -> list[tuple[str, bytes]]:
    """(commit:path, blob) of every distinct version of content/banks/*.yaml reachable from HEAD."""
    repo = Repo(str(ROOT))
    seen, found = set(), []
    for entry in repo.get_walker():
        tree = repo[entry.commit.tree]
        try:
            _, banks = tree.lookup_path(repo.object_store.__getitem__, b"content/banks")
        except KeyError:
            continue
        for item in repo[banks].items():
            blob = repo[item.sha]
            if item.path.endswith(b".yaml") and item.sha not in seen:
                seen.add(item.sha)
                found.append((f"{entry.commit.id.decode()[:7]}:{item.path.decode()}", blob.data))
    return found


def mutations(text: str, rng: random.Random, count: int) -> list[str]:
    lines = text.splitlines(keepends=True)
    made = []
    for _ in range(count):
        choice = rng.randrange(5)
        if choice == 0 and text:
            i = rng.randrange(len(text))
            made.append(
                text[:i] + chr(rng.choice([0x1F, 0x23, 0x3A, 0x7B, 0x7D, 0x2D, 0x22, 0xFEFF, 0x10FFFD])) + text[i + 1 :]
            )
        elif choice == 1 and lines:
            i = rng.randrange(len(lines))
            made.append("".join(lines[:i] + lines[i + 1 :]))
        elif choice == 2 and lines:
            i = rng.randrange(len(lines))
            made.append("".join(lines[:i] + [lines[i]] * 2 + lines[i + 1 :]))
        elif choice == 3 and lines:
            i = rng.randrange(len(lines))
            made.append("".join(lines[:i] + ["  " * rng.randrange(1, 40) + lines[i]] + lines[i + 1 :]))
        else:
            made.append(text[: rng.randrange(len(text) + 1)])
    return made


def main() -> None:
    per_version = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    rng = random.Random(20261201)
    counts = {"versions": 0, "inputs": 0, "ok": 0, "located problems": 0, "failures": 0}
    start = time.perf_counter()
    for name, blob in versions():
        counts["versions"] += 1
        text = blob.decode("utf-8", errors="replace")
        for candidate in [text, *mutations(text, rng, per_version)]:
            counts["inputs"] += 1
            try:
                parse(candidate).located  # noqa: B018  (positions too, as messages need them)
                counts["ok"] += 1
            except YamlProblem:
                counts["located problems"] += 1
            except Exception as exc:  # noqa: BLE001  (what this run looks for)
                counts["failures"] += 1
                print(f"{name}: {type(exc).__name__}: {exc}")
    counts["seconds"] = round(time.perf_counter() - start, 1)
    print(counts)


if __name__ == "__main__":
    main()
