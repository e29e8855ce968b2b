"""Attachments in S3-compatible object storage (django-storages), configured only through the environment, against
moto's S3 server on loopback: upload, permission-checked download, nothing public, and the sweep."""

import importlib
import urllib.error
import urllib.request
from datetime import timedelta

import boto3
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.functional import empty
from moto.server import ThreadedMotoServer

from district.storage import attachment_files
from tests.conftest import free_port
from tests.factories import TicketFactory
from tests.files import png_bytes, upload
from tickets.models import Attachment
from tickets.pending_uploads import pending_uploads_sweep

pytestmark = pytest.mark.django_db
BUCKET = "npsd-helpdesk-files"


@pytest.fixture
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{server._port}"
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1"
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_attachments(s3_endpoint, settings, monkeypatch):
    """STORAGES["attachments"] exactly as helpdesk/settings.py builds it from these environment variables."""
    endpoint, client = s3_endpoint
    for name, value in {
        "BUCKET": BUCKET,
        "ENDPOINT_URL": endpoint,
        "REGION": "us-east-1",
        "ACCESS_KEY_ID": "k",
        "SECRET_ACCESS_KEY": "s",
        "PREFIX": "helpdesk",
    }.items():
        monkeypatch.setenv(f"HELPDESK_ATTACHMENTS_S3_{name}", value)
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x")
    production = importlib.import_module("helpdesk.settings")
    configured = importlib.reload(production).STORAGES["attachments"]
    monkeypatch.undo()
    importlib.reload(production)
    assert configured["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "attachments": configured}
    attachment_files._wrapped = empty
    yield client
    attachment_files._wrapped = empty


def test_uploaded_file_goes_to_the_bucket_privately_and_downloads_through_the_view(
    client, tech_client, ticket_fields, s3_attachments, s3_endpoint
):
    response = client.post(
        "/tickets/new/",
        {
            **ticket_fields,
            "requester_email": "pat.lee@northpanolaschools.org",
            "attachments": [upload("a.png", png_bytes())],
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    key = f"helpdesk/{attachment.file.name}"
    assert s3_attachments.get_object(Bucket=BUCKET, Key=key)["Body"].read() == png_bytes()
    grants = s3_attachments.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert not [grant for grant in grants if "AllUsers" in str(grant.get("Grantee", {}).get("URI", ""))]

    download = tech_client.get(f"/queue/{attachment.ticket.number}/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == png_bytes()
    with pytest.raises(urllib.error.HTTPError) as refused:  # no signature: the bucket does not hand it out
        urllib.request.urlopen(f"{s3_endpoint[0]}/{BUCKET}/{key}", timeout=5)
    assert refused.value.code == 403


def test_sweep_deletes_old_duplicate_step_files_from_the_bucket(s3_attachments):
    attachment_files.save("pending/abandoned", ContentFile(b"old"))
    TicketFactory()  # something else in the database, untouched
    assert pending_uploads_sweep(now=timezone.now() + timedelta(days=1, minutes=1)) == 1
    assert "Contents" not in s3_attachments.list_objects_v2(Bucket=BUCKET, Prefix="helpdesk/pending/")
