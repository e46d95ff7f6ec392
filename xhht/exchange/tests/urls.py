"""A NinjaAPI of its own for the exchange's tests (the real one is the API app's, under /api/v1/)."""

from django.urls import path
from ninja import NinjaAPI

from xhht.exchange.api import make_router

api = NinjaAPI(urls_namespace="exchange-test", title="XHHT exchange (test)")
api.add_router("/", make_router())

urlpatterns = [path("api/v1/", api.urls)]
