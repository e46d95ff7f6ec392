"""The admin speaks Vietnamese too (issue 15): django-axes' pages and the greeting."""

from __future__ import annotations

import re
from typing import Any


def test_admin_pages_have_no_english_axes_labels_and_greet_the_whole_name(demo: None, client: Any) -> None:
    from xhht.accounts.models import Role
    from xhht.accounts.services import user_create_or_update
    from xhht.units.models import Unit

    admin_user = user_create_or_update(actor=None, username="qt.thu", password="qt-thu-2020-x", role=Role.ADMINISTRATOR,
                                       unit=Unit.objects.get(code="04"))
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.first_name, admin_user.last_name = "GD&ĐT", "Cán bộ Phòng"
    admin_user.save()
    client.force_login(admin_user)
    index = client.get("/quan-tri/").content.decode()
    for english in ("Access attempts", "Access logs", "Access failures", "Axes"):
        assert english not in index, english
    assert "Cán bộ Phòng GD&amp;ĐT" in index  # the greeting names the person, not a piece of a split name
    page = client.get("/quan-tri/axes/accessattempt/").content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    for english in ("Locked Out", "Attempt Time", "IP Address", "Clean up expired attempts", "Failed Logins"):
        assert english not in text, english
