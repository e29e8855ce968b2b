"""The static files storage works each file's URL out once, and the same as WhiteNoise's manifest storage does."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from helpdesk.static_storage import ManifestStaticFilesStorage


@pytest.fixture
def static_root(tmp_path):
    manifest = {"version": "1.1", "paths": {"css/site.css": "css/site.0123abcd.css"}, "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return tmp_path


def test_a_files_url_is_the_manifests_and_is_kept(static_root, settings):
    settings.DEBUG = False
    storage = ManifestStaticFilesStorage(location=static_root, base_url="/static/")
    whitenoise = CompressedManifestStaticFilesStorage(location=static_root, base_url="/static/")
    assert storage.url("css/site.css") == whitenoise.url("css/site.css") == "/static/css/site.0123abcd.css"
    storage.hashed_files.clear()  # kept: the manifest is not read again while the process runs
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"


def test_a_file_missing_from_the_manifest_is_refused_every_time(static_root, settings):
    settings.DEBUG = False
    storage = ManifestStaticFilesStorage(location=static_root, base_url="/static/")
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("js/missing.js")


def test_collectstatic_forgets_the_urls_it_kept(static_root, settings):
    settings.DEBUG = False
    storage = ManifestStaticFilesStorage(location=static_root, base_url="/static/")
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    list(storage.post_process({}))  # what collectstatic calls; a new manifest follows
    storage.hashed_files["css/site.css"] = "css/site.4567ef01.css"
    assert storage.url("css/site.css") == "/static/css/site.4567ef01.css"
