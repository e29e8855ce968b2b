from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "NPSD Technology Help Desk administration"
admin.site.site_title = "NPSD Help Desk admin"
admin.site.index_title = "Help desk settings"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tickets.urls")),
    path("", include("routing.urls")),
]
