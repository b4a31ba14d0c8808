"""The state machines the pages act through, each with who acts in it: a record's
actions are listed (``forms``) and taken (``take``) the same way on every page."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData

from fundflow.cofinancing import policies as commitment_policies
from fundflow.cofinancing.workflow import COMMITMENT_MACHINE
from fundflow.core.actor import Actor
from fundflow.core.workflow import Machine
from fundflow.lifecycle.project import PROJECT_MACHINE
from fundflow.lifecycle.proposal import PROPOSAL_MACHINE
from fundflow.monitoring import policies as monitoring_policies
from fundflow.monitoring.workflow import REFUND_MACHINE, REPORT_MACHINE
from fundflow.projects import policies as project_policies
from fundflow.proposals import policies as proposal_policies
from fundflow.web.action_forms import ActionForm, Taken, action_forms, take_action
from fundflow.web.deps import SignedInViewer


@dataclass(frozen=True)
class Workflow:
    machine: Machine[Any]
    acting_roles: Callable[[Actor, Any], frozenset[str]]

    def forms(
        self,
        session: Session,
        viewer: SignedInViewer,
        entity: Any,
        *,
        only: str | None = None,
        leaving_out: Iterable[str] = (),
    ) -> list[ActionForm]:
        """The actions open now on ``entity`` for the person (``only`` one of them)."""
        forms = action_forms(
            session,
            viewer,
            machine=self.machine,
            entity=entity,
            acting_roles=self.acting_roles(viewer.actor, entity),
            leaving_out=leaving_out,
        )
        return [f for f in forms if only is None or f.option.action == only]

    def take(
        self,
        session: Session,
        viewer: SignedInViewer,
        entity: Any,
        form: FormData,
        *,
        prefix: str = "",
    ) -> Taken:
        return take_action(
            session,
            viewer,
            machine=self.machine,
            entity=entity,
            acting_roles=self.acting_roles(viewer.actor, entity),
            form=form,
            prefix=prefix,
        )


PROPOSAL = Workflow(PROPOSAL_MACHINE, proposal_policies.acting_roles)
PROJECT = Workflow(PROJECT_MACHINE, project_policies.acting_roles)
REPORT = Workflow(REPORT_MACHINE, monitoring_policies.report_acting_roles)
COMMITMENT = Workflow(COMMITMENT_MACHINE, commitment_policies.acting_roles)
REFUND = Workflow(REFUND_MACHINE, monitoring_policies.refund_acting_roles)
