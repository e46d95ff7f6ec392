from django.urls import path

from xhht.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.unit_indicators, name="unit"),
    path("<str:code>/phu-luc.xlsx", views.appendix_export, name="export"),
    path("<str:code>/du-kien/", views.projections_edit, name="projections"),
    path("<str:code>/nguon/<str:indicator>/<int:year>/", views.indicator_trace, name="trace"),
]
