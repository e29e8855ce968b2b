from django.urls import path

from health.views import readyz

urlpatterns = [path("readyz", readyz, name="readyz")]
