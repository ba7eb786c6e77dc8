"""Error pages speak Chinese and change nothing."""

from django.test import override_settings


@override_settings(DEBUG=False)
def test_a_missing_page_is_explained_in_chinese(client, drafter):
    client.force_login(drafter)
    response = client.get("/reports/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.text


@override_settings(DEBUG=False)
def test_an_oversized_post_gets_a_chinese_refusal(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/accounts/login/", {"username": "长" * 5000, "password": "x"})
    assert response.status_code == 400
    assert "请求" in response.text
