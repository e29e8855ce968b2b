"""Help articles in Django admin: edited with history, published by a tick, pictures checked by their content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from helparticles.models import HelpArticle
from tests.admin_forms import admin_change, admin_form_data
from tests.files import png_bytes
from tests.helparticles.factories import HelpArticleFactory

pytestmark = pytest.mark.django_db


def test_an_edit_in_admin_is_kept_in_the_history_with_who_made_it(admin_client, admin_user):
    article = HelpArticle.objects.get(slug="printer-offline")  # a seeded draft
    url = f"/admin/helparticles/helparticle/{article.pk}/change/"
    admin_change(admin_client, url, title="Printer shows Offline", is_published="on")
    article.refresh_from_db()
    assert article.is_published and article.title == "Printer shows Offline"
    latest = article.history.latest()
    assert latest.history_user == admin_user and latest.title == "Printer shows Offline"
    assert (
        "Printer shows Offline"
        in admin_client.get(f"/admin/helparticles/helparticle/{article.pk}/history/").content.decode()
    )


def _with_image(admin_client, article, upload) -> str:
    url = f"/admin/helparticles/helparticle/{article.pk}/change/"
    data = admin_form_data(admin_client.get(url).content.decode())
    data.update({"images-TOTAL_FORMS": "1", "images-0-name": "screen.png", "images-0-image": upload, "_save": "Save"})
    data.pop("_continue", None)
    return admin_client.post(url, data)


def test_an_image_is_shown_in_the_article_by_its_name(admin_client, client):
    article = HelpArticleFactory(slug="with-picture", body="Look for this light:\n\n![The orange light](screen.png)")
    response = _with_image(admin_client, article, SimpleUploadedFile("light.png", png_bytes()))
    assert response.status_code == 302
    image = article.images.get()
    assert image.content_type == "image/png"
    page = client.get("/help/with-picture/").content.decode()
    src = f"/help/with-picture/images/{image.pk}/"
    assert f'<img src="{src}" alt="The orange light">' in page
    served = client.get(src)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    article.is_published = False
    article.save()
    assert client.get(src).status_code == 404  # the picture is as private as its article


def test_an_image_that_is_not_a_picture_is_refused(admin_client):
    article = HelpArticleFactory(slug="with-picture")
    response = _with_image(admin_client, article, SimpleUploadedFile("light.png", b"%PDF-1.4 not a picture"))
    assert response.status_code == 200 and not article.images.exists()
    assert "Please choose a picture" in response.content.decode() or "not a type of file" in response.content.decode()


def test_the_suggestions_address_cannot_be_an_article_slug():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="used by the help desk itself"):
        HelpArticle(title="Suggest", slug="suggest", body="x").full_clean()


def test_a_picture_whose_file_is_gone_is_not_found(admin_client, client):
    article = HelpArticleFactory(slug="lost-picture", body="![The light](screen.png)")
    _with_image(admin_client, article, SimpleUploadedFile("light.png", png_bytes()))
    image = article.images.get()
    image.image.storage.delete(image.image.name)
    assert client.get(f"/help/lost-picture/images/{image.pk}/").status_code == 404
