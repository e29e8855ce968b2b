from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

admin.site.site_header = "NPSD Technology Help Desk administration"
admin.site.site_title = "NPSD Help Desk admin"
admin.site.index_title = "Help desk settings"


def healthz(request):
    """A minimal Django view: load balancers poll it, and benchmarks compare pages against it."""
    return HttpResponse("ok", content_type="text/plain")


def favicon(request):
    """Browsers (and the admin, which has no icon link) ask for /favicon.ico: send them to the static one."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("", include("health.urls")),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("tickets.urls")),
    path("", include("inbound.urls")),
    path("", include("outages.urls")),
    path("", include("routing.urls")),
    path("", include("sso.urls")),
    path("", include("helparticles.urls")),
    path("", include("devices.urls")),
    path("", include("alerts.urls")),
]
