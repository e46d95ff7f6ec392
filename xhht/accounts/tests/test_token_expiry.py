"""The API token's optional expiry on the profile page is typed and shown as dd/mm/yyyy (core.dates.VietnameseDateField),
not in a browser's date box that shows mm/dd/yyyy on many phones; a date that is not one, or is past, is refused in
Vietnamese, naming what was typed, and no token is made."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _create(client: Any, expires: str, name: str = "Tập lệnh của xã") -> Any:
    return client.post("/tai-khoan/", {"action": "api_token_create", "name": name, "expires_on": expires})


def test_the_box_is_text_with_the_day_first(nam_tuan_officer: Any, client_for: Any) -> None:
    page = client_for(nam_tuan_officer).get("/tai-khoan/").content.decode()
    box = re.search(r'<input[^>]*name="expires_on"[^>]*>', page)
    assert box is not None and 'type="text"' in box.group(0) and 'placeholder="dd/mm/yyyy"' in box.group(0)
    assert 'type="date"' not in page and 'for="id_token_expires_on"' in page and 'id="id_token_expires_on"' in box.group(0)


@pytest.mark.parametrize("typed", ["01/07/2099", "1/7/2099", "01-07-2099", "01.07.2099", "2099-07-01"])
def test_a_date_is_read_day_first(typed: str, nam_tuan_officer: Any, client_for: Any) -> None:
    from xhht.accounts.models import ApiToken

    client = client_for(nam_tuan_officer)
    response = _create(client, typed)
    assert response.status_code == 200, response.content.decode()[:500]
    token = ApiToken.objects.get(user=nam_tuan_officer, name="Tập lệnh của xã")
    assert timezone.localtime(token.expires_at).date() == date(2099, 7, 1)  # 1 July, never 7 January
    assert "01/07/2099" in response.content.decode()  # shown back day first in the list


@pytest.mark.parametrize("typed", ["31/02/2099", "12/31/2099", "2099/12/31", "mai", "01/07/99", "00/01/2099"])
def test_a_date_that_is_not_one_is_refused_naming_what_was_typed(typed: str, nam_tuan_officer: Any, client_for: Any) -> None:
    from xhht.accounts.models import ApiToken

    response = _create(client_for(nam_tuan_officer), typed)
    text = response.content.decode()
    assert response.status_code == 400
    assert f"«Ngày hết hạn»: «{typed}» không phải một ngày có thật; hãy nhập ngày dạng dd/mm/yyyy, ví dụ 31/12/2027." in text
    assert re.search(rf'name="expires_on"[^>]*value="{re.escape(typed)}"|value="{re.escape(typed)}"[^>]*name="expires_on"', text)
    assert 'value="Tập lệnh của xã"' in text  # the name typed is kept too
    assert not ApiToken.objects.filter(user=nam_tuan_officer).exists()


def test_a_past_date_is_refused(nam_tuan_officer: Any, client_for: Any) -> None:
    from xhht.accounts.models import ApiToken

    yesterday = timezone.localdate() - timedelta(days=1)
    response = _create(client_for(nam_tuan_officer), f"{yesterday:%d/%m/%Y}")
    assert response.status_code == 400 and "Ngày hết hạn đã qua: hãy chọn một ngày từ hôm nay trở đi." in response.content.decode()
    assert not ApiToken.objects.filter(user=nam_tuan_officer).exists()
    assert _create(client_for(nam_tuan_officer), f"{timezone.localdate():%d/%m/%Y}").status_code == 200  # today is still allowed


def test_no_date_means_no_expiry(nam_tuan_officer: Any, client_for: Any) -> None:
    from xhht.accounts.models import ApiToken

    assert _create(client_for(nam_tuan_officer), "  ").status_code == 200
    assert ApiToken.objects.get(user=nam_tuan_officer).expires_at is None
