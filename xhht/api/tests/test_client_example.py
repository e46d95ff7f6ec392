"""The Python client example of docs/api.md runs against a live server (issue 17, part 4)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def example_code() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- client-example -->\s*```python\n(.*?)```", text, re.S)
    assert match, "docs/api.md has no client example"
    return match.group(1)


@pytest.mark.django_db(transaction=True)
def test_client_example_of_the_docs_runs(live_server: Any, tmp_path: Path, settings: Any) -> None:
    from xhht.accounts.models import User
    from xhht.accounts.tokens import api_token_create
    from xhht.demo.foundation import load
    from xhht.literacy.models import SurveyPerson
    from xhht.reporting.models import Submission

    load()  # a live-server test may start from a flushed database
    settings.XHHT_JOBS_INLINE = True  # the import runs in the request (the worker's job in production)
    officer = User.objects.get(username="so.caobang")
    token = api_token_create(actor=officer, user=officer, name="ví dụ").secret
    persons = tmp_path / "nguoi-2019.csv"
    persons.write_text("commune_code,village,household_id,person_id,full_name,sex,birth_date,highest_grade_completed\n"
                       "05115,Nà Rụa,H001,P001,Nông Văn A,M,1990-05-01,9\n"
                       "05115,Nà Rụa,H001,P002,Hoàng Thị B,F,1992-03-04,12\n", encoding="utf-8")
    script = tmp_path / "client.py"
    script.write_text(example_code(), encoding="utf-8")
    env = {**os.environ, "XHHT_URL": live_server.url, "XHHT_TOKEN": token, "XHHT_PERSONS_FILE": str(persons)}
    run = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Báo cáo: submitted" in run.stdout and "Nhập danh sách: done 2 dòng []" in run.stdout, run.stdout
    assert Submission.objects.get(form_code="commune", unit_id="05115", period="2020").status == "submitted"
    assert SurveyPerson.objects.filter(commune_id="05115", year=2019).count() == 2
