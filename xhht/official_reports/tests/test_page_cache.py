"""The report's page keeps its rendered document per report and data version (selectors.report_page): a second view
reads it from the cache in a few queries; any change of the data makes a new version, so the page never shows a
figure older than the store."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xhht.official_reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_report(official_reports_demo: None, demo: None) -> Report:
    return Report.objects.get(unit_id="051", number="298/BC-UBND")


def _view(client: Any, report: Report) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/bao-cao/{report.pk}/")
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def _stored_figure(report: Report) -> tuple[dict[str, Any], str]:
    """A figure of the page that shows one value stored at the report's own unit, as it is, and that value."""
    from xhht.official_reports.render import report_render

    for figure in report_render(report).figures:
        rows = figure.trace.values if figure.trace else []
        if len(rows) == 1 and rows[0]["unit_code"] == report.unit_id and not rows[0]["disaggregation"] and figure.text.strip():
            return rows[0], figure.text
    raise AssertionError("the demo report shows no value stored at its own unit")


def test_the_second_view_reads_the_document_from_the_cache(district_report: Report, district_officer: Any, client_for: Any) -> None:
    client = client_for(district_officer)
    first, queries_first = _view(client, district_report)
    second, queries_second = _view(client, district_report)
    masked = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')  # a new mask on every response
    assert masked.sub("", second) == masked.sub("", first)
    assert "298/BC-UBND" in second and 'class="doc"' in second
    # Rendering reads the store, the tree, the committees, the submissions (~100 queries for Hòa An); the cached view
    # reads the session, the user, the report and the user's reach (7), the data version (1; 4 on PostgreSQL: its lock
    # in a savepoint), the cache entry, the job and the versions.
    assert queries_second * 5 < queries_first, (queries_first, queries_second)
    assert queries_second <= 14, queries_second


def test_a_written_value_shows_on_the_next_view(district_report: Report, district_officer: Any, client_for: Any) -> None:
    from xhht.core.formatting import format_number
    from xhht.indicators.services import Value, data_values_write

    client = client_for(district_officer)
    row, shown = _stored_figure(district_report)
    before, _ = _view(client, district_report)
    assert shown in before
    _view(client, district_report)  # now in the cache
    new = int(float(row["value"])) + 7654321
    data_values_write(actor=district_officer, source="entered", rule="kiểm thử", values=[
        Value(element=row["element"], unit_code=district_report.unit_id, period=row["period"], value=new)])
    after, queries = _view(client, district_report)
    assert format_number(new, 0) in after and format_number(new, 0) not in before
    assert queries > 20  # rendered again, not read from the cache


def test_the_right_to_edit_and_the_header_have_their_own_entries(district_report: Report, district_officer: Any, viewer: Any,
                                                                 client_for: Any) -> None:
    from xhht.official_reports.services import report_update

    edit_url = f"/bao-cao/{district_report.pk}/muc/"
    officer_page, _ = _view(client_for(district_officer), district_report)
    assert edit_url in officer_page
    viewer_page, _ = _view(client_for(viewer), district_report)  # the officer's cached document has the "sửa" links
    assert edit_url not in viewer_page
    report_update(actor=district_officer, report=district_report, signer_name="Nguyễn Văn Kiểm Thử")
    assert "Nguyễn Văn Kiểm Thử" in _view(client_for(district_officer), district_report)[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_page_rendered_while_entries_are_being_written_is_not_kept(district_report: Report, district_officer: Any,
                                                                      client_for: Any) -> None:
    """On PostgreSQL an audit entry's id is taken when written, not when committed: while another transaction is
    writing entries, one with an older id may still commit, so the version is not exact and a page rendered then is
    not kept. (The version's lock lasts until the test's own transaction ends: the writer comes first here.)"""
    import psycopg

    from xhht.audit.selectors import DataVersion, data_version

    client = client_for(district_officer)
    settings = connection.settings_dict
    other = psycopg.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"] or None,
                            port=settings["PORT"] or None, password=settings["PASSWORD"] or None)
    try:
        other.execute("INSERT INTO audit_auditentry (at, action, object_type, object_id, object_repr, unit_code, changes, note) "
                      "VALUES (now(), 'test', 'test', '1', 'kiểm thử', '', '{}', '')")  # open, not committed
        version = data_version()
        assert not version.exact
        _, first = _view(client, district_report)
        _, second = _view(client, district_report)
        assert first > 20 and second > 20  # rendered both times, kept neither time
        other.rollback()
        assert data_version() == DataVersion(version.last_entry, exact=True)
        _view(client, district_report)
        assert _view(client, district_report)[1] <= 14
    finally:
        other.rollback()
        other.close()
