"""Two people saving the same report at the same moment, on separate database connections."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
def test_simultaneous_saves_one_wins_the_other_is_refused() -> None:
    from xhht.accounts.models import User
    from xhht.demo.foundation import load
    from xhht.reporting.catalogue import get_catalogue
    from xhht.reporting.demo import commune_values
    from xhht.reporting.selectors import Reporter, form_values
    from xhht.reporting.services import StaleVersion, submission_save
    from xhht.units.models import Unit

    load()
    form = get_catalogue().forms["commune"]
    reporter = Reporter(Unit.objects.get(code="05115"))
    users = [User.objects.get(username="xa.namtuan"), User.objects.get(username="pgd.hoaan")]
    submission_save(actor=users[0], form=form, reporter=reporter, period="2022", values=commune_values(15, 2022), base_version=0)
    barrier = threading.Barrier(2)
    outcome: dict[int, Any] = {}

    def save(index: int) -> None:
        try:
            barrier.wait()
            submission_save(actor=users[index], form=form, reporter=reporter, period="2022",
                            values=commune_values(15, 2022) | {"rpt_clc_topics": 100 + index}, base_version=1)
            outcome[index] = "saved"
        except StaleVersion as exc:
            outcome[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [i for i, o in outcome.items() if o == "saved"]
    assert len(winners) == 1 and len(outcome) == 2
    loser = 1 - winners[0]
    assert isinstance(outcome[loser], StaleVersion)
    assert form_values(form=form, unit_code="05115", period="2022")["rpt_clc_topics"] == 100 + winners[0]
