from django.urls import path

from sso import views

app_name = "sso"

urlpatterns = [
    path("sso/sign-in/", views.DistrictSignInView.as_view(), name="sign_in"),
    path("sso/callback/", views.DistrictCallbackView.as_view(), name="callback"),
]
