"""A funder's staff see their own funder's money rows; other funders' money only inside
totals (issue 11, defect 5): one rule, `cofinancing.policies.money_rows_of`, checked on
every money and statistics endpoint."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from fundflow.projects.models import Project
from tests.builders import World
from tests.statistics.test_funding import funded  # noqa: F401 - the fixture

OWN = "Direction du développement et de la coopération"
OTHER = "Ville de Lausanne"


@pytest.fixture
def cofunded(funded: World) -> tuple[World, int]:  # noqa: F811
    """Project A: 20,000 from the authority's funder, 15,000 from Lausanne."""
    project = funded.session.exec(select(Project)).one()
    lausanne = funded.envelope_of(OTHER)
    funded.commit(project, lausanne, "15000.00")
    funded.session.commit()
    assert lausanne.funder_id is not None
    return funded, lausanne.funder_id


def get(client: TestClient, world: World, who: str, url: str):  # type: ignore[no-untyped-def]
    return client.get(url, headers=world.headers(who))


def test_the_ledger_itemises_only_the_authority_s_own_funder(
    client: TestClient, cofunded: tuple[World, int]
):
    world, _ = cofunded
    project = world.session.exec(select(Project)).one()
    url = f"/api/v1/projects/{project.id}/ledger"
    mine = get(client, world, "authority", url).json()
    whole = get(client, world, "secretariat", url).json()
    association = get(client, world, "applicant_a", url).json()

    assert [f["funder"] for f in mine["funders"]] == [OWN]
    assert [f["funder"] for f in whole["funders"]] == [OWN, OTHER]
    assert [f["funder"] for f in association["funders"]] == [OWN, OTHER]
    for total in ("granted", "confirmed", "proposed", "disbursed"):
        assert mine[total] == whole[total]


def test_funding_by_funder_shows_the_own_row_and_every_total(
    client: TestClient, cofunded: tuple[World, int]
):
    world, _ = cofunded
    url = "/api/v1/stats/funding?group_by=funder"
    mine = get(client, world, "authority", url).json()
    whole = get(client, world, "secretariat", url).json()

    assert [r["funder"] for r in mine["rows"]] == [OWN]
    assert [r["funder"] for r in whole["rows"]] == [OWN, OTHER]
    assert mine["totals"] == whole["totals"]
    for export in ("csv", "xlsx"):
        table = get(client, world, "authority", f"{url}&format={export}")
        assert table.status_code == 200
        if export == "csv":
            assert OTHER not in table.text


def test_another_funder_named_in_a_filter_is_refused(
    client: TestClient, cofunded: tuple[World, int]
):
    world, other = cofunded
    for url in (
        f"/api/v1/stats/funding?funder_id={other}",
        f"/api/v1/stats/funding?group_by=call&funder_id={other}",
        f"/api/v1/exports/iati?funder_id={other}",
    ):
        refused = get(client, world, "authority", url)
        assert refused.status_code == 403, url
        assert refused.headers["content-type"] == "application/problem+json"
        assert get(client, world, "secretariat", url).status_code == 200
    own = world.funder.id
    assert (
        get(client, world, "authority", f"/api/v1/stats/funding?funder_id={own}").status_code == 200
    )


def test_monitoring_counts_only_the_projects_the_funder_co_finances(
    client: TestClient, cofunded: tuple[World, int]
):
    world, _ = cofunded
    world.project()  # a project the authority's funder does not co-finance
    world.session.commit()
    mine = get(client, world, "authority", "/api/v1/stats/monitoring").json()
    whole = get(client, world, "secretariat", "/api/v1/stats/monitoring").json()

    assert sum(mine["projects_by_status"].values()) == 1
    assert sum(whole["projects_by_status"].values()) == 2
