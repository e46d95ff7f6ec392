"""Dates typed as Vietnamese readers write them, day first (core.dates.date_from_text), on the pages that used a
browser's date box (mm/dd/yyyy on many phones): read day first, refused in Vietnamese when not a date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from xhht.core.dates import date_from_text, parse_as_of


@pytest.mark.parametrize("typed", ["02/12/2026", "2/12/2026", "02-12-2026", "02.12.2026", "2026-12-02", " 02/12/2026 "])
def test_day_first(typed: str) -> None:
    assert date_from_text(typed) == date(2026, 12, 2)
    assert parse_as_of(typed) == date(2026, 12, 2)


@pytest.mark.parametrize("typed", ["", "31/02/2026", "12/31/2026", "2026/12/02", "02/12/26", "mai"])
def test_not_a_date(typed: str) -> None:
    with pytest.raises(ValueError):
        date_from_text(typed)


@pytest.mark.django_db
def test_the_literacy_page_reads_the_tree_date_day_first(nam_tuan_officer: Any, client_for: Any) -> None:
    from xhht.demo.foundation import NAM_TUAN

    client = client_for(nam_tuan_officer)
    page = client.get(f"/xoa-mu-chu/{NAM_TUAN}/2019/", {"theo_dia_gioi": "31/12/2019"})
    assert page.status_code == 200 and 'value="31/12/2019"' in page.content.decode()
    refused = client.get(f"/xoa-mu-chu/{NAM_TUAN}/2019/", {"theo_dia_gioi": "12/31/2019"})
    assert refused.status_code == 404
    assert "Ngày địa giới «12/31/2019» không hợp lệ; hãy nhập ngày dạng dd/mm/yyyy, ví dụ 31/12/2019." in refused.content.decode()
