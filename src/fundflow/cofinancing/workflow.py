"""The commitment's state machine: proposed → confirmed | declined; → cancelled."""

from fundflow.cofinancing.models import Commitment, CommitmentStatus
from fundflow.cofinancing.service import nothing_disbursed, project_not_signed, release_envelope
from fundflow.core.roles import Role
from fundflow.core.workflow import Machine, transition

S = CommitmentStatus
FUNDER_SIDE = [Role.AUTHORITY, Role.SECRETARIAT]

COMMITMENT_MACHINE: Machine[Commitment] = Machine(
    entity_type="commitment",
    states=frozenset(S),
    transitions=(
        transition("confirm", [S.PROPOSED], S.CONFIRMED, FUNDER_SIDE),
        transition("decline", [S.PROPOSED], S.DECLINED, FUNDER_SIDE, effects=(release_envelope,)),
        transition(
            "cancel",
            [S.PROPOSED, S.CONFIRMED],
            S.CANCELLED,
            [Role.SECRETARIAT],
            guards=(nothing_disbursed, project_not_signed),
            effects=(release_envelope,),
        ),
    ),
)
