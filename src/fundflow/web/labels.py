"""The words people read for the domain's codes (categories, sources, states)."""

from fundflow.core.messages import N_

PROPOSAL_STATES = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "revision_requested": N_("Revision requested"),
    "in_review": N_("In review"),
    "ineligible": N_("Ineligible"),
    "withdrawn": N_("Withdrawn"),
    "approved": N_("Approved"),
    "approved_with_conditions": N_("Approved with conditions"),
    "deferred": N_("Deferred"),
    "rejected": N_("Rejected"),
    "awarded": N_("Awarded"),
    "not_awarded": N_("Not awarded"),
}

NOMINEE_KINDS = {
    "employer": N_("Employer"),
    "association": N_("Association"),
    "school": N_("School or training centre"),
    "public_body": N_("Public body"),
    "other": N_("Other"),
}

NOMINEE_RESPONSES = {
    "pending": N_("Not answered yet"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
}

CALL_KINDS = {
    "cooperation": N_("Development cooperation"),
    "integration": N_("Integration"),
    "award": N_("Award"),
}

BUDGET_CATEGORIES = {
    "investment": N_("Investment"),
    "equipment": N_("Equipment"),
    "staff": N_("Staff"),
    "operations": N_("Running costs"),
    "training": N_("Training"),
    "travel": N_("Travel"),
    "monitoring_evaluation": N_("Monitoring and evaluation"),
    "awareness": N_("Awareness raising in Switzerland"),
    "administration": N_("Administrative costs"),
    "other": N_("Other"),
}

FINANCING_SOURCES = {
    "own_funds": N_("Own funds of the association"),
    "private_donations": N_("Private donations"),
    "in_kind": N_("Contributions in kind"),
    "requested": N_("Amount requested from this call"),
    "other_public": N_("Another public funder"),
    "other": N_("Another funder"),
}

FINANCING_STATUSES = {
    "requested": N_("Requested"),
    "confirmed": N_("Confirmed"),
}

REPORT_KINDS = {
    "interim": N_("Interim report"),
    "final": N_("Final report"),
}

REPORT_STATES = {
    "scheduled": N_("To write"),
    "submitted": N_("Submitted"),
    "changes_requested": N_("Changes requested"),
    "approved": N_("Approved by the secretariat"),
}

PROJECT_STATES = {
    "contracting": N_("Agreement being signed"),
    "active": N_("Under way"),
    "suspended": N_("Suspended"),
    "final_reporting": N_("Final reporting"),
    "closed": N_("Closed"),
    "terminated": N_("Terminated"),
}

TRANCHE_STATES = {
    "pending": N_("Planned"),
    "due": N_("Due"),
    "paid": N_("Paid"),
}

TRANCHE_CONDITIONS = {
    "on_signature": N_("When the agreement is signed"),
    "on_report_approved": N_("When an interim report is approved"),
    "on_final_report_approved": N_("When the final report is approved"),
}

RECOMMENDATIONS = {
    "approve": N_("Fund it"),
    "approve_with_conditions": N_("Fund it, with conditions"),
    "defer": N_("Defer it to a later session"),
    "reject": N_("Do not fund it"),
}

REVIEW_STATES = {
    "assigned": N_("To review"),
    "submitted": N_("Submitted"),
    "declined": N_("Declined (conflict of interest)"),
}

# What happened to a proposal, as its timeline tells it (its events' actions).
PROPOSAL_EVENTS = {
    "create": N_("Proposal started"),
    "update": N_("Proposal changed"),
    "request_advice": N_("Draft shared with the secretariat for advice"),
    "comment": N_("Comment for the association"),
    "submit": N_("Submitted"),
    "withdraw": N_("Withdrawn"),
    "return_for_revision": N_("Returned for revision"),
    "declare_ineligible": N_("Declared ineligible"),
    "accept_for_review": N_("Accepted for review"),
    "decide": N_("Decided"),
    "fulfil_conditions": N_("Conditions fulfilled"),
    "fulfil_condition": N_("A condition fulfilled"),
    "similarity_verdict": N_("Similar request examined"),
    "decline_nomination": N_("Declined by the nominee"),
    "accept_nomination": N_("Accepted by the nominee"),
}

# The actions the secretariat takes on a proposal, as their buttons say.
PROPOSAL_ACTIONS = {
    "submit": N_("Submit"),
    "withdraw": N_("Withdraw"),
    "return_for_revision": N_("Return for revision"),
    "declare_ineligible": N_("Declare ineligible"),
    "accept_for_review": N_("Accept for review"),
    "decide": N_("Decide"),
    "fulfil_conditions": N_("Record the conditions as fulfilled"),
}

# The fields an action's payload may carry, and their values' words.
ACTION_FIELDS = {
    "outcome": N_("Outcome"),
    "granted_amount": N_("Amount granted"),
    "prize_amount": N_("Prize (0 for an honourable mention)"),
    "citation": N_("Citation (public, printed on the certificate)"),
    "conditions": N_("Conditions (one per line)"),
    "rationale": N_("Rationale"),
    "session_id": N_("Commission session (its number)"),
}

ACTION_VALUES = {
    "approved": N_("Approved"),
    "approved_with_conditions": N_("Approved with conditions"),
    "deferred": N_("Deferred"),
    "rejected": N_("Rejected"),
    "awarded": N_("Awarded"),
    "not_awarded": N_("Not awarded"),
}

PROJECT_ACTIONS = {
    "sign_agreement": N_("Record the agreement as signed"),
    "end": N_("End the activities (final reporting)"),
    "suspend": N_("Suspend the project"),
    "resume": N_("Resume the project"),
    "close": N_("Close the project"),
    "terminate": N_("Terminate the project"),
}

REPORT_ACTIONS = {
    "submit": N_("Submit the report"),
    "request_changes": N_("Request changes"),
    "approve": N_("Approve the report"),
}

COMMITMENT_ACTIONS = {
    "confirm": N_("Confirm the commitment"),
    "decline": N_("Decline the commitment"),
    "cancel": N_("Cancel the commitment"),
}

REFUND_ACTIONS = {
    "refund_received": N_("Record the refund as received"),
    "waive": N_("Waive the refund"),
}

COMMITMENT_STATES = {
    "proposed": N_("To confirm"),
    "confirmed": N_("Confirmed"),
    "declined": N_("Declined"),
    "cancelled": N_("Cancelled"),
}

REFUND_STATES = {
    "due": N_("Due"),
    "received": N_("Received"),
    "waived": N_("Waived"),
}

FUNDING_STATUSES = {
    "fundable": N_("Fundable"),
    "reserve": N_("Reserve"),
    "below_threshold": N_("Below the threshold"),
    "not_yet_scored": N_("Not yet scored"),
    "funded": N_("Funded"),
    "not_funded": N_("Not funded"),
}

TENDENCIES = {
    "lenient": N_("Lenient"),
    "harsh": N_("Harsh"),
    "typical": N_("Typical"),
}

CALL_STATES = {
    "draft": N_("Being prepared"),
    "open": N_("Open"),
    "closed": N_("Closed"),
    "archived": N_("Archived"),
}

VERDICTS = {
    "same_project": N_("The same project"),
    "different_project": N_("A different project"),
}

LIKENESS_REASONS = {
    "text": N_("Text"),
    "title": N_("Title"),
    "partner": N_("Partner"),
    "locality": N_("Locality"),
    "country": N_("Country"),
    "period": N_("Period"),
    "organisation": N_("Association"),
}

# A co-financer that asked not to be named is said by its level.
FUNDER_LEVELS = {
    "federal": N_("The Confederation"),
    "cantonal": N_("A canton"),
    "communal": N_("A commune"),
    "private": N_("A private funder"),
    "international": N_("An international funder"),
}
