"""Benchmark: the DOCX export against pandoc, at 1×, 10× and 100× the demo report's size.

    .venv/bin/python bench/export.py [--sizes 1,10,100] [--repeat 3]

Runs against a throwaway SQLite database (a temporary DATABASE_URL), builds the reports from
reports/demo_content.py, times export_docx() in-process (database queries included) and
`pandoc -f markdown -t docx` on the same content written as Markdown, best of --repeat runs.
Targets: at 100× the export takes at most half of pandoc's time, and 100× costs at most 12
times what 10× costs, so that the export stays linear in the report's size.

It also times the whole work of a final export request (the gate's check and the DOCX) against
the report's size in sections and measures, which is what settings.HUIGAO_EXPORT_BACKGROUND_ITEMS
compares: from that size on the worker builds the DOCX. With --pdf it times LibreOffice's PDF of
each size too (every PDF is built by the worker).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(tmp):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reports.settings")
    os.environ.setdefault("DEBUG", "1")  # a developer's machine: no production secrets needed
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_report(scale):
    """A report with the demo report's sections repeated `scale` times."""
    from reports import demo_content
    from reports.models import Assignment, Department, Measure, Section

    spec = demo_content.REPORT
    office, _ = Department.objects.get_or_create(name=demo_content.COORDINATING_OFFICE["name"])
    departments = {
        d["key"]: Department.objects.get_or_create(name=d["name"], defaults={"short_name": d["short_name"]})[0]
        for d in demo_content.DEPARTMENTS
    }
    report = demo_report(f"{spec['title']}（{scale}倍）", office)
    position = 0
    for _copy in range(scale):
        for top in spec["sections"]:
            position += 1
            _create(report, None, position, top, departments, Section, Measure, Assignment)
    return report


def demo_report(title, lead_department, **fields):
    """An empty report with the demo report's preamble, closing and issuer."""
    from reports import demo_content
    from reports.models import Report

    spec = demo_content.REPORT
    return Report.objects.create(
        title=title,
        preamble=spec["preamble"],
        closing=spec["closing"],
        issuer=spec["issuer"],
        lead_department=lead_department,
        **fields,
    )


def _create(report, parent, position, spec, departments, Section, Measure, Assignment):
    section = Section.objects.create(
        report=report, parent=parent, position=position, heading=spec["heading"], intro=spec["intro"]
    )
    Measure.objects.bulk_create(
        Measure(section=section, position=n, lead=lead, body=body) for n, (lead, body) in enumerate(spec["measures"])
    )
    if spec["department"]:
        Assignment.objects.create(section=section, department=departments[spec["department"]], state=spec["state"])
    for n, child in enumerate(spec["children"]):
        _create(report, section, n, child, departments, Section, Measure, Assignment)


def markdown(report):
    """The same content as Markdown: headings as headings, every paragraph as a paragraph."""
    from reports.numbering import numbered_measures
    from reports.splitting import join_measure
    from reports.text import paragraphs

    lines = [f"# {report.title}", ""]
    lines += [p + "\n" for p in paragraphs(report.preamble)]
    for section in report.outline(measures=True):
        lines.append(f"{'#' * (section.level + 1)} {section.label}{section.heading}\n")
        lines += [p + "\n" for p in paragraphs(section.intro)]
        for measure in numbered_measures(section.measures.all()):
            lines.append(measure.ordinal + join_measure(measure.lead, measure.body) + "\n")
    lines += [p + "\n" for p in paragraphs(report.closing)]
    lines += [report.issuer + "\n"]
    return "\n".join(lines)


def best_of(repeat, run, clock=time.perf_counter):
    """The least time of `repeat` runs (wall time, or CPU time with clock=time.process_time)."""
    times = []
    for _ in range(repeat):
        start = clock()
        run()
        times.append(clock() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf", action="store_true", help="time the PDF (LibreOffice) as well")
    args = parser.parse_args()
    if not shutil.which("pandoc"):
        sys.exit("pandoc is not installed (apt-get install pandoc)")
    sizes = [int(s) for s in args.sizes.split(",")]

    with tempfile.TemporaryDirectory(prefix="huigao-bench-") as tmp:
        tmp = Path(tmp)
        setup_django(tmp)
        from django.conf import settings

        from reports import exporting, gate
        from reports.docx_export import export_docx
        from reports.models import Measure, Report, Section

        rows = []
        for scale in sizes:
            report_id = build_report(scale).pk
            sections = Section.objects.filter(report_id=report_id).count()
            measures = Measure.objects.filter(section__report_id=report_id).count()
            md = tmp / f"report-{scale}.md"
            md.write_text(markdown(Report.objects.get(pk=report_id)), encoding="utf-8")

            def export(report_id=report_id):
                report = Report.objects.select_related("lead_department").get(pk=report_id)
                return export_docx(report)

            def pandoc(md=md, out=tmp / f"pandoc-{scale}.docx"):
                subprocess.run(["pandoc", "-f", "markdown", "-t", "docx", "-o", str(out), str(md)], check=True)

            def final(report_id=report_id):
                report = Report.objects.select_related("lead_department").get(pk=report_id)
                gate.final_problems(report)
                return export_docx(report)

            size_bytes = len(export())  # warm up (imports, template load)
            export_s = best_of(args.repeat, export)
            pandoc_s = best_of(args.repeat, pandoc)
            final_s = best_of(args.repeat, final)
            pdf_s = best_of(1, lambda: exporting.docx_to_pdf(export())) if args.pdf else None
            rows.append((scale, sections, measures, export_s, pandoc_s, size_bytes, final_s, pdf_s))

    threshold = settings.HUIGAO_EXPORT_BACKGROUND_ITEMS
    print(
        f"{'size':>5} {'sections':>9} {'measures':>9} {'export s':>9} {'pandoc s':>9} {'ratio':>6} {'docx KB':>8}"
        f" {'final s':>8} {'built by':>8}" + (f" {'pdf s':>7}" if args.pdf else "")
    )
    for scale, sections, measures, export_s, pandoc_s, size_bytes, final_s, pdf_s in rows:
        where = "worker" if sections + measures >= threshold else "request"
        print(
            f"{scale:>4}× {sections:>9} {measures:>9} {export_s:>9.3f} {pandoc_s:>9.3f}"
            f" {export_s / pandoc_s:>6.2f} {size_bytes / 1024:>8.0f} {final_s:>8.3f} {where:>8}"
            + (f" {pdf_s:>7.2f}" if pdf_s is not None else "")
        )
    in_request = [row[6] for row in rows if row[1] + row[2] < threshold]
    if in_request:
        print(
            f"slowest final export built in its request (< {threshold} sections and measures): {max(in_request):.3f} s"
        )
    by_scale = {row[0]: row for row in rows}
    ok = True
    if 100 in by_scale:
        ratio = by_scale[100][3] / by_scale[100][4]
        met = ratio <= 0.5
        ok &= met
        print(f"100× export / pandoc: {ratio:.2f} (target ≤ 0.5: {'met' if met else 'MISSED'})")
    if 10 in by_scale and 100 in by_scale:
        growth = by_scale[100][3] / by_scale[10][3]
        met = growth <= 12
        ok &= met
        print(f"100× / 10× export time: {growth:.1f} (target ≤ 12: {'met' if met else 'MISSED'})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
