"""The demo users, the commission's work, and the approved project's funding."""

from typing import Any

from fundflow.core.roles import Role
from fundflow.demo.federation import FUNDERS

DEMO_USERS: list[tuple[str, str, list[Role], int | None, str | None]] = [
    # email, full name, roles, association index, funder name
    ("admin@fundflow.example", "Admin Fundflow", [Role.ADMIN], None, None),
    ("secretariat@fedevaco.example", "Claire Rochat", [Role.SECRETARIAT], None, None),
    ("commission@fedevaco.example", "Jean-Marc Favre", [Role.COMMISSION], None, None),
    ("commission2@fedevaco.example", "Aminata Diallo", [Role.COMMISSION], None, None),
    ("applicant@tafraout.example", "Youssef El Amrani", [Role.APPLICANT], 0, None),
    ("applicant@teranga.example", "Fatou Ndiaye", [Role.APPLICANT], 1, None),
    ("applicant@femmes-migrantes.example", "Nadia Berisha", [Role.APPLICANT], 11, None),
    ("authority@ddc.example", "Beat Keller", [Role.AUTHORITY], None, FUNDERS[0][0]),
    # A commission member who also belongs to an association: never its reviewer.
    ("karim@tafraout.example", "Karim Benali", [Role.COMMISSION, Role.APPLICANT], 0, None),
]


COMMISSION_PROFILES: dict[str, dict[str, Any]] = {
    "commission@fedevaco.example": {
        "sectors": ["water", "food_security"],
        "countries": ["MA", "SN", "ML", "MG"],
        "languages": ["fr"],
    },
    "commission2@fedevaco.example": {
        "sectors": ["gender_equality", "education", "economic_inclusion"],
        "countries": ["SN", "CO", "PE", "BO"],
        "languages": ["fr", "es", "en"],
    },
    "karim@tafraout.example": {
        "sectors": ["water", "education"],
        "countries": ["MA", "XK"],
        "languages": ["fr", "ar"],
    },
}

# Score sheets of the reviews, per proposal title, in the order reviewers were assigned:
# relevance, partnership, feasibility, sustainability, budget, awareness (None: n/a).
# A sheet of None leaves that review open, for the demo commission member to complete.
REVIEW_SHEETS: dict[str, list[tuple[Any, ...] | None]] = {
    "Eau potable pour les douars d'Ammeln": [
        ("4.5", "4", "4", "3.5", "4", "3"),
        ("4", "4.5", "3.5", "4", "3.5", None),
    ],
    "Transformation des céréales locales à Podor": [
        ("3.5", "4", "3", "3", "3.5", "2.5"),
        ("3", "3.5", "2.5", "3", "3", None),
    ],
    "Maisons des femmes du Cauca": [("4", "3.5", "3", "3.5", "3", "4"), None],
}
SESSION = {
    "held_on": "2026-11-26",
    "title": "Commission technique – novembre 2026",
    "location": "Lausanne, Maison de la coopération",
}
DECISION = {
    "title": "Eau potable pour les douars d'Ammeln",
    "outcome": "approved",
    "granted_amount": "38000.00",
    "rationale": "Projet pertinent, partenaire solide; budget de coordination réduit.",
}

# The approved project's co-financing: funder, amount, confirmed yet? The federal agency's
# share waits for its demo authority user to confirm it.
COMMITMENTS: list[tuple[str, str, bool]] = [
    ("Direction du développement et de la coopération (DDC)", "15200.00", False),
    ("Canton de Vaud – Coopération au développement", "15000.00", True),
    ("Ville de Lausanne", "7800.00", True),
]
