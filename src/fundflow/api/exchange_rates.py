from datetime import date
from typing import Annotated

from fastapi import File, Query, Response, UploadFile

from fundflow.api.deps import CurrentActor, SecretariatActor
from fundflow.core.deps import SessionDep, SettingsDep
from fundflow.core.inputs import Id
from fundflow.core.money import Amount
from fundflow.core.pagination import Page, PageDep
from fundflow.core.reference import CurrencyCode
from fundflow.core.routing import api_router
from fundflow.funders import rates
from fundflow.funders.schemas import (
    ConversionPublic,
    ExchangeRateCreate,
    ExchangeRatePublic,
    RatesImported,
)

router = api_router(tags=["exchange rates"])


@router.get("/exchange-rates", response_model=Page[ExchangeRatePublic])
def list_rates(
    session: SessionDep,
    _: CurrentActor,
    page: PageDep,
    base: Annotated[CurrencyCode | None, Query()] = None,
    quote: Annotated[CurrencyCode | None, Query()] = None,
) -> Page[ExchangeRatePublic]:
    """The exchange rates recorded, in the order they were entered (everyone signed in:
    they are public figures)."""
    rows, cursor = rates.list_rates(session, page=page, base=base, quote=quote)
    return Page(items=[ExchangeRatePublic.model_validate(r) for r in rows], next_cursor=cursor)


@router.post("/exchange-rates", response_model=ExchangeRatePublic, status_code=201)
def add_rate(
    body: ExchangeRateCreate, session: SessionDep, actor: SecretariatActor
) -> ExchangeRatePublic:
    """Record a rate (secretariat): one unit of `base` is worth `rate` of `quote` from
    `valid_from` until the pair's next rate. 409 when the pair has a rate that day."""
    return ExchangeRatePublic.model_validate(rates.add_rate(session, actor=actor, data=body))


@router.post("/exchange-rates/import", response_model=RatesImported)
def import_rates(
    file: Annotated[UploadFile, File(description="CSV: valid_from,base,quote,rate,source[,units]")],
    session: SessionDep,
    actor: SecretariatActor,
) -> RatesImported:
    """Import rates from a CSV file (secretariat), such as the Swiss Federal Tax
    Administration's monthly averages saved with the columns `valid_from`, `base`,
    `quote`, `rate`, `source` and, where a rate is for 100 units, `units`. All or nothing:
    any wrong line refuses the file (422, each line's problem listed); rates already
    recorded identically are left as they are."""
    added, unchanged = rates.import_rates(session, actor=actor, content=file.file.read())
    return RatesImported(imported=added, unchanged=unchanged)


@router.delete("/exchange-rates/{rate_id}", status_code=204)
def delete_rate(rate_id: Id, session: SessionDep, actor: SecretariatActor) -> Response:
    """Remove a rate entered by mistake (secretariat); amounts already converted keep the
    rate they were converted with."""
    rates.delete_rate(session, actor=actor, rate_id=rate_id)
    return Response(status_code=204)


@router.get("/exchange-rates/conversion", response_model=ConversionPublic)
def convert(
    session: SessionDep,
    settings: SettingsDep,
    _: CurrentActor,
    amount: Annotated[Amount, Query()],
    currency: Annotated[CurrencyCode, Query(alias="from")],
    to_currency: Annotated[CurrencyCode, Query(alias="to")],
    on: Annotated[date, Query(description="The day whose rate applies")],
) -> ConversionPublic:
    """Convert an amount as the service does (the pair's latest rate on or before `on`,
    either way round, no older than FUNDFLOW_EXCHANGE_RATE_MAX_AGE_DAYS; rounded to the
    cent, half to even): 422 `exchange_rate_missing` when there is none."""
    conversion = rates.convert(
        session,
        amount=amount,
        currency=currency,
        to_currency=to_currency,
        on=on,
        settings=settings,
    )
    return ConversionPublic.model_validate(conversion, from_attributes=True)
