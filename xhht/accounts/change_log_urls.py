from django.urls import path

from xhht.accounts import views

# The change log (/nhat-ky/), routed through the access policy: accounts.views.change_log gives
# audit.views.log the user's scope; audit sits below accounts and does not import it (layering contract).
app_name = "audit"
urlpatterns = [path("", views.change_log, name="log")]
