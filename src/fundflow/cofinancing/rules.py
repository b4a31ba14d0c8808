"""An envelope's rules applied to one commitment. Pure: the optimizer uses them too."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from fundflow.core.errors import Violation
from fundflow.core.messages import N_, Message
from fundflow.core.money import format_amount
from fundflow.funders.models import Envelope

SWITZERLAND = "CH"


@dataclass(frozen=True)
class Target:
    """What an envelope's rules look at in the project to fund."""

    call_id: int
    call_kind: str
    call_year: int
    country: str | None
    granted: Decimal
    # The call's: the grant's and the commitments' ``amount``.
    currency: str = "CHF"


def eligibility_violations(envelope: Envelope, target: Target) -> list[Violation]:
    """Rules that refuse the envelope for this project whatever the amount."""
    problems = []
    if envelope.year != target.call_year:
        problems.append(
            Violation(
                "envelope_year",
                Message(
                    N_("The envelope is for %(envelope)s, the call for %(call)s."),
                    {"envelope": envelope.year, "call": target.call_year},
                ),
            )
        )
    if envelope.call_id is not None and envelope.call_id != target.call_id:
        problems.append(
            Violation("envelope_call", N_("The envelope is reserved for another call."))
        )
    if envelope.eligible_call_kinds and target.call_kind not in envelope.eligible_call_kinds:
        problems.append(
            Violation(
                "eligible_call_kinds",
                Message(
                    N_("The envelope funds %(kinds)s calls, not %(kind)s."),
                    {"kinds": ", ".join(envelope.eligible_call_kinds), "kind": target.call_kind},
                ),
            )
        )
    if envelope.eligible_countries and target.country not in envelope.eligible_countries:
        problems.append(
            Violation(
                "eligible_countries",
                Message(
                    N_("The envelope funds projects in %(countries)s, not in %(country)s."),
                    {
                        "countries": ", ".join(envelope.eligible_countries),
                        "country": target.country,
                    },
                ),
            )
        )
    if envelope.use_abroad_only and target.country in (None, SWITZERLAND):
        problems.append(
            Violation(
                "use_abroad_only",
                N_("The envelope's money may only be spent in partner countries."),
            )
        )
    return problems


def cap_for(
    envelope: Envelope,
    target: Target,
    in_target_currency: Callable[[Decimal], Decimal] = lambda amount: amount,
) -> Decimal:
    """The most this envelope may give the project (share and amount caps), in the
    project's currency (``in_target_currency`` converts the envelope's amounts)."""
    cap = target.granted
    if envelope.max_share_per_project is not None:
        cap = min(
            cap,
            (target.granted * envelope.max_share_per_project).quantize(
                Decimal("0.01"), rounding="ROUND_DOWN"
            ),
        )
    if envelope.max_amount_per_project is not None:
        cap = min(cap, in_target_currency(envelope.max_amount_per_project))
    return cap


def amount_violations(
    envelope: Envelope,
    target: Target,
    *,
    already: Decimal,
    amount: Decimal,
    funder_already: Decimal | None = None,
    funder_amount: Decimal | None = None,
) -> list[Violation]:
    """Caps on what one envelope gives one project, counting what it already gives: the
    share of the grant in the project's currency, the amount per project in the
    envelope's (``funder_…``, the same as the others in one currency)."""
    problems = []
    total = already + amount
    funder_total = (
        total
        if funder_amount is None
        else (funder_already if funder_already is not None else already) + funder_amount
    )
    share = envelope.max_share_per_project
    if share is not None and total > target.granted * share:
        problems.append(
            Violation(
                "max_share_per_project",
                Message(
                    N_("%(total)s would be more than %(share)s %% of the grant of %(granted)s."),
                    {
                        "total": format_amount(total),
                        "share": f"{(share * 100).normalize():f}",
                        "granted": format_amount(target.granted),
                    },
                ),
            )
        )
    cap = envelope.max_amount_per_project
    if cap is not None and funder_total > cap:
        problems.append(
            Violation(
                "max_amount_per_project",
                Message(
                    N_("%(total)s would exceed the envelope's %(cap)s per project."),
                    {"total": format_amount(funder_total), "cap": format_amount(cap)},
                ),
            )
        )
    return problems
