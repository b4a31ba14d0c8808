"""The demo federation: its member associations, their partners and the funders."""

from typing import Any

from fundflow.funders.models import FunderLevel
from fundflow.organisations.models import MembershipStatus

FEDERATION = "FEDEVACO – Fédération vaudoise de coopération"
M = MembershipStatus

# name, seat city, diaspora origins, membership, partner (name, country, locality, kind)
ASSOCIATIONS: list[tuple[str, str, list[str], MembershipStatus, tuple[str, str, str, str]]] = [
    (
        "Association Tafraout Solidarité",
        "Lausanne",
        ["MA"],
        M.MEMBER,
        ("Association Amazigh pour le développement d'Ammeln", "MA", "Tafraout", "community_based"),
    ),
    (
        "Teranga Vaud",
        "Renens",
        ["SN"],
        M.MEMBER,
        ("GIE des femmes transformatrices de Podor", "SN", "Podor", "cooperative"),
    ),
    (
        "Ura – Association kosovare de Vaud",
        "Yverdon-les-Bains",
        ["XK"],
        M.MEMBER,
        ("Qendra Rinore Drenas", "XK", "Drenas", "ngo"),
    ),
    (
        "Asociación Inti Raymi Lausanne",
        "Lausanne",
        ["PE"],
        M.MEMBER,
        ("Asociación Chirapaq Ayacucho", "PE", "Ayacucho", "ngo"),
    ),
    (
        "Colombia Vive Vaud",
        "Vevey",
        ["CO"],
        M.MEMBER,
        ("Corporación Mujeres del Cauca", "CO", "Popayán", "ngo"),
    ),
    (
        "Association Sahel Yverdon",
        "Yverdon-les-Bains",
        ["ML"],
        M.MEMBER,
        ("Association Benkadi de Ségou", "ML", "Ségou", "community_based"),
    ),
    (
        "Bolivia Andina Vaud",
        "Nyon",
        ["BO"],
        M.MEMBER,
        ("Fundación Tierra Viva", "BO", "Cochabamba", "ngo"),
    ),
    (
        "Tamil Solidarity Vaud",
        "Lausanne",
        ["LK"],
        M.APPLICANT,
        ("Jaffna Rural Women's Network", "LK", "Jaffna", "community_based"),
    ),
    (
        "Haïti Avenir Vevey",
        "Vevey",
        ["HT"],
        M.SUSPENDED,
        ("Fondasyon Lespwa Jakmèl", "HT", "Jacmel", "ngo"),
    ),
    (
        "Eau Vive Morges",
        "Morges",
        [],
        M.MEMBER,
        ("Fikambanana Rano Madagasikara", "MG", "Antsirabe", "ngo"),
    ),
    (
        "Amitié Suisse–Burkina",
        "Pully",
        [],
        M.MEMBER,
        ("Association Wend Panga de Koudougou", "BF", "Koudougou", "ngo"),
    ),
    (
        "Centre Femmes Migrantes Lausanne",
        "Lausanne",
        [],
        M.NONE,
        ("Centre Femmes Migrantes – antenne de Renens", "CH", "Renens", "ngo"),
    ),
]

FUNDERS: list[tuple[str, FunderLevel, list[dict[str, Any]]]] = [
    (
        "Direction du développement et de la coopération (DDC)",
        FunderLevel.FEDERAL,
        [
            {
                "amount": "1200000.00",
                "use_abroad_only": True,
                "eligible_call_kinds": ["cooperation"],
                "max_share_per_project": "0.40",
                "label": "Contribution de programme",
            }
        ],
    ),
    (
        "Canton de Vaud – Coopération au développement",
        FunderLevel.CANTONAL,
        [
            {
                "amount": "850000.00",
                "eligible_call_kinds": ["cooperation"],
                "max_amount_per_project": "40000.00",
                "label": "Subvention cantonale",
            }
        ],
    ),
    (
        "Canton de Vaud – Bureau cantonal pour l'intégration (BCI)",
        FunderLevel.CANTONAL,
        [
            {
                "amount": "600000.00",
                "eligible_call_kinds": ["integration"],
                "eligible_countries": ["CH"],
                "label": "Programme d'intégration cantonal 2024–2027",
            }
        ],
    ),
    ("Ville de Lausanne", FunderLevel.COMMUNAL, [{"amount": "250000.00"}]),
    ("Commune de Morges", FunderLevel.COMMUNAL, [{"amount": "60000.00"}]),
    ("Commune d'Yverdon-les-Bains", FunderLevel.COMMUNAL, [{"amount": "80000.00"}]),
]

# Associations that opted in to the public directory (index in ASSOCIATIONS, its entry).
DIRECTORY: list[tuple[int, dict[str, object]]] = [
    (
        0,
        {
            "listed": True,
            "presentation": "Des Vaudois originaires de l'Anti-Atlas qui amènent l'eau "
            "potable et l'école dans les douars d'Ammeln, avec une association locale.",
            "themes": ["water"],
            "initiatives": [
                {
                    "title": "Cours de darija et d'amazigh pour enfants",
                    "country": "CH",
                    "locality": "Lausanne",
                    "theme": "education",
                },
            ],
            "show_city": True,
        },
    ),
    (
        1,
        {
            "listed": True,
            "presentation": "Une association sénégalaise de l'Ouest lausannois qui soutient "
            "les groupements de femmes de la vallée du fleuve.",
            "themes": ["food_security", "gender_equality"],
            "initiatives": [
                {
                    "title": "Jardins maraîchers de Podor",
                    "country": "SN",
                    "locality": "Podor",
                    "theme": "food_security",
                },
            ],
            "show_city": False,
        },
    ),
]
