"""Small explicit builders for test data, going through the real services and workflow."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from fundflow.accounts.models import User
from fundflow.accounts.service import actor_of
from fundflow.accounts.sessions import issue_token
from fundflow.calls.models import Call
from fundflow.calls.schemas import CallCreate
from fundflow.calls.service import create_call
from fundflow.calls.workflow import CALL_MACHINE
from fundflow.cofinancing.disbursements import record_disbursement
from fundflow.cofinancing.models import Commitment, Tranche
from fundflow.cofinancing.schemas import CommitmentCreate, DisbursementCreate
from fundflow.cofinancing.service import create_commitment
from fundflow.cofinancing.workflow import COMMITMENT_MACHINE
from fundflow.core.actor import Actor
from fundflow.core.config import get_settings
from fundflow.core.dbtypes import utcnow
from fundflow.core.roles import Role
from fundflow.core.transitions import perform_transition
from fundflow.decisions.models import CommissionSession
from fundflow.decisions.schemas import SessionCreate
from fundflow.decisions.sessions import create_session
from fundflow.funders.models import Envelope, ExchangeRate, Funder, FunderLevel
from fundflow.funders.schemas import EnvelopeCreate, FunderCreate
from fundflow.funders.service import create_envelope, create_funder
from fundflow.lifecycle.project import PROJECT_MACHINE
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from fundflow.monitoring.models import Refund, Report
from fundflow.monitoring.reports import save_content
from fundflow.monitoring.schemas import ReportUpdate
from fundflow.monitoring.workflow import REPORT_MACHINE
from fundflow.organisations.models import MembershipStatus, Organisation, Partner
from fundflow.organisations.schemas import OrganisationCreate, PartnerCreate
from fundflow.organisations.service import create_organisation, create_partner
from fundflow.projects.models import Project
from fundflow.proposals import policies
from fundflow.proposals.models import Indicator, Proposal, ProposalStatus
from fundflow.proposals.schemas import ProposalCreate
from fundflow.proposals.service import create_proposal
from fundflow.reviews import policies as review_policies
from fundflow.reviews.models import Review
from fundflow.reviews.schemas import ReviewUpdate
from fundflow.reviews.service import assign_reviewer, save_scores
from fundflow.reviews.workflow import REVIEW_MACHINE
from fundflow.users.schemas import UserCreate
from fundflow.users.service import create_user

PASSWORD = "correct-horse-battery"
BUILDER = Actor(id=None, roles=frozenset({Role.SECRETARIAT}))  # type: ignore[arg-type]

# The actions that lead from draft to each state, and who takes them.
PATHS: dict[ProposalStatus, list[str]] = {
    ProposalStatus.DRAFT: [],
    ProposalStatus.SUBMITTED: ["submit"],
    ProposalStatus.REVISION_REQUESTED: ["submit", "return_for_revision"],
    ProposalStatus.IN_REVIEW: ["submit", "accept_for_review"],
    ProposalStatus.INELIGIBLE: ["submit", "declare_ineligible"],
    ProposalStatus.WITHDRAWN: ["withdraw"],
}


def signed_in_api(client: TestClient, email: str, device: str) -> dict[str, str]:
    """Headers with a token got as a program gets one (``POST /auth/token``), from
    ``device`` (its User-Agent)."""
    answer = client.post(
        "/api/v1/auth/token",
        data={"username": email, "password": PASSWORD},
        headers={"User-Agent": device},
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def bearer(user: User, session: Session | None = None) -> dict[str, str]:
    """Headers with a token of a new session of ``user``'s (as a sign-in would open)."""
    session = session or object_session(user)  # type: ignore[assignment]
    assert session is not None
    token, _ = issue_token(session, get_settings(), user=user)  # type: ignore[arg-type]
    # Kept, as a sign-in is: a refused request that rolls back must not end the session.
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def make_organisation(
    session: Session,
    name: str,
    *,
    status: MembershipStatus = MembershipStatus.MEMBER,
    origins: list[str] | None = None,
) -> Organisation:
    return create_organisation(
        session,
        actor=BUILDER,
        data=OrganisationCreate(
            name=name,
            seat_canton="VD",
            seat_city="Lausanne",
            is_diaspora_led=bool(origins),
            diaspora_origins=origins or [],
            membership_status=status,
        ),
    )


def make_partner(
    session: Session, organisation: Organisation, *, country: str = "MA", name: str | None = None
) -> Partner:
    return create_partner(
        session,
        actor=BUILDER,
        data=PartnerCreate(
            name=name or f"Partner of {organisation.name}",
            country=country,
            locality="Tafraout",
            organisation_id=organisation.id,
        ),
    )


def make_user(
    session: Session,
    email: str,
    *roles: Role,
    organisation: Organisation | None = None,
    funder: Funder | None = None,
) -> User:
    return create_user(
        session,
        data=UserCreate(
            email=email,
            full_name=email.split("@")[0].title(),
            password=PASSWORD,
            roles=list(roles),
            organisation_id=organisation.id if organisation else None,
            funder_id=funder.id if funder else None,
        ),
    )


def exchange_rate(
    session: Session, base: str, quote: str, rate: str, *, days_ago: int = 5
) -> ExchangeRate:
    """A rate recorded a few days ago (recent enough for today's conversions)."""
    row = ExchangeRate(
        valid_from=utcnow().date() - timedelta(days=days_ago),
        base=base,
        quote=quote,
        rate=Decimal(rate),
        source="AFC, moyenne mensuelle",
    )
    session.add(row)
    session.commit()
    return row


def call_payload(kind: str = "cooperation", **overrides: Any) -> dict[str, Any]:
    now = utcnow()
    payload: dict[str, Any] = {
        "kind": kind,
        "title": f"Test {kind} call",
        "year": now.year + 1,
        "opens_at": (now - timedelta(days=30)).isoformat(),
        "closes_at": (now + timedelta(days=60)).isoformat(),
        "priorities": [
            {"code": "water", "label": "Eau et assainissement"},
            {"code": "education", "label": "Éducation"},
        ],
        "criteria": [
            {
                "code": "relevance",
                "label": "Pertinence",
                "weight": "2",
                "max_score": "5",
                "threshold": "2.5",
            },
            {"code": "feasibility", "label": "Faisabilité", "weight": "1", "max_score": "5"},
        ],
        "rules": {"min_request": "5000.00", "max_request": "80000.00"},
    }
    if kind == "integration":
        payload["priorities"] = [{"code": "language", "label": "Langue"}]
    return payload | overrides


def make_call(session: Session, actor: Actor, *, open_it: bool = True, **overrides: Any) -> Call:
    call = create_call(
        session, actor=actor, data=CallCreate.model_validate(call_payload(**overrides))
    )
    if open_it:
        perform_transition(
            session,
            machine=CALL_MACHINE,
            entity=call,
            actor=actor,
            acting_roles={Role.SECRETARIAT},
            action="open",
        )
    return call


def proposal_payload(call: Call, partner: Partner | None, **overrides: Any) -> dict[str, Any]:
    """A complete cooperation proposal that passes every rule of the test call."""
    start = utcnow().date() + timedelta(days=120)
    payload: dict[str, Any] = {
        "call_id": call.id,
        "title": "Drinking water for Tafraout",
        "summary": "Pipes and a tank for 350 households.",
        "partner_id": partner.id if partner else None,
        "country": "MA",
        "locality": "Tafraout",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=700)).isoformat(),
        "priorities": ["water"],
        "budget_lines": [
            {"category": "investment", "description": "Pipes and tank", "amount": "60000.00"},
            {"category": "staff", "description": "Local coordinator", "amount": "20000.00"},
        ],
        "financing_lines": [
            {"source": "own_funds", "amount": "10000.00", "status": "confirmed"},
            {"source": "requested", "amount": "40000.00"},
            {
                "source": "other_public",
                "funder_name": "Commune of Morges",
                "amount": "30000.00",
                "status": "requested",
            },
        ],
        "other_funding_requests_declared": True,
        "logframe": {
            "goal": "Safe water in Tafraout",
            "outcomes": [
                {
                    "statement": "Households use tap water",
                    "indicators": [
                        {
                            "name": "Households with tap water",
                            "unit": "households",
                            "baseline": "0",
                            "baseline_year": 2026,
                            "target": "350",
                        }
                    ],
                    "outputs": [
                        {
                            "statement": "Network built",
                            "indicators": [
                                {"name": "Metres of pipe laid", "unit": "m", "target": "4200"}
                            ],
                        }
                    ],
                }
            ],
        },
    }
    return payload | overrides


# Other projects of the same association in the same village: a World's later proposals
# take them in turn, so that they are not taken for one project asked for twice.
OTHER_PROJECTS = [
    (
        "School canteen in Tafraout",
        "Meals cooked from local produce for pupils.",
        "Pupils eat a warm lunch",
        "Children attend class after lunch",
        "Pupils fed daily",
        "Kitchen equipped",
        "Stoves installed",
    ),
    (
        "Women's argan cooperative",
        "Presses and training to sell argan oil.",
        "Cooperative members earn income",
        "Oil sold at fair prices",
        "Litres sold yearly",
        "Presses bought",
        "Presses running",
    ),
    (
        "Solar lights for the clinic",
        "Panels and batteries light the maternity ward.",
        "Births attended at night",
        "Midwives work after dark",
        "Night deliveries assisted",
        "Panels mounted",
        "Kilowatts installed",
    ),
    (
        "Literacy classes for adults",
        "Evening courses in reading and arithmetic.",
        "Adults read and count",
        "Learners pass the reading test",
        "Certificates awarded",
        "Teachers trained",
        "Trainers certified",
    ),
    (
        "Almond orchard irrigation",
        "Drip lines and seedlings for smallholder orchards.",
        "Farmers harvest more almonds",
        "Yields rise",
        "Kilograms harvested per tree",
        "Drip lines laid",
        "Hectares equipped",
    ),
    (
        "Youth football academy",
        "Coaching, kits and a pitch for teenagers.",
        "Teenagers practise sport safely",
        "Girls join the teams",
        "Players enrolled",
        "Pitch levelled",
        "Coaches hired",
    ),
    (
        "Mobile veterinary service",
        "Vaccines and visits for goat herders.",
        "Herds stay healthy",
        "Fewer goats die of disease",
        "Animals vaccinated",
        "Motorbike bought",
        "Villages visited",
    ),
    (
        "Craft market for embroiderers",
        "Stalls and a label for traditional embroidery.",
        "Embroiderers sell directly",
        "Buyers come to the market",
        "Pieces sold monthly",
        "Stalls built",
        "Stands rented",
    ),
]


def other_project(n: int) -> dict[str, Any]:
    title, summary, goal, outcome, indicator, output, output_indicator = OTHER_PROJECTS[
        n % len(OTHER_PROJECTS)
    ]
    # Past the list, the same projects again in later, non-overlapping periods.
    start = utcnow().date() + timedelta(days=120 + 800 * (n // len(OTHER_PROJECTS)))
    return {
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=700)).isoformat(),
        "title": title,
        "summary": summary,
        "logframe": {
            "goal": goal,
            "outcomes": [
                {
                    "statement": outcome,
                    "indicators": [
                        {
                            "name": indicator,
                            "unit": "people",
                            "baseline": "0",
                            "baseline_year": 2026,
                            "target": "350",
                        }
                    ],
                    "outputs": [
                        {
                            "statement": output,
                            "indicators": [{"name": output_indicator, "target": "4200"}],
                        }
                    ],
                }
            ],
        },
    }


@dataclass
class World:
    session: Session
    org_a: Organisation
    org_b: Organisation
    partner_a: Partner
    partner_b: Partner
    funder: Funder
    envelope: Envelope
    call: Call
    integration_call: Call
    admin: User
    secretariat: User
    commission: User
    applicant_a: User
    applicant_b: User
    authority: User
    commission_b: User
    proposals_made: int = 0

    @classmethod
    def build(cls, session: Session) -> "World":
        org_a = make_organisation(session, "Association Tafraout Solidarité", origins=["MA"])
        org_b = make_organisation(session, "Teranga Vaud", origins=["SN"])
        funder = create_funder(
            session,
            data=FunderCreate(
                name="Direction du développement et de la coopération", level=FunderLevel.FEDERAL
            ),
        )
        secretariat = make_user(session, "secretariat@fedevaco.example", Role.SECRETARIAT)
        call = make_call(session, actor_of(secretariat))
        world = cls(
            session=session,
            org_a=org_a,
            org_b=org_b,
            partner_a=make_partner(session, org_a, country="MA"),
            partner_b=make_partner(session, org_b, country="SN"),
            funder=funder,
            envelope=create_envelope(
                session,
                actor=BUILDER,
                funder=funder,
                data=EnvelopeCreate(year=call.year, amount="500000.00"),
            ),  # type: ignore[arg-type]
            call=call,
            integration_call=make_call(session, actor_of(secretariat), kind="integration"),
            admin=make_user(session, "admin@fundflow.example", Role.ADMIN),
            secretariat=secretariat,
            commission=make_user(session, "expert@fedevaco.example", Role.COMMISSION),
            applicant_a=make_user(
                session, "youssef@tafraout.example", Role.APPLICANT, organisation=org_a
            ),
            applicant_b=make_user(
                session, "fatou@teranga.example", Role.APPLICANT, organisation=org_b
            ),
            authority=make_user(session, "beat@ddc.example", Role.AUTHORITY, funder=funder),
            commission_b=make_user(session, "aminata@fedevaco.example", Role.COMMISSION),
        )
        # In the test session a commit only releases a savepoint: the data stays inside the
        # test's transaction, and a failed request rolls back to here, not further.
        session.commit()
        return world

    def headers(self, who: str) -> dict[str, str]:
        return bearer(getattr(self, who), self.session)

    def proposal(
        self, *, owner: str = "a", status: ProposalStatus = ProposalStatus.DRAFT, **overrides: Any
    ) -> Proposal:
        """A proposal of association ``owner`` brought to ``status`` by the real actions."""
        applicant = actor_of(self.applicant_a if owner == "a" else self.applicant_b)
        partner = self.partner_a if owner == "a" else self.partner_b
        if self.proposals_made:
            overrides = other_project(self.proposals_made - 1) | overrides
        self.proposals_made += 1
        if owner == "b":
            overrides = {"country": "SN", "locality": "Podor"} | overrides
        proposal = create_proposal(
            self.session,
            actor=applicant,
            data=ProposalCreate.model_validate(proposal_payload(self.call, partner, **overrides)),
        )
        secretariat = actor_of(self.secretariat)
        for action in PATHS[status]:
            actor = applicant if action in ("submit", "withdraw") else secretariat
            perform_transition(
                self.session,
                machine=PROPOSAL_MACHINE,
                entity=proposal,
                actor=actor,
                acting_roles=policies.acting_roles(actor, proposal),
                action=action,
                comment="Please complete the budget notes.",
            )
        self.session.commit()
        return proposal

    def review(
        self,
        proposal: Proposal,
        who: str,
        scores: dict[str, str | None],
        *,
        recommendation: str = "approve",
        submit: bool = True,
    ) -> Review:
        """``who`` reviews ``proposal`` (None marks a criterion not applicable)."""
        reviewer = getattr(self, who)
        review = assign_reviewer(
            self.session,
            actor=actor_of(self.secretariat),
            proposal=proposal,
            reviewer_id=reviewer.id,
        )
        actor = actor_of(reviewer)
        save_scores(
            self.session,
            actor=actor,
            review=review,
            data=ReviewUpdate.model_validate(
                {
                    "recommendation": recommendation,
                    "scores": [
                        {"criterion": code, "score": value, "not_applicable": value is None}
                        for code, value in scores.items()
                    ],
                }
            ),
        )
        if submit:
            perform_transition(
                self.session,
                machine=REVIEW_MACHINE,
                entity=review,
                actor=actor,
                acting_roles=review_policies.acting_roles(actor, review),
                action="submit",
            )
        self.session.commit()
        return review

    def reviewed(
        self,
        *,
        owner: str = "a",
        scores: tuple[dict[str, str | None], ...] = (
            {"relevance": "4", "feasibility": "3"},
            {"relevance": "4.5", "feasibility": "2"},
        ),
        **overrides: Any,
    ) -> Proposal:
        """A proposal in review with one submitted review per given score sheet."""
        proposal = self.proposal(owner=owner, status=ProposalStatus.IN_REVIEW, **overrides)
        for who, sheet in zip(("commission", "commission_b"), scores, strict=False):
            self.review(proposal, who, sheet)
        return proposal

    def decided(
        self, outcome: str = "approved", content: dict[str, Any] | None = None, **payload: Any
    ) -> Proposal:
        """A reviewed proposal of association A (``content`` overrides its fields) with the
        secretariat's decision."""
        proposal = self.reviewed(**(content or {}))
        secretariat = actor_of(self.secretariat)
        body = {"outcome": outcome, "rationale": "Decided in the test commission."} | payload
        if outcome in ("approved", "approved_with_conditions"):
            body.setdefault("granted_amount", "35000.00")
        if outcome == "approved_with_conditions":
            body.setdefault("conditions", ["Signed partner agreement"])
        perform_transition(
            self.session,
            machine=PROPOSAL_MACHINE,
            entity=proposal,
            actor=secretariat,
            acting_roles={Role.SECRETARIAT},
            action="decide",
            payload=body,
        )
        self.session.commit()
        return proposal

    def meeting(self) -> CommissionSession:
        row = create_session(
            self.session,
            actor=actor_of(self.secretariat),
            data=SessionCreate(
                held_on=date(2027, 4, 15),
                title="Commission technique",
                members_present=[self.commission.id or 0],
            ),
        )
        self.session.commit()
        return row

    def project(self, granted: str = "35000.00", content: dict[str, Any] | None = None) -> Project:
        """An approved proposal's project, in contracting."""
        proposal = self.decided(content=content, granted_amount=granted)
        assert proposal.project is not None
        return proposal.project

    def envelope_of(
        self,
        funder_name: str,
        level: FunderLevel = FunderLevel.COMMUNAL,
        named_publicly: bool = True,
        currency: str = "CHF",
        **data: Any,
    ) -> Envelope:
        funder = create_funder(
            self.session,
            data=FunderCreate(
                name=funder_name, level=level, named_publicly=named_publicly, currency=currency
            ),
        )
        envelope = create_envelope(
            self.session,
            actor=BUILDER,
            funder=funder,
            data=EnvelopeCreate.model_validate(
                {"year": self.call.year, "amount": "100000.00"} | data
            ),
        )
        self.session.commit()
        return envelope

    def commit(
        self, project: Project, envelope: Envelope, amount: str, *, confirm: bool = True
    ) -> Commitment:
        secretariat = actor_of(self.secretariat)
        commitment = create_commitment(
            self.session,
            actor=secretariat,
            project=project,
            data=CommitmentCreate(envelope_id=envelope.id or 0, amount=Decimal(amount)),
        )
        if confirm:
            perform_transition(
                self.session,
                machine=COMMITMENT_MACHINE,
                entity=commitment,
                actor=secretariat,
                acting_roles={Role.SECRETARIAT},
                action="confirm",
            )
        self.session.commit()
        return commitment

    def signed(
        self,
        granted: str = "35000.00",
        content: dict[str, Any] | None = None,
        shares: tuple[tuple[Envelope, str], ...] = (),
    ) -> Project:
        """A project fully committed (by the world's funder, unless ``shares`` say who
        commits what), agreement signed."""
        project = self.project(granted, content)
        for envelope, amount in shares or ((self.envelope, granted),):
            self.commit(project, envelope, amount)
        perform_transition(
            self.session,
            machine=PROJECT_MACHINE,
            entity=project,
            actor=actor_of(self.secretariat),
            acting_roles={Role.SECRETARIAT},
            action="sign_agreement",
        )
        self.session.commit()
        return project

    def complete_report(self, project: Project) -> Report:
        """The project's first report, filled in and ready to submit."""
        report = self.session.exec(
            select(Report).where(Report.project_id == project.id).order_by(col(Report.due_on))
        ).first()
        assert report is not None
        indicators = self.session.exec(
            select(col(Indicator.id)).where(Indicator.proposal_id == project.proposal_id)
        ).all()
        save_content(
            self.session,
            actor=actor_of(self.applicant_a),
            report=report,
            data=ReportUpdate.model_validate(
                {
                    "narrative": "Travaux réalisés.",
                    "own_funds_spent": "0",
                    "indicator_values": [{"indicator_id": i, "value": "1"} for i in indicators],
                    "expenses": [{"category": "investment", "amount": "100.00"}],
                }
            ),
        )
        self.session.commit()
        return report

    def submitted_report(self, project: Project) -> Report:
        """The project's first report, filled in and submitted by its association."""
        report = self.complete_report(project)
        perform_transition(
            self.session,
            machine=REPORT_MACHINE,
            entity=report,
            actor=actor_of(self.applicant_a),
            acting_roles={Role.APPLICANT},
            action="submit",
        )
        self.session.commit()
        return report

    def refund(self) -> Refund:
        """A project terminated after its first tranche was paid: all of it is owed back."""
        project = self.signed()
        secretariat = actor_of(self.secretariat)
        tranche = self.session.exec(
            select(Tranche).where(Tranche.project_id == project.id).order_by(col(Tranche.position))
        ).first()
        assert tranche is not None
        record_disbursement(
            self.session,
            actor=secretariat,
            project=project,
            data=DisbursementCreate(
                tranche_id=tranche.id or 0, paid_on=date(2027, 6, 1), reference="V1"
            ),
        )
        perform_transition(
            self.session,
            machine=PROJECT_MACHINE,
            entity=project,
            actor=secretariat,
            acting_roles={Role.SECRETARIAT},
            action="terminate",
            comment="Partner dissolved.",
        )
        self.session.commit()
        return self.session.exec(select(Refund).where(Refund.project_id == project.id)).one()
