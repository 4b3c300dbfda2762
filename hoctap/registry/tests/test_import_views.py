"""The import pages: upload, template, batch result and reports; scoping and methods."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hoctap.registry.imports.pipeline import UPLOAD_DIR
from hoctap.registry.models import Household, ImportBatch
from hoctap.registry.tests.import_helpers import HOUSEHOLD_HEADERS, household_row, households_file, xlsx

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload_url(personas: Any, kind: str = "households") -> str:
    return reverse("imports:upload", args=[personas.commune_a.public_id, kind])


def post_file(client: Client, url: str, data: bytes, **extra: Any) -> Any:
    return client.post(url, {"file": SimpleUploadedFile("ho.xlsx", data), **extra})


def test_upload_applies_and_shows_the_counts(personas: Any) -> None:
    client = client_for(personas.commune_a_officer)
    response = post_file(client, upload_url(personas), households_file(3))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:batch", args=[batch.public_id]
    )
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'data-status="applied"' in page.content.decode()
    assert Household.objects.count() == 3


def test_large_upload_goes_through_the_task(
    personas: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr("hoctap.registry.import_views.SYNC_LIMIT_BYTES", 10)
    client = client_for(personas.commune_a_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, upload_url(personas), households_file(4))
    assert response.status_code == 302
    assert Household.objects.count() == 4
    status = client.get(reverse("imports:status", args=[ImportBatch.objects.get().public_id]))
    assert status.status_code == 200 and 'data-status="applied"' in status.content.decode()


def test_background_dry_run_keeps_its_options_and_removes_the_upload(
    personas: Any, settings: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given a file above the synchronous limit, sent as a dry run
    monkeypatch.setattr("hoctap.registry.import_views.SYNC_LIMIT_BYTES", 10)
    client = client_for(personas.commune_a_officer)
    # when the task queue (immediate backend) runs it after the commit
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_file(client, upload_url(personas), households_file(3), dry_run="on")
    # then it ran once as the uploader, checked without writing, and deleted the stored upload
    batch = ImportBatch.objects.get()
    assert len(callbacks) == 1 and batch.status == ImportBatch.Status.DRY_RUN
    assert batch.counts["created"] == 3 and Household.objects.count() == 0
    assert not any((settings.MEDIA_ROOT / UPLOAD_DIR).iterdir())


def test_pending_status_polls_every_second(personas: Any) -> None:
    from hoctap.registry.imports import import_batch_create

    batch = import_batch_create(kind="households", unit=personas.commune_a, year=None, file_name="a.xlsx",
                                data=b"x", actor=personas.commune_a_officer)  # fmt: skip
    body = client_for(personas.commune_a_officer).get(reverse("imports:status", args=[batch.public_id]))
    assert 'hx-trigger="every 1s"' in body.content.decode() and "progress-bar" in body.content.decode()


def test_dry_run_checkbox_writes_nothing(personas: Any) -> None:
    client = client_for(personas.commune_a_officer)
    post_file(client, upload_url(personas), households_file(2), dry_run="on")
    assert ImportBatch.objects.get().status == ImportBatch.Status.DRY_RUN
    assert Household.objects.count() == 0


def test_rejected_upload_links_the_error_report(personas: Any) -> None:
    client = client_for(personas.commune_a_officer)
    bad = household_row(1)
    bad[4] = "Nữ"
    response = post_file(client, upload_url(personas), xlsx(HOUSEHOLD_HEADERS, [bad]))
    page = client.get(response["Location"]).content.decode()
    batch = ImportBatch.objects.get()
    report_url = reverse("imports:report", args=[batch.public_id, "xlsx"])
    assert report_url in page
    report = client.get(report_url)
    assert report.status_code == 200 and report["Content-Disposition"].startswith("attachment")
    assert client_for(personas.outsider).get(report_url).status_code == 404


def test_template_download_has_the_commune_villages(personas: Any) -> None:
    import python_calamine

    url = reverse("imports:template", args=[personas.commune_a.public_id, "households"])
    response = client_for(personas.commune_a_officer).get(url)
    assert response.status_code == 200
    book = python_calamine.CalamineWorkbook.from_filelike(__import__("io").BytesIO(response.content))
    assert book.get_sheet_by_index(0).to_python()[0][:7] == HOUSEHOLD_HEADERS
    assert client_for(personas.commune_a_officer).post(url).status_code == 405


@pytest.mark.parametrize("name", ["upload", "template"])
def test_outsider_404_readonly_403_wrong_method_405(personas: Any, name: str) -> None:
    url = reverse(f"imports:{name}", args=[personas.commune_a.public_id, "households"])
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.readonly).get(url).status_code == 403
    assert client_for(personas.commune_b_officer).get(url).status_code == 404
    assert client_for(personas.commune_a_officer).delete(url).status_code == 405
    assert client_for(personas.commune_a_officer).get(url).status_code == 200


def test_batch_pages_are_scoped(personas: Any) -> None:
    client = client_for(personas.commune_a_officer)
    post_file(client, upload_url(personas), households_file(1))
    batch = ImportBatch.objects.get()
    for name in ("batch", "status"):
        url = reverse(f"imports:{name}", args=[batch.public_id])
        assert client.get(url).status_code == 200
        assert client_for(personas.outsider).get(url).status_code == 404
        assert client_for(personas.readonly).get(url).status_code == 403
        assert client.post(url).status_code == 405


def test_unknown_kind_is_404(personas: Any) -> None:
    url = reverse("imports:upload", args=[personas.commune_a.public_id, "recognitions-x"])
    assert client_for(personas.commune_a_officer).get(url).status_code == 404


def test_index_lists_communes_and_batches_in_few_queries(
    personas: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(personas.commune_a_officer)
    for n in range(3):
        post_file(client, upload_url(personas), households_file(n + 1))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("imports:index"))
    assert response.status_code == 200 and response.content.decode().count("ho.xlsx") == 3
    assert client_for(personas.readonly).get(reverse("imports:index")).status_code == 403
