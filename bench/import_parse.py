"""Benchmark: the importer's parse of 10,000 to 100,000 characters (and 400,000, the limit's
order), typed and flattened into one line, against the time of reading the same text's lines.

    .venv/bin/python bench/import_parse.py [--repeat 3]

The parse must stay linear: each tenfold size costs about ten times as much, and 100,000
characters parse in under 0.5 s. The peer is `str.splitlines()` plus one regex scan per line —
the least any parser of this text must do — so the ratio says how much the importer adds.
"""

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def report_text(chars):
    """A report of about `chars` characters in the genre's shape, with some web debris."""
    from reports.numbering import chinese_numeral

    lines = [
        "当前位置：首页 > 工作动态",
        "关于2026年度重点工作推进情况的报告",
        "县委办公室：",
        "今年以来，我县扎实推进各项工作。",
    ]
    n = 0
    while sum(len(line) for line in lines) < chars:
        n += 1
        lines.append(f"{chinese_numeral(n)}、聚焦重点任务{n}，推动工作落实")
        for m in range(1, 4):
            lines.append(f"（{chinese_numeral(m)}）在第{m}个方面")
            lines.append(
                "".join(
                    f"{chinese_numeral(k)}是推进事项{k}。围绕目标任务,细化工作措施，完成X项，同比增长X%。"
                    for k in range(1, 4)
                )
            )
    lines += ["下一步，我们将持续用力。", "特此报告。", "中共X县委办公室", "2026年12月X日"]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reports.settings")
    import django

    django.setup()
    from bench.export import best_of
    from reports.importer import parse_text

    scan = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+是")

    def peer(text):
        return sum(len(scan.findall(line)) for line in text.splitlines())

    print(f"{'shape':<10} {'chars':>8} {'parse s':>8} {'peer s':>8} {'ratio':>6} {'sections':>9} {'measures':>9}")
    results = {}
    for shape in ("typed", "flattened"):
        for chars in (10_000, 100_000, 400_000):
            text = report_text(chars)
            if shape == "flattened":
                text = text.replace("\n", "")
            parsed = parse_text(text)
            parse_s = best_of(args.repeat, lambda text=text: parse_text(text))
            peer_s = best_of(args.repeat, lambda text=text: peer(text))
            results[shape, chars] = parse_s
            print(
                f"{shape:<10} {len(text):>8} {parse_s:>8.3f} {peer_s:>8.4f} {parse_s / peer_s:>6.0f}"
                f" {parsed.count_sections():>9} {parsed.count_measures():>9}"
            )
    ok = True
    for shape in ("typed", "flattened"):
        at_100k = results[shape, 100_000]
        growth = results[shape, 100_000] / results[shape, 10_000]
        met = at_100k < 0.5 and growth < 15
        ok &= met
        print(
            f"{shape}: 100,000 characters in {at_100k:.3f} s, ×{growth:.1f} from 10,000 ({'met' if met else 'MISSED'})"
        )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
