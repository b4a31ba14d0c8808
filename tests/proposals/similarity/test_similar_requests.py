"""Similar-request detection and the rule against funding the same work twice, on the
hand-built corpus of tests/similarity/corpus.py."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from fundflow.proposals.models import Proposal, ProposalStatus
from fundflow.proposals.similarity.index import index_missing
from fundflow.proposals.similarity.models import (
    ProposalFingerprint,
    ProposalTextBand,
    SimilarityVerdict,
)
from tests.builders import World, make_partner
from tests.proposals.similarity.corpus import CANTEEN, WATER, WATER_PHASE_TWO, WATER_RETITLED
from tests.proposals.test_listing import counting_queries


def similar(client: TestClient, world: World, proposal: Proposal, who: str = "secretariat"):
    response = client.get(f"/api/v1/proposals/{proposal.id}/similar", headers=world.headers(who))
    assert response.status_code == 200, response.text
    return response.json()


def by_id(matches: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {m["proposal_id"]: m for m in matches}


def rejected(world: World, content: dict[str, Any]) -> Proposal:
    return world.decided("rejected", content=content, rationale="Budget trop vague.")


def submit(client: TestClient, world: World, proposal: Proposal):
    return client.post(
        f"/api/v1/proposals/{proposal.id}/transitions",
        headers=world.headers("applicant_a"),
        json={"action": "submit"},
    )


def eligibility(client: TestClient, world: World, proposal: Proposal, who: str = "applicant_a"):
    response = client.get(
        f"/api/v1/proposals/{proposal.id}/eligibility", headers=world.headers(who)
    )
    assert response.status_code == 200, response.text
    return response.json()


def rule(result: dict[str, Any], name: str) -> dict[str, Any]:
    return next(check for check in result["checks"] if check["rule"] == name)


def test_a_resubmission_under_a_new_title_is_found(client: TestClient, world: World):
    first = rejected(world, WATER)
    again = world.proposal(status=ProposalStatus.SUBMITTED, **WATER_RETITLED)

    result = similar(client, world, again)

    match = by_id(result["matches"])[first.id]
    assert match["strength"] == "strong"
    assert match["status"] == "rejected"
    assert match["text_similarity"] > 0.6
    assert {"text", "partner", "locality", "organisation"} <= {r["field"] for r in match["reasons"]}
    # A refused project may be asked for again: seen, not blocked.
    assert match["blocking"] is False
    assert result["matches"][0]["proposal_id"] == first.id


def test_another_project_in_the_same_village_is_not_strong(client: TestClient, world: World):
    water = world.signed(content=WATER)
    canteen = world.proposal(**CANTEEN)

    result = eligibility(client, world, canteen)

    assert rule(result, "no_double_funding")["passed"] is True
    assert result["warnings"] == []
    assert submit(client, world, canteen).status_code == 200
    matches = by_id(similar(client, world, canteen)["matches"])
    # Same partner, village and years: worth a look, not the same project.
    assert matches[water.proposal_id]["strength"] == "possible"
    assert matches[water.proposal_id]["text_similarity"] < 0.2


def test_an_undeclared_overlapping_phase_is_blocked(
    client: TestClient, world: World, session: Session
):
    project = world.signed(content=WATER)
    phase_two = world.proposal(**WATER_PHASE_TWO)

    result = eligibility(client, world, phase_two)

    check = rule(result, "no_double_funding")
    assert result["eligible"] is False and check["passed"] is False
    assert f"extends_project_id: {project.id}" in check["message"]
    response = submit(client, world, phase_two)
    assert response.status_code == 422
    assert "no_double_funding" in {e["rule"] for e in response.json()["errors"]}
    session.refresh(phase_two)
    assert phase_two.status == ProposalStatus.DRAFT


def test_a_declared_extension_is_not_blocked(client: TestClient, world: World):
    project = world.signed(content=WATER)
    phase_two = world.proposal(**WATER_PHASE_TWO)

    response = client.patch(
        f"/api/v1/proposals/{phase_two.id}",
        headers=world.headers("applicant_a"),
        json={"extends_project_id": project.id},
    )
    assert response.status_code == 200
    assert response.json()["extends_project_id"] == project.id

    result = eligibility(client, world, phase_two)
    assert result["eligible"] is True
    assert rule(result, "no_double_funding")["message"].endswith(f"project {project.id}.")
    assert submit(client, world, phase_two).status_code == 200
    match = by_id(similar(client, world, phase_two)["matches"])[project.proposal_id]
    assert match["declared_extension"] is True and match["blocking"] is False
    assert match["project_status"] == "active"


def test_a_phase_after_the_grant_ended_is_not_blocked(client: TestClient, world: World):
    project = world.signed(content=WATER)
    assert project.end_date is not None
    later = project.end_date.replace(year=project.end_date.year + 1)
    phase_two = world.proposal(
        **WATER_PHASE_TWO,
        start_date=later.isoformat(),
        end_date=later.replace(year=later.year + 1).isoformat(),
    )

    assert rule(eligibility(client, world, phase_two), "no_double_funding")["passed"] is True


def test_the_same_project_at_another_association_is_found(
    client: TestClient, world: World, session: Session
):
    water = world.proposal(status=ProposalStatus.SUBMITTED, **WATER)
    # Association B registered the same partner under a slightly different spelling.
    partner = make_partner(
        session, world.org_b, country="MA", name="Partner of Association Tafraout Solidarite"
    )
    copy = world.proposal(
        owner="b",
        status=ProposalStatus.SUBMITTED,
        **(WATER_RETITLED | {"country": "MA", "partner_id": partner.id}),
    )

    match = by_id(similar(client, world, water)["matches"])[copy.id]
    assert match["strength"] == "strong"
    assert match["organisation_id"] == world.org_b.id
    reasons = {r["field"]: r["detail"] for r in match["reasons"]}
    assert "nearly the same name" in reasons["partner"]
    assert "organisation" not in reasons
    assert match["requested_amount"] == "40000.00"

    # The secretariat is warned; the association is not told of B's proposal.
    staff = eligibility(client, world, water, who="secretariat")
    assert [w["proposal_id"] for w in staff["warnings"]] == [copy.id]
    assert "Teranga Vaud" in staff["warnings"][0]["message"]
    own = eligibility(client, world, water, who="applicant_a")
    assert own["warnings"] == []
    assert "Teranga" not in str(own)


def test_an_association_is_warned_of_its_own_earlier_request(client: TestClient, world: World):
    first = rejected(world, WATER)
    again = world.proposal(**WATER_RETITLED)

    warnings = eligibility(client, world, again)["warnings"]

    assert [w["proposal_id"] for w in warnings] == [first.id]
    assert "your association" in warnings[0]["message"]


def test_drafts_of_others_are_not_requests(client: TestClient, world: World, session: Session):
    water = world.proposal(status=ProposalStatus.SUBMITTED, **WATER)
    world.proposal(**WATER_RETITLED)  # still a draft

    assert similar(client, world, water)["matches"] == []


def test_declared_other_funding_is_shown_beside_the_matches(client: TestClient, world: World):
    water = world.proposal(status=ProposalStatus.SUBMITTED, **WATER)

    result = similar(client, world, water)

    assert result["other_funding_requests_declared"] is True
    assert result["declared_other_funding"] == [
        {
            "source": "other_public",
            "funder_name": "Commune of Morges",
            "amount": "30000.00",
            "status": "requested",
        }
    ]


def test_the_fingerprint_follows_the_text(client: TestClient, world: World, session: Session):
    water = world.proposal(status=ProposalStatus.SUBMITTED, **WATER)
    draft = world.proposal(**WATER_RETITLED)
    bands = select(func.count()).where(col(ProposalTextBand.proposal_id) == draft.id)
    before = session.get(ProposalFingerprint, draft.id)
    assert before is not None and session.exec(bands).one() > 0
    digest = before.digest

    response = client.patch(
        f"/api/v1/proposals/{draft.id}",
        headers=world.headers("applicant_a"),
        json={
            "title": CANTEEN["title"],
            "summary": CANTEEN["summary"],
            "logframe": CANTEEN["logframe"],
            "version": draft.version,
        },
    )
    assert response.status_code == 200, response.text
    assert submit(client, world, draft).status_code == 200

    session.expire_all()
    after = session.get(ProposalFingerprint, draft.id)
    assert after is not None and after.digest != digest
    match = by_id(similar(client, world, water)["matches"]).get(draft.id)
    assert match is None or match["strength"] == "possible"


def test_an_upgrade_fingerprints_what_has_none(world: World, session: Session):
    world.proposal(**WATER)
    world.proposal(**CANTEEN)
    total = session.exec(select(func.count()).select_from(Proposal)).one()
    session.execute(ProposalTextBand.__table__.delete())  # type: ignore[attr-defined]
    session.execute(ProposalFingerprint.__table__.delete())  # type: ignore[attr-defined]

    assert index_missing(session, batch=1) == total
    assert session.exec(select(func.count()).select_from(ProposalFingerprint)).one() == total
    assert index_missing(session) == 0


def test_extends_project_id_must_be_one_of_the_associations_projects(
    client: TestClient, world: World, session: Session
):
    theirs = world.project(content={"owner": "b"})
    assert theirs.organisation_id == world.org_b.id
    draft = world.proposal(**WATER)

    for project_id in (theirs.id, 999_999):
        response = client.patch(
            f"/api/v1/proposals/{draft.id}",
            headers=world.headers("applicant_a"),
            json={"extends_project_id": project_id, "title": "Changed"},
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["body", "extends_project_id"]
    session.refresh(draft)
    assert draft.extends_project_id is None and draft.title == WATER["title"]


def test_applicants_and_authorities_cannot_screen(client: TestClient, world: World):
    own = world.proposal(status=ProposalStatus.SUBMITTED, **WATER)
    theirs = world.proposal(owner="b", status=ProposalStatus.SUBMITTED)

    def status(who: str, proposal: Proposal) -> int:
        return client.get(
            f"/api/v1/proposals/{proposal.id}/similar", headers=world.headers(who)
        ).status_code

    assert status("applicant_a", own) == 403
    assert status("applicant_a", theirs) == 404
    assert status("applicant_b", own) == 404
    assert status("authority", own) == 404


def test_screening_costs_the_same_queries_for_any_number_of_matches(
    client: TestClient, world: World, session: Session
):
    water = world.proposal(status=ProposalStatus.SUBMITTED, **WATER)
    world.proposal(status=ProposalStatus.SUBMITTED, **WATER_RETITLED)
    headers = world.headers("secretariat")

    def counted() -> tuple[int, int]:
        with counting_queries(session) as statements:
            response = client.get(f"/api/v1/proposals/{water.id}/similar", headers=headers)
        return len(response.json()["matches"]), len(statements)

    few, queries = counted()
    for _ in range(4):
        world.proposal(status=ProposalStatus.SUBMITTED, **WATER_RETITLED)
    many, more_queries = counted()
    assert (few, many) == (1, 5)
    assert more_queries == queries


def verdict(
    client: TestClient, world: World, pair: tuple[int, int], who: str = "secretariat", **body: Any
):
    return client.put(
        f"/api/v1/proposals/{pair[0]}/similar/{pair[1]}",
        headers=world.headers(who),
        json={"verdict": "different_project", "comment": "Autre réseau, autre douar."} | body,
    )


def test_the_secretariat_lifts_a_wrong_block(client: TestClient, world: World, session: Session):
    project = world.signed(content=WATER)
    phase_two = world.proposal(**WATER_PHASE_TWO)
    assert submit(client, world, phase_two).status_code == 422

    # Told by the association, the secretariat looks from the project's side.
    response = verdict(client, world, (project.proposal_id, phase_two.id))

    assert response.status_code == 200, response.text
    assert response.json() | {"decided_at": None} == {
        "proposal_id": project.proposal_id,
        "other_proposal_id": phase_two.id,
        "verdict": "different_project",
        "comment": "Autre réseau, autre douar.",
        "decided_by_id": world.secretariat.id,
        "decided_at": None,
    }
    assert rule(eligibility(client, world, phase_two), "no_double_funding")["passed"] is True
    assert submit(client, world, phase_two).status_code == 200
    match = by_id(similar(client, world, phase_two)["matches"])[project.proposal_id]
    assert match["blocking"] is False and match["strength"] == "strong"
    assert match["verdict"]["verdict"] == "different_project"
    events = client.get(
        f"/api/v1/proposals/{project.proposal_id}/events", headers=world.headers("secretariat")
    ).json()["items"]
    assert events[-1]["action"] == "similarity_verdict"

    # Changed back: the same pair, whichever side it is named from.
    again = verdict(client, world, (phase_two.id, project.proposal_id), verdict="same_project")
    assert again.status_code == 200 and again.json()["proposal_id"] == project.proposal_id
    match = by_id(similar(client, world, phase_two)["matches"])[project.proposal_id]
    assert match["verdict"]["verdict"] == "same_project" and match["blocking"] is True


def test_a_different_project_verdict_silences_the_warning(client: TestClient, world: World):
    first = rejected(world, WATER)
    again = world.proposal(status=ProposalStatus.SUBMITTED, **WATER_RETITLED)
    assert len(eligibility(client, world, again, who="secretariat")["warnings"]) == 1

    assert verdict(client, world, (again.id, first.id)).status_code == 200

    assert eligibility(client, world, again, who="secretariat")["warnings"] == []


def test_verdicts_are_the_secretariats_and_checked(
    client: TestClient, world: World, session: Session
):
    first = world.proposal(status=ProposalStatus.SUBMITTED, **WATER)
    again = world.proposal(status=ProposalStatus.SUBMITTED, **WATER_RETITLED)
    pair = (again.id, first.id)

    assert verdict(client, world, pair, who="applicant_a").status_code == 403
    assert verdict(client, world, pair, who="applicant_b").status_code == 404
    assert verdict(client, world, pair, who="authority").status_code == 404
    assert verdict(client, world, (again.id, again.id)).status_code == 422
    assert verdict(client, world, (again.id, 999_999)).status_code == 404
    assert verdict(client, world, pair, verdict="maybe").status_code == 422
    assert verdict(client, world, pair, comment="").status_code == 422
    assert session.exec(select(func.count()).select_from(SimilarityVerdict)).one() == 0


def test_a_check_reads_the_proposal_and_its_candidates_in_one_statement(
    world: World, session: Session
):
    """The proposal's own row and its candidates in one statement; the best matches'
    details and verdicts in one more."""
    from fundflow.proposals.similarity.service import find_similar

    water = world.proposal(status=ProposalStatus.SUBMITTED, **WATER)
    canteen = world.proposal(status=ProposalStatus.SUBMITTED, owner="b", **CANTEEN)
    world.proposal(status=ProposalStatus.SUBMITTED, **WATER_RETITLED)
    session.expire_all()
    for proposal, matches, expected in ((water, 1, 2), (canteen, 0, 1)):
        fresh = session.get(Proposal, proposal.id)
        assert fresh is not None
        with counting_queries(session) as statements:
            found = find_similar(session, fresh)
        assert (len(found), len(statements)) == (matches, expected)


def test_the_stored_band_keys_find_what_the_signature_finds(world: World, session: Session):
    """The text lookup from the bands stored with the proposal and the one from its
    signature computed anew find the same proposals."""
    from fundflow.proposals.similarity.candidates import (
        profile_of,
        stored_text_candidates,
        text_candidates,
    )

    made = [
        world.proposal(status=ProposalStatus.SUBMITTED, **text)
        for text in (WATER, WATER_RETITLED, WATER_PHASE_TWO, CANTEEN, WATER_RETITLED)
    ]
    for proposal in made:
        assert proposal.id is not None
        computed = text_candidates(profile_of(session, proposal))
        assert computed is not None
        by_signature = {row.id for row in session.connection().execute(computed)}
        by_stored = {
            row.id for row in session.connection().execute(stored_text_candidates(proposal.id))
        }
        assert by_stored == by_signature
    assert any(
        session.connection().execute(stored_text_candidates(p.id or 0)).first() for p in made
    )


def test_a_proposal_never_fingerprinted_is_still_checked_by_its_text(
    world: World, session: Session
):
    """After an upgrade, before `fundflow` fingerprints it, a proposal's text is compared
    from a signature computed at the check."""
    from fundflow.proposals.similarity.service import find_similar

    water = world.proposal(status=ProposalStatus.SUBMITTED, **WATER)
    retitled = world.proposal(status=ProposalStatus.SUBMITTED, **WATER_RETITLED)
    session.execute(
        ProposalFingerprint.__table__.delete().where(  # type: ignore[attr-defined]
            ProposalFingerprint.proposal_id == retitled.id
        )
    )
    session.execute(
        ProposalTextBand.__table__.delete().where(  # type: ignore[attr-defined]
            ProposalTextBand.proposal_id == retitled.id
        )
    )
    session.commit()
    session.expire_all()
    fresh = session.get(Proposal, retitled.id)
    assert fresh is not None
    found = find_similar(session, fresh)
    assert [m.candidate.profile.proposal_id for m in found] == [water.id]
    assert found[0].similarity.text_similarity is not None
