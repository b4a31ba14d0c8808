"""The IATI export validates against the official 2.03 schema, and the check is real."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree

import fundflow
from fundflow.transparency.iati_schema import SCHEMA_PATH, activities_schema, schema_errors
from tests.builders import World


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return activities_schema()


def export(client: TestClient, world: World, query: str = "") -> bytes:
    response = client.get(f"/api/v1/exports/iati{query}", headers=world.headers("secretariat"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    return response.content


def test_export_validates_and_carries_the_project(
    client: TestClient, world: World, schema: etree.XMLSchema
):
    project = world.signed()
    world.complete_report(project)
    other = world.project()
    document = etree.fromstring(export(client, world))
    schema.assertValid(document)
    activities = document.findall("iati-activity")
    assert len(activities) == 2
    first = activities[0]
    assert first.findtext("iati-identifier") == f"XI-IATI-FUNDFLOW-{project.id}"
    assert first.find("activity-status").get("code") == "2"
    roles = {(p.get("role"), p.findtext("narrative")) for p in first.findall("participating-org")}
    assert ("1", "Direction du développement et de la coopération") in roles
    assert ("2", "Association Tafraout Solidarité") in roles
    assert first.find("recipient-country").get("code") == "MA"
    transactions = [
        (t.find("transaction-type").get("code"), t.findtext("value"))
        for t in first.findall("transaction")
    ]
    assert transactions == [("2", "35000.00")]
    assert first.find("budget/value").text == "35000.00"
    indicators = first.findall("result/indicator")
    assert [i.findtext("title/narrative") for i in indicators] == [
        "Households with tap water",
        "Metres of pipe laid",
    ]
    assert activities[1].find("activity-status").get("code") == "1"
    assert other.id


def test_export_per_funder(client: TestClient, world: World, schema: etree.XMLSchema):
    world.signed()
    world.project()  # no confirmed commitment of the world's funder
    document = etree.fromstring(export(client, world, f"?funder_id={world.funder.id}"))
    schema.assertValid(document)
    assert len(document.findall("iati-activity")) == 1


def test_a_broken_document_fails_validation(
    client: TestClient, world: World, schema: etree.XMLSchema
):
    world.signed()
    document = etree.fromstring(export(client, world))
    activity = document.find("iati-activity")
    activity.remove(activity.find("iati-identifier"))  # mandatory, first
    assert not schema.validate(document)
    reordered = etree.fromstring(export(client, world))
    first = reordered.find("iati-activity")
    first.append(first.find("title"))  # title after results: out of sequence
    assert not schema.validate(reordered)


def test_authorities_export_only_what_their_funder_co_finances(client: TestClient, world: World):
    mine = world.signed()
    lausanne = world.envelope_of("Ville de Lausanne")
    elsewhere = world.project()
    world.commit(elsewhere, lausanne, "35000.00")
    response = client.get("/api/v1/exports/iati", headers=world.headers("authority"))
    document = etree.fromstring(response.content)
    identifiers = [a.findtext("iati-identifier") for a in document.findall("iati-activity")]
    # Asking for everything (or for another funder) still gives its own funder's projects.
    assert identifiers == [f"XI-IATI-FUNDFLOW-{mine.id}"]
    other = client.get(
        f"/api/v1/exports/iati?funder_id={lausanne.funder_id}", headers=world.headers("authority")
    )
    assert f"XI-IATI-FUNDFLOW-{elsewhere.id}".encode() not in other.content


def test_the_schema_kept_with_the_exporter_judges_documents():
    assert SCHEMA_PATH.is_relative_to(Path(fundflow.__file__).parent)  # in the package
    for sample in sorted(SCHEMA_PATH.parent.glob("sample-*.xml")):
        assert schema_errors(sample.read_bytes()) == [], sample.name
    broken = b'<iati-activities version="2.03"><iati-activity/></iati-activities>'
    assert schema_errors(broken)


def test_every_value_says_its_currency_and_value_date(
    client: TestClient, world: World, schema: etree.XMLSchema
):
    """A EUR call co-financed by a CHF funder: the activity's values are in the call's
    currency, each saying so, and the document still validates."""
    from tests.builders import exchange_rate

    world.call.currency = "EUR"
    world.session.add(world.call)
    exchange_rate(world.session, "EUR", "CHF", "0.9351")
    project = world.signed()
    document = etree.fromstring(export(client, world))
    schema.assertValid(document)
    [activity] = document.findall("iati-activity")
    assert activity.get("default-currency") == "EUR"
    values = activity.findall(".//value")
    assert len(values) == 2  # the budget and the commitment
    assert all(v.get("currency") == "EUR" and v.get("value-date") for v in values)
    assert activity.find("budget/value").get("value-date") == project.start_date.isoformat()
    assert activity.find("transaction/value").text == "35000.00"
