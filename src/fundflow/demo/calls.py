"""The demo calls and the proposals associations wrote for them."""

from typing import Any

COOPERATION_CALL: dict[str, Any] = {
    "kind": "cooperation",
    "year": 2027,
    "title": "Cofinancement de projets de coopération 2027",
    "description": "Appel annuel de la fédération pour les projets de ses associations membres "
    "et de leurs partenaires du Sud et de l'Est.",
    "opens_at": "2026-11-01T00:00:00Z",
    "closes_at": "2027-03-31T23:59:59Z",
    "currency": "CHF",
    "priorities": [
        {"code": "water", "label": "Eau et assainissement", "label_en": "Water and sanitation"},
        {"code": "food_security", "label": "Sécurité alimentaire", "label_en": "Food security"},
        {"code": "education", "label": "Éducation et formation", "label_en": "Education"},
        {"code": "health", "label": "Santé", "label_en": "Health"},
        {
            "code": "economic_inclusion",
            "label": "Insertion économique",
            "label_en": "Economic inclusion",
        },
        {"code": "gender_equality", "label": "Égalité de genre", "label_en": "Gender equality"},
    ],
    "criteria": [
        {
            "code": "relevance",
            "label": "Pertinence",
            "weight": "2",
            "max_score": "5",
            "threshold": "2.5",
            "guidance": {
                "1": "Le projet ne répond à aucune priorité de l'appel ni à un besoin établi.",
                "3": "Il répond à une priorité ; le besoin est décrit mais peu documenté.",
                "5": "Il répond à une priorité avec un besoin documenté par les bénéficiaires.",
            },
        },
        {
            "code": "partnership",
            "label": "Qualité du partenariat",
            "weight": "2",
            "max_score": "5",
            "threshold": "2.5",
            "guidance": {
                "1": "Le partenaire n'a pas pris part à la conception du projet.",
                "3": "Le partenaire a été consulté ; les rôles restent flous.",
                "5": "Le projet est conçu ensemble, rôles et décisions partagés par écrit.",
            },
        },
        {"code": "feasibility", "label": "Faisabilité", "weight": "1.5", "max_score": "5"},
        {"code": "sustainability", "label": "Durabilité", "weight": "1.5", "max_score": "5"},
        {"code": "budget", "label": "Budget et efficience", "weight": "1", "max_score": "5"},
        {
            "code": "awareness",
            "label": "Sensibilisation en Suisse",
            "weight": "0.5",
            "max_score": "5",
            "optional": True,
        },
    ],
    "rules": {"min_request": "5000.00", "max_request": "80000.00"},
}

INTEGRATION_CALL: dict[str, Any] = {
    "kind": "integration",
    "year": 2027,
    "title": "Appel à projets intégration 2027 (PIC 2024–2027)",
    "description": "Projets d'intégration des personnes migrantes dans le canton de Vaud.",
    "opens_at": "2026-10-15T00:00:00Z",
    "closes_at": "2027-01-31T23:59:59Z",
    "currency": "CHF",
    "priorities": [
        {
            "code": "information_counselling",
            "label": "Information et conseil",
            "label_en": "Information and counselling",
        },
        {
            "code": "diversity_protection",
            "label": "Diversité et protection contre la discrimination",
            "label_en": "Diversity and protection against discrimination",
        },
        {"code": "language", "label": "Langue", "label_en": "Language"},
        {"code": "early_childhood", "label": "Petite enfance", "label_en": "Early childhood"},
        {"code": "employability", "label": "Employabilité", "label_en": "Employability"},
        {"code": "living_together", "label": "Vivre ensemble", "label_en": "Living together"},
    ],
    "criteria": [
        {"code": "relevance", "label": "Pertinence pour le PIC", "weight": "2", "max_score": "5"},
        {
            "code": "target_reach",
            "label": "Atteinte du public cible",
            "weight": "1.5",
            "max_score": "5",
        },
        {"code": "feasibility", "label": "Faisabilité", "weight": "1", "max_score": "5"},
        {
            "code": "cost_effectiveness",
            "label": "Rapport coût-efficacité",
            "weight": "1",
            "max_score": "5",
        },
    ],
    "rules": {"min_request": "2000.00", "max_request": "40000.00"},
}


def _project(
    title: str,
    summary: str,
    country: str,
    locality: str,
    priority: str,
    budget: int,
    requested: int,
    outcome: str,
    indicator: tuple[str, str, str],
) -> dict:
    own = budget // 5
    other = budget - own - requested
    financing = [
        {"source": "own_funds", "amount": f"{own}.00", "status": "confirmed"},
        {"source": "requested", "amount": f"{requested}.00"},
    ]
    if other > 0:
        financing.append(
            {
                "source": "other_public",
                "funder_name": "Ville de Lausanne",
                "amount": f"{other}.00",
                "status": "requested",
            }
        )
    name, unit, target = indicator
    return {
        "title": title,
        "summary": summary,
        "country": country,
        "locality": locality,
        "start_date": "2027-05-01",
        "end_date": "2028-10-31",
        "priorities": [priority],
        "budget_lines": [
            {
                "category": "investment",
                "description": "Travaux et équipements",
                "amount": f"{budget * 6 // 10}.00",
            },
            {
                "category": "staff",
                "description": "Coordination locale",
                "amount": f"{budget * 3 // 10}.00",
            },
            {
                "category": "monitoring_evaluation",
                "description": "Suivi et évaluation",
                "amount": f"{budget - budget * 6 // 10 - budget * 3 // 10}.00",
            },
        ],
        "financing_lines": financing,
        "other_funding_requests_declared": other > 0,
        "logframe": {
            "goal": summary,
            "outcomes": [
                {
                    "statement": outcome,
                    "indicators": [
                        {
                            "name": name,
                            "unit": unit,
                            "baseline": "0",
                            "baseline_year": 2026,
                            "target": target,
                        }
                    ],
                    "outputs": [
                        {"statement": "Les activités prévues sont réalisées", "indicators": []}
                    ],
                }
            ],
        },
    }


# association index, call, payload, actions taken (applicant then secretariat)
PROPOSALS: list[tuple[int, str, dict[str, Any], list[tuple[str, str | None]]]] = [
    (
        0,
        "cooperation",
        _project(
            "Eau potable pour les douars d'Ammeln",
            "Adduction d'eau et réservoir pour 350 foyers.",
            "MA",
            "Tafraout",
            "water",
            80000,
            40000,
            "Les foyers ont accès à l'eau potable",
            ("Foyers raccordés au réseau", "foyers", "350"),
        ),
        [("submit", None), ("accept_for_review", None)],
    ),
    (
        1,
        "cooperation",
        _project(
            "Transformation des céréales locales à Podor",
            "Unité de transformation du mil gérée par un GIE de 60 femmes.",
            "SN",
            "Podor",
            "economic_inclusion",
            64000,
            30000,
            "Les revenus des membres du GIE augmentent",
            ("Revenu mensuel moyen des membres", "XOF", "45000"),
        ),
        [("submit", None), ("accept_for_review", None)],
    ),
    (
        2,
        "cooperation",
        _project(
            "Centre de jeunesse de Drenas",
            "Formation numérique pour 120 jeunes.",
            "XK",
            "Drenas",
            "education",
            50000,
            25000,
            "Les jeunes formés trouvent un emploi ou un stage",
            ("Jeunes certifiés", "personnes", "120"),
        ),
        [
            ("submit", None),
            (
                "return_for_revision",
                "Merci de préciser le rôle du partenaire dans la sélection des jeunes.",
            ),
        ],
    ),
    (
        3,
        "cooperation",
        _project(
            "Semences andines à Ayacucho",
            "Banques de semences natives dans 8 communautés.",
            "PE",
            "Ayacucho",
            "food_security",
            42000,
            21000,
            "Les communautés conservent leurs semences",
            ("Communautés avec une banque de semences", "communautés", "8"),
        ),
        [("submit", None)],
    ),
    (
        4,
        "cooperation",
        _project(
            "Maisons des femmes du Cauca",
            "Accompagnement juridique de femmes victimes de violence.",
            "CO",
            "Popayán",
            "gender_equality",
            70000,
            35000,
            "Les femmes accompagnées accèdent à la justice",
            ("Femmes accompagnées", "personnes", "400"),
        ),
        [("submit", None), ("accept_for_review", None)],
    ),
    (
        5,
        "cooperation",
        _project(
            "Maraîchage solidaire à Ségou",
            "Périmètre maraîcher irrigué de 4 hectares.",
            "ML",
            "Ségou",
            "food_security",
            56000,
            28000,
            "Les familles diversifient leur alimentation",
            ("Familles bénéficiaires", "familles", "150"),
        ),
        [],
    ),
    (
        6,
        "cooperation",
        _project(
            "Agroforesterie dans la vallée de Cochabamba",
            "Reboisement et formation de 90 paysans.",
            "BO",
            "Cochabamba",
            "food_security",
            38000,
            19000,
            "Les parcelles sont reboisées",
            ("Hectares reboisés", "ha", "45"),
        ),
        [("withdraw", None)],
    ),
    (
        9,
        "cooperation",
        _project(
            "Latrines scolaires à Antsirabe",
            "Blocs sanitaires pour 6 écoles primaires.",
            "MG",
            "Antsirabe",
            "water",
            30000,
            15000,
            "Les écoles disposent d'installations sanitaires",
            ("Écoles équipées", "écoles", "6"),
        ),
        [
            ("submit", None),
            (
                "declare_ineligible",
                "Le projet a déjà reçu un financement de la fédération en 2026.",
            ),
        ],
    ),
    (
        11,
        "integration",
        {
            **_project(
                "Cafés-langue pour femmes migrantes",
                "Ateliers de français hebdomadaires.",
                "CH",
                "Lausanne",
                "language",
                24000,
                16000,
                "Les participantes progressent d'un niveau de langue",
                ("Participantes ayant progressé d'un niveau", "personnes", "60"),
            ),
            "start_date": "2027-03-01",
            "end_date": "2028-02-15",
            "financing_lines": [
                {"source": "own_funds", "amount": "4000.00", "status": "confirmed"},
                {"source": "private_donations", "amount": "4000.00", "status": "confirmed"},
                {"source": "requested", "amount": "16000.00"},
            ],
            "other_funding_requests_declared": False,
        },
        [("submit", None)],
    ),
    (
        # The first project asked for again under another title: the secretariat's
        # GET /proposals/{id}/similar finds it.
        0,
        "cooperation",
        _project(
            "Accès à l'eau potable à Ammeln",
            "Réservoir et adduction d'eau pour les 350 foyers des douars d'Ammeln.",
            "MA",
            "Tafraout",
            "water",
            80000,
            40000,
            "Les foyers des douars ont accès à l'eau potable",
            ("Foyers raccordés au réseau d'eau", "foyers", "350"),
        ),
        [("submit", None)],
    ),
]
