"""Benchmark: the revision diff (drafting.diffs.char_sides) against difflib, the diff it replaced.

    .venv/bin/python bench/diff.py [--size 100000] [--peer-size 4000] [--repeat 3]

Three pairs of texts: similar (a tenth of the clauses edited), rewritten (every clause
rewritten in other words) and random (no relation). char_sides runs on texts of --size
characters, difflib's SequenceMatcher (autojunk off, as the old diff ran) on texts of
--peer-size characters, best of --repeat runs each. Each line prints both times and their
ratio; char_sides on texts 25 times longer should still take a fraction of difflib's time.
"""

import argparse
import os
import random
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Common characters of reports, and the punctuation that ends clauses.
WORDS = "推进工作落实政务服务企业项目建设改革创新发展全县乡镇农村资金保障优化营商环境群众办理深化加强完善机制"
ENDS = "，，，。；、"


def clause(rng):
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(6, 18))) + rng.choice(ENDS)


def text_of(rng, size):
    parts, length = [], 0
    while length < size:
        parts.append(clause(rng))
        length += len(parts[-1])
    return "".join(parts)[:size]


def similar(rng, text):
    """A tenth of the clauses edited: a word changed, a clause added or removed."""
    parts = [c for c in text.split("，") if c]
    for _ in range(max(1, len(parts) // 10)):
        i = rng.randrange(len(parts))
        action = rng.choice(("edit", "add", "drop"))
        if action == "edit" and parts[i]:
            j = rng.randrange(len(parts[i]))
            parts[i] = parts[i][:j] + rng.choice(WORDS) * 2 + parts[i][j + 1 :]
        elif action == "add":
            parts.insert(i, clause(rng)[:-1])
        elif len(parts) > 1:
            del parts[i]
    return "，".join(parts)


def rewritten(rng, text):
    """The same number of clauses, each in other words."""
    return "".join(clause(rng) for _ in range(text.count("，") + text.count("。") + 1))[: len(text)]


def pairs(size, seed=2026):
    rng = random.Random(seed)
    base = text_of(rng, size)
    return {
        "similar": (base, similar(rng, base)),
        "rewritten": (base, rewritten(rng, base)),
        "random": (base, text_of(rng, size)),
    }


def best(repeat, function, *args):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def difflib_sides(old, new):
    return SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--peer-size", type=int, default=4_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reports.settings")
    import django

    django.setup()
    from drafting.diffs import char_sides

    ours, peers = pairs(args.size), pairs(args.peer_size)
    print(f"char_sides at {args.size:,} characters against difflib at {args.peer_size:,}, best of {args.repeat}")
    worst = 0.0
    for name in ours:
        mine = best(args.repeat, char_sides, *ours[name])
        peer = best(args.repeat, difflib_sides, *peers[name])
        ratio = mine / peer
        worst = max(worst, ratio)
        print(f"{name:10} char_sides {mine:8.3f} s   difflib {peer:8.3f} s   ratio {ratio:.3f}")
    print(f"worst ratio {worst:.3f}")


if __name__ == "__main__":
    main()
