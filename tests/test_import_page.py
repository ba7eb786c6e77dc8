"""The import page: upload or paste, preview the outline and the removed noise, then create."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports.import_views import SESSION_KEY
from reports.models import Report, ReportAction
from tests.conftest import SAMPLE_DOCX, SAMPLE_TXT, make_user

URL = reverse("reports:report-import")


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def preview(client, office, **data):
    return client.post(URL, {"lead_department": office.pk, "text": "", **data})


def confirm(client):
    token = client.session[SESSION_KEY]["token"]
    return client.post(URL, {"token": token, "confirm": "1"})


def test_the_page_offers_upload_and_paste(login, coordinator):
    response = login(coordinator).get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'type="file"' in content and "<textarea" in content
    assert "导入报告" in content


def test_uploading_the_docx_shows_the_outline_and_the_removed_noise_but_creates_nothing(login, coordinator, office):
    client = login(coordinator)
    response = preview(client, office, file=upload(SAMPLE_DOCX))
    assert response.status_code == 200
    content = response.content.decode()
    assert "关于2025年度优化营商环境工作落实情况的报告" in content
    for label_and_heading in ["一、</span>强化组织领导", "（四）</span>在营造法治环境方面", "（二）</span>下一步打算"]:
        assert label_and_heading in content
    assert content.count("3 条举措") == 6
    assert "【更多范文，请关注公众号：gongwen-hub】" in content and "更多精品公文范文，尽在×××写作网" in content
    assert "中共X县委办公室" in content and "2025年12月X日" in content
    assert Report.objects.count() == 0


def test_confirming_creates_the_report_led_by_the_users_department(login, coordinator, office):
    client = login(coordinator)
    preview(client, office, file=upload(SAMPLE_TXT))
    response = confirm(client)
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert report.lead_department == office and report.created_by == coordinator
    assert report.is_coordinator(coordinator)
    assert report.sections.count() == 9
    assert report.events.get().action == ReportAction.IMPORT
    # The parsed text leaves the session once used: a second confirmation creates nothing.
    assert SESSION_KEY not in client.session
    response = client.post(URL, {"token": "whatever"}, follow=True)
    assert "已过期" in response.content.decode()
    assert Report.objects.count() == 1


def test_pasted_text_imports_the_same_way(login, coordinator, office):
    client = login(coordinator)
    response = preview(client, office, text=SAMPLE_TXT.read_text(encoding="utf-8"))
    assert "（二）</span>在强化要素保障方面" in response.content.decode()
    confirm(client)
    assert Report.objects.get().title == "关于2025年度优化营商环境工作落实情况的报告"


def test_the_session_holds_the_parsed_text_not_the_upload(login, coordinator, office):
    client = login(coordinator)
    preview(client, office, file=upload(SAMPLE_DOCX))
    pending = client.session[SESSION_KEY]
    assert set(pending) == {"token", "lead_department", "parsed"}
    assert pending["parsed"]["title"] == "关于2025年度优化营商环境工作落实情况的报告"


def test_a_member_of_several_departments_picks_the_lead(login, office, department, other_department):
    user = make_user("both", office)
    from reports.models import Membership

    Membership.objects.create(user=user, department=department)
    client = login(user)
    content = client.get(URL).content.decode()
    assert office.name in content and department.name in content and other_department.name not in content
    preview(client, department, file=upload(SAMPLE_TXT))
    confirm(client)
    assert Report.objects.get().lead_department == department


def test_a_department_the_user_does_not_belong_to_is_refused(login, coordinator, other_office):
    client = login(coordinator)
    response = preview(client, other_office, file=upload(SAMPLE_TXT))
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_user_without_a_department_cannot_import(login, office):
    client = login(make_user("nobody"))
    response = client.get(URL)
    assert response.status_code == 403
    assert "只有部门成员才能导入报告" in response.content.decode()
    assert preview(client, office, file=upload(SAMPLE_TXT)).status_code == 403
    assert Report.objects.count() == 0


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_confirming_after_leaving_the_department_is_refused(login, coordinator, office):
    client = login(coordinator)
    preview(client, office, file=upload(SAMPLE_TXT))
    token = client.session[SESSION_KEY]["token"]
    from reports.models import Department, Membership

    new_home = Department.objects.create(name="别的部门")
    Membership.objects.filter(user=coordinator).update(department=new_home)
    assert client.post(URL, {"token": token}).status_code == 403
    assert Report.objects.count() == 0


BAD_UPLOADS = {
    "renamed .docx": ("report.docx", b"hello, this is not a zip", "不是有效的DOCX"),
    "binary junk": ("report.txt", bytes(range(256)) * 20, "不是文本"),
    "empty": ("report.txt", b"", "文件是空的"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=list(BAD_UPLOADS))
def test_bad_uploads_get_a_chinese_message_and_create_nothing(login, coordinator, office, case):
    name, data, message = BAD_UPLOADS[case]
    response = preview(login(coordinator), office, file=SimpleUploadedFile(name, data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Report.objects.count() == 0


def test_a_zip_bomb_is_refused(login, coordinator, office):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (30 * 1024 * 1024))
    response = preview(login(coordinator), office, file=SimpleUploadedFile("bomb.docx", buffer.getvalue()))
    assert response.status_code == 400
    assert "超过20 MB" in response.content.decode()
    assert Report.objects.count() == 0


def test_a_file_over_the_limit_is_refused(login, coordinator, office, settings):
    settings.HUIGAO_IMPORT_MAX_BYTES = 1024
    data = SAMPLE_TXT.read_bytes()
    response = preview(login(coordinator), office, file=SimpleUploadedFile("big.txt", data))
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert Report.objects.count() == 0


def test_neither_file_nor_text_asks_for_one(login, coordinator, office):
    response = preview(login(coordinator), office)
    assert response.status_code == 400
    assert "请选择文件或粘贴报告正文" in response.content.decode()


def test_both_file_and_text_is_refused(login, coordinator, office):
    response = preview(login(coordinator), office, file=upload(SAMPLE_TXT), text="标题\n一、部分")
    assert response.status_code == 400
    assert "不能同时" in response.content.decode()


# Correcting the parse before anything is created.

NO_TITLE = (
    "县委办公室：\n按照要求，我局开展了自查。现将自查情况报告如下。\n一、自查情况\n一是制度健全。二是台账完整。\n"
    "二、整改措施\n立行立改,建立台账。\n特此报告。\n"
)


def line_index(client, text):
    lines = client.session[SESSION_KEY]["parsed"]["lines"]
    return next(i for i, line in enumerate(lines) if line["t"] == text)


def test_a_report_without_a_title_asks_for_one_before_it_is_created(login, coordinator, office):
    client = login(coordinator)
    response = preview(client, office, text=NO_TITLE)
    assert 'data-testid="title-missing"' in response.content.decode()
    token = client.session[SESSION_KEY]["token"]
    refused = client.post(URL, {"token": token, "confirm": "1"})
    assert refused.status_code == 400
    assert "没有标题" in refused.content.decode()
    assert Report.objects.count() == 0
    client.post(URL, {"token": token, "confirm": "1", "title": "关于保密工作自查情况的报告"})
    report = Report.objects.get()
    assert report.title == "关于保密工作自查情况的报告"
    assert report.addressee == "县委办公室："
    assert report.closing == "特此报告。"


def test_changing_a_role_updates_the_outline_and_creates_nothing_until_confirmed(login, coordinator, office):
    client = login(coordinator)
    preview(client, office, text=NO_TITLE)
    token = client.session[SESSION_KEY]["token"]
    index = line_index(client, "立行立改，建立台账。")
    response = client.post(URL, {"token": token, "update": "1", f"role_{index}": "heading2", "title": "自查报告"})
    assert response.status_code == 200
    assert "（一）</span>立行立改，建立台账" in response.content.decode()
    assert Report.objects.count() == 0
    confirm(client)
    report = Report.objects.get()
    assert [f"{s.label}{s.heading}" for s in report.outline()] == [
        "一、自查情况",
        "二、整改措施",
        "（一）立行立改，建立台账",
    ]


def test_half_width_punctuation_can_be_kept_as_written(login, coordinator, office):
    client = login(coordinator)
    response = preview(client, office, text=NO_TITLE)
    assert 'data-testid="punctuation-changes"' in response.content.decode()
    token = client.session[SESSION_KEY]["token"]
    client.post(URL, {"token": token, "confirm": "1", "title": "自查报告", "keep_half_width": "on"})
    section = Report.objects.get().sections.get(heading="整改措施")
    assert section.intro == "立行立改,建立台账。"


def test_a_forged_role_is_refused_and_nothing_is_created(login, coordinator, office):
    client = login(coordinator)
    preview(client, office, text=NO_TITLE)
    token = client.session[SESSION_KEY]["token"]
    response = client.post(URL, {"token": token, "confirm": "1", "title": "自查报告", "role_0": "<script>"})
    assert response.status_code == 400
    assert "&lt;script&gt;" in response.content.decode()  # named in the message, as text
    assert Report.objects.count() == 0
