from django.urls import path

from helparticles import views

app_name = "helparticles"

urlpatterns = [
    path("help/", views.article_list, name="list"),
    path("help/suggest/", views.article_suggest, name="suggest"),
    path("help/<slug:slug>/", views.article_detail, name="detail"),
    path("help/<slug:slug>/solved/", views.article_solved, name="solved"),
    path("help/<slug:slug>/solved/done/", views.article_solved_done, name="solved_done"),
    path("help/<slug:slug>/still-need-help/", views.article_still_need_help, name="still_need_help"),
    path("help/<slug:slug>/images/<int:image_id>/", views.article_image, name="image"),
]
