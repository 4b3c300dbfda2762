import pytest
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD
from hoctap.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập" in body and "Mật khẩu" in body


def test_login_success_is_audited_and_lands_on_home(client, personas):
    response = client.post(reverse("accounts:login"), {"username": "p.commune_a", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEntry.objects.filter(
        action="accounts.login.succeeded", actor=personas.commune_a_officer
    ).exists()
    home = client.get("/").content.decode()
    assert "Cán bộ cấp xã" in home and "Phường Đồng Hới" in home


def test_wrong_password_shows_vietnamese_error_and_is_audited(client, personas):
    response = client.post(reverse("accounts:login"), {"username": "p.commune_a", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert AuditEntry.objects.filter(action="accounts.login.failed").count() == 1


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_login_is_throttled_after_repeated_failures(client, personas):
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "p.commune_a", "password": "sai"})
    response = client.post(reverse("accounts:login"), {"username": "p.commune_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_open_redirect_is_refused(client, personas):
    response = client.post(
        reverse("accounts:login"),
        {"username": "p.commune_a", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_logout_needs_post(client, personas):
    client.force_login(personas.commune_a_officer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_english_is_available(client, personas):
    client.force_login(personas.commune_a_officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert 'lang="en"' in body


def test_vietnamese_is_the_default_whatever_the_browser_asks(client):
    body = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in body and "Mật khẩu" in body
