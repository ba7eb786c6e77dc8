"""Benchmark: proofreading a 500-section report (the demo report's sections repeated), against
the least any checker must do — one regex scan of every text.

    .venv/bin/python bench/proofread.py [--sections 500] [--repeat 3]

Target: the whole report's check (every rule, the page estimate and the cross-section rules)
in at most 0.2 s at 500 sections, database reads excluded.
"""

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.export import best_of, build_report, setup_django


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="huigao-bench-") as tmp:
        setup_django(Path(tmp))
        from reports.models import Report, measures_by_section
        from reports.proofread import check_report, report_texts

        per_copy = build_report(1).sections.count()
        report = build_report(-(-args.sections // per_copy))
        report = Report.objects.select_related("lead_department").get(pk=report.pk)
        outline = report.outline()
        measures = measures_by_section(outline)
        texts = [text for _place, text in report_texts(report, outline, measures) if text]
        scan = re.compile(r"[,:;!?()]|X+")

        def peer():
            return sum(len(scan.findall(text)) for text in texts)

        def check():
            return check_report(report, outline, measures, wording=[("扎实推进", "扎实推动")])

        result = check()
        check_s = best_of(args.repeat, check, clock=time.process_time)
        peer_s = best_of(args.repeat, peer, clock=time.process_time)
        chars = sum(len(text) for text in texts)
        print(
            f"sections {len(outline)}  texts {len(texts)}  characters {chars}  findings {len(result.findings)}  pages {result.pages}"
        )
        print(f"check {check_s:.3f} s  peer (one regex scan) {peer_s:.4f} s  ratio {check_s / peer_s:.0f}")
        met = check_s <= 0.2
        print(f"500-section check ≤ 0.2 s: {'met' if met else 'MISSED'}")
        sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
