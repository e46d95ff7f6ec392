"""What a reader sees on the literacy page (issue 15): criteria by their names, no catalogue path, and the
"Danh sách người" button counting what the list counts."""

from __future__ import annotations

import re
from typing import Any

from xhht.demo.foundation import NAM_TUAN
from xhht.literacy.templatetags.literacy_tags import criterion_name


def test_criteria_read_as_the_decree_words_them() -> None:
    assert criterion_name("level1 15-35") == "người biết chữ mức độ 1, 15–35 tuổi"
    assert criterion_name("entered_grade1 6-6") == "trẻ vào học lớp 1, 6 tuổi"
    assert criterion_name("completed_primary+in_primary 11-11") == "người hoàn thành chương trình tiểu học hoặc người đang học tiểu học, 11 tuổi"


def test_results_page_has_no_codes_and_the_list_button_counts_the_list(nam_tuan_officer: Any, client_for: Any) -> None:
    from xhht.literacy.demo import load

    load()
    client = client_for(nam_tuan_officer)
    html = client.get(f"/xoa-mu-chu/{NAM_TUAN}/2019/").content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert ".yaml" not in text and "level1 15" not in text and "entered_grade1" not in text
    button = int(re.search(r"Danh sách người \(([\d.]+)\)", text).group(1).replace(".", ""))
    listed = client.get(f"/xoa-mu-chu/{NAM_TUAN}/2019/nguoi/").content.decode()
    assert f"{button:,}".replace(",", ".") + " người" in listed
