"""The commission's members: expertise, affiliations and current load."""

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from fundflow.accounts.models import User
from fundflow.core.actor import Actor
from fundflow.core.errors import not_found
from fundflow.core.pagination import PageParams, fetch_page
from fundflow.core.transitions import record_event
from fundflow.reviews.models import CommissionProfile, Review, ReviewStatus
from fundflow.reviews.schemas import CommissionMemberPublic, CommissionProfileIn
from fundflow.reviews.service import (
    Member,
    commission_members,
    commission_members_query,
    with_profiles,
)


def _public(member: Member, counts: dict[tuple[int, str], int]) -> CommissionMemberPublic:
    profile = member.profile or CommissionProfile(user_id=member.id)
    return CommissionMemberPublic(
        user_id=member.id,
        full_name=member.user.full_name,
        email=member.user.email,
        sectors=profile.sectors,
        countries=profile.countries,
        languages=profile.languages,
        affiliated_organisation_ids=profile.affiliated_organisation_ids,
        affiliated_partner_ids=profile.affiliated_partner_ids,
        max_reviews_per_call=profile.max_reviews_per_call,
        open_reviews=counts.get((member.id, ReviewStatus.ASSIGNED), 0),
        submitted_reviews=counts.get((member.id, ReviewStatus.SUBMITTED), 0),
    )


def _review_counts(session: Session, user_ids: list[Any]) -> dict[tuple[int, str], int]:
    rows = session.execute(
        sa.select(col(Review.reviewer_id), col(Review.status), sa.func.count())
        .where(col(Review.reviewer_id).in_(user_ids))
        .group_by(col(Review.reviewer_id), col(Review.status))
    ).all()
    return {(reviewer, str(status)): count for reviewer, status, count in rows}


def list_members(
    session: Session, *, page: PageParams
) -> tuple[list[CommissionMemberPublic], str | None]:
    users, cursor = fetch_page(session, commission_members_query(), col(User.id), page)
    counts = _review_counts(session, [user.id for user in users])
    return [_public(member, counts) for member in with_profiles(session, users)], cursor


def set_profile(
    session: Session, *, actor: Actor, user_id: int, data: CommissionProfileIn
) -> CommissionMemberPublic:
    member = next((m for m in commission_members(session) if m.id == user_id), None)
    if member is None:
        raise not_found("Commission member", user_id)
    profile = member.profile or CommissionProfile(user_id=user_id)
    for name, value in data.model_dump().items():
        setattr(profile, name, value)
    profile.version += 1 if member.profile is not None else 0
    session.add(profile)
    session.flush()
    record_event(
        session,
        entity_type="commission_member",
        entity_id=user_id,
        action="update",
        actor=actor,
        data={"fields": sorted(data.model_fields_set)},
    )
    return _public(Member(member.user, profile), _review_counts(session, [user_id]))
