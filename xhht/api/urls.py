from django.urls import path

from xhht.api import views
from xhht.api.main import api

urlpatterns = [
    path("docs", views.docs, name="api_docs"),
    path("", api.urls),
]
