"""The importer reads the 附件说明, the 附注, the attachments after the signature and the 版记:
shown in the preview, created at confirm only, never imported as body text or sections; and a
report exported with attachments comes back with the same attachments."""

import datetime
import io

import docx
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import importer
from reports.docx_export import export_docx
from reports.import_views import SESSION_KEY
from reports.importer import create_report, parse_file, parse_text
from reports.models import Attachment, Measure, Report
from reports.parsed import LineRole

pytestmark = pytest.mark.django_db

URL = reverse("reports:report-import")

PASTED = """关于2026年度乡村振兴工作情况的报告
县委：
今年以来，我镇围绕乡村振兴扎实开展工作。现将有关情况报告如下。
一、抓产业发展
一是培育特色种植。新建蔬菜基地两处。
二是发展乡村旅游。接待游客同比增长。
二、抓人居环境
一是整治村容村貌。完成改厕任务。
下一步，我们将继续巩固提升。
附件：1. 特色种植基地名单
      2. 村容村貌整治典型案例
中共某某镇委员会
2026年12月18日
（联系人：李某，联系电话：7654321）
附件1
特色种植基地名单
基地按建成时间排列。
附件2
村容村貌整治典型案例
案例一：某村清理河道。
案例二：某村改造旱厕。
"""


def preview(client, office, **data):
    return client.post(URL, {"lead_department": office.pk, "text": "", **data})


def confirm(client):
    return client.post(URL, {"token": client.session[SESSION_KEY]["token"], "confirm": "1"})


def test_pasted_attachments_show_in_the_preview_and_are_created_in_order_at_confirm(login, coordinator, office):
    client = login(coordinator)
    response = preview(client, office, text=PASTED)
    assert response.status_code == 200
    html = response.content.decode()
    titles = [piece.split("<", 1)[0].strip() for piece in html.split('data-testid="import-attachment">')[1:]]
    assert titles == ["特色种植基地名单", "村容村貌整治典型案例"]
    assert "（联系人：李某，联系电话：7654321）" in html.split('data-testid="import-annotation"')[1][:200]
    # Each line's role is one the user can change, like any other.
    for role in ("附件说明", "附件标识（附件1）", "附件标题", "附件正文", "附注"):
        assert f">{role}</option>" in html
    assert 'class="import-line import-role-attachment_note"' in html
    assert 'class="import-line import-role-attachment_body"' in html
    # Nothing before the confirmation.
    assert not Report.objects.exists() and not Attachment.objects.exists()

    assert confirm(client).status_code == 302
    report = Report.objects.get()
    report.refresh_from_db()
    assert [(a.position, a.title, a.body, a.table) for a in report.attachments.all()] == [
        (0, "特色种植基地名单", "基地按建成时间排列。", None),
        (1, "村容村貌整治典型案例", "案例一：某村清理河道。\n案例二：某村改造旱厕。", None),
    ]
    assert report.annotation == "（联系人：李某，联系电话：7654321）"
    assert (report.issuer, report.issued_on) == ("中共某某镇委员会", datetime.date(2026, 12, 18))
    # Neither the 附件说明 nor the attachments' text is body text or a section.
    assert report.closing == "下一步，我们将继续巩固提升。"
    assert [s.heading for s in report.outline()] == ["抓产业发展", "抓人居环境"]
    everything = " ".join(
        [report.preamble, report.closing]
        + [s.intro for s in report.sections.all()]
        + [f"{m.lead}{m.body}" for m in Measure.objects.filter(section__report=report)]
    )
    assert "附件" not in everything and "案例" not in everything and "基地名单" not in everything


def test_a_single_attachment_listed_as_fujian_colon_title_is_read_too():
    parsed = parse_text(
        "关于某项工作的报告\n一、主要做法\n一是加强领导。成立专班。\n特此报告。\n"
        "附件：重点项目清单\n某某局\n2026年3月5日\n附件\n重点项目清单\n共三个项目。\n"
    )
    assert [(a.title, a.body) for a in parsed.attachments] == [("重点项目清单", ["共三个项目。"])]
    assert parsed.closing == ["特此报告。"]
    assert parsed.issuer == "某某局"


def test_a_line_fujian_in_the_running_text_stays_text():
    parsed = parse_text("关于某项工作的报告\n一、主要做法\n附件1\n一是加强领导。成立专班。\n某某局\n2026年3月5日\n")
    assert parsed.attachments == []
    assert parsed.sections[0].intro == ["附件1"]


def test_a_listed_attachment_whose_text_is_missing_is_created_with_its_title(office):
    parsed = parse_text(
        "关于某项工作的报告\n一、主要做法\n一是加强领导。\n附件：1. 甲表\n2. 乙表\n某某局\n2026年3月5日\n"
    )
    report = create_report(parsed, office)
    assert list(report.attachments.values_list("title", "body")) == [("甲表", ""), ("乙表", "")]


def test_the_user_can_make_attachment_lines_body_text_again(login, coordinator, office):
    client = login(coordinator)
    preview(client, office, text=PASTED)
    lines = client.session[SESSION_KEY]["parsed"]["lines"]
    roles = {f"role_{i}": "closing" for i, line in enumerate(lines) if line["r"].startswith("attachment")}
    token = client.session[SESSION_KEY]["token"]
    assert client.post(URL, {"token": token, "confirm": "1", **roles}).status_code == 302
    report = Report.objects.get()
    assert not report.attachments.exists()
    assert "案例二：某村改造旱厕。" in report.closing


def build_docx():
    """A department's DOCX: a 附件说明 for one attachment, the signature, then the attachment
    with a paragraph and a table (its header row in bold), then the 版记 as lines."""
    document = docx.Document()
    for text in (
        "关于2026年度安全生产工作情况的报告",
        "今年以来，我局认真落实安全生产责任制。",
        "一、压实责任",
        "一是签订责任书。覆盖全部企业。",
        "特此报告。",
        "附件：2026年度安全检查情况统计表",
        "某某县应急管理局",
        "2026年11月30日",
    ):
        document.add_paragraph(text)
    document.add_page_break()
    document.add_paragraph("附件")
    document.add_paragraph("2026年度安全检查情况统计表")
    document.add_paragraph("统计截至11月底。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["乡镇", "检查次数", "整改隐患"], ["甲镇", "12", "30"], ["乙镇", "8", "15"]]):
        for c, text in enumerate(row):
            run = table.cell(r, c).paragraphs[0].add_run(text)
            run.bold = r == 0
    document.add_paragraph("抄送：县安委会成员单位。")
    document.add_paragraph("某某县应急管理局办公室    2026年12月2日印发")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_docx_attachment_keeps_its_table_and_the_imprint_fills_the_report_fields(office):
    parsed = parse_file("安全生产.docx", build_docx())
    roles = [line.role for line in parsed.lines]
    assert LineRole.ATTACHMENT_NOTE in roles and LineRole.IMPRINT in roles
    assert not Attachment.objects.exists()
    report = create_report(parsed, office)
    report.refresh_from_db()
    (attachment,) = report.attachments.all()
    assert attachment.title == "2026年度安全检查情况统计表"
    assert attachment.body == "统计截至11月底。"
    assert attachment.table == {
        "header": True,
        "rows": [["乡镇", "检查次数", "整改隐患"], ["甲镇", "12", "30"], ["乙镇", "8", "15"]],
    }
    assert (report.cc, report.printed_by, report.printed_on) == (
        "县安委会成员单位",
        "某某县应急管理局办公室",
        datetime.date(2026, 12, 2),
    )
    assert report.closing == "特此报告。"
    assert Measure.objects.filter(section__report=report, table__isnull=False).count() == 0


def test_more_attachments_than_a_report_holds_are_refused_and_nothing_is_created(office):
    blocks = "".join(f"附件{n}\n材料{n}\n正文。\n" for n in range(1, 53))
    parsed = parse_text(f"关于某项工作的报告\n一、主要做法\n一是加强领导。\n某某局\n2026年3月5日\n{blocks}")
    assert len(parsed.attachments) == 52
    with pytest.raises(importer.ImportFailed, match="最多50个附件"):
        create_report(parsed, office)
    assert not Report.objects.exists()


# An exported report's attachments come back ------------------------------------------------

HAN = "甲乙丙丁戊己庚辛壬癸经验材料项目清单统计情况表说明典型案例工作推进重点任务完成"
TEXT = st.text(alphabet=HAN, min_size=2, max_size=30)
PARAGRAPH = st.builds(lambda a, b: f"{a}，{b}。", TEXT, TEXT)
TABLE = st.lists(st.lists(TEXT, min_size=2, max_size=2), min_size=2, max_size=4)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.text(alphabet=HAN, min_size=2, max_size=60), st.lists(PARAGRAPH, max_size=3), st.none() | TABLE),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_an_exported_report_s_attachments_come_back_from_its_docx(report, office, attachments, imprint):
    Attachment.objects.filter(report=report).delete()
    for position, (title, body, rows) in enumerate(attachments):
        table = {"header": True, "rows": rows} if rows else None
        Attachment.objects.create(report=report, position=position, title=title, body="\n".join(body), table=table)
    report.issued_on = datetime.date(2026, 11, 20)
    report.annotation = "（联系人：张某，联系电话：1234567）"
    report.cc, report.printed_by = ("市委办公室", "中共测试县委办公室") if imprint else ("", "")
    report.printed_on = datetime.date(2026, 12, 1) if imprint else None
    report.save()
    parsed = parse_file("导出.docx", export_docx(report, draft=False))
    assert [(a.title, a.body) for a in parsed.attachments] == [(title, body) for title, body, _rows in attachments]
    assert [a.table["rows"] if a.table else None for a in parsed.attachments] == [r for _t, _b, r in attachments]
    assert parsed.annotation == report.annotation
    assert parsed.closing == [report.closing] and parsed.issuer == report.issuer
    assert (parsed.printed_by, parsed.printed_on) == (report.printed_by, report.printed_on)
