"""A hand-built corpus: one water project in Aït Mansour, told several ways, and other
projects of the same association in the same village."""

from typing import Any


def logframe(goal: str, outcome: str, indicator: str, outputs: list[tuple[str, str]]) -> dict:
    return {
        "goal": goal,
        "outcomes": [
            {
                "statement": outcome,
                "indicators": [
                    {"name": indicator, "unit": "foyers", "baseline": "0", "target": "350"}
                ],
                "outputs": [
                    {"statement": statement, "indicators": [{"name": name, "target": "10"}]}
                    for statement, name in outputs
                ],
            }
        ],
    }


WATER: dict[str, Any] = {
    "title": "Eau potable pour les douars d'Aït Mansour",
    "summary": (
        "Construction d'un réservoir de 80 m³ et pose de 4 km de conduites pour raccorder "
        "350 foyers des douars d'Aït Mansour au réseau d'eau potable. Un comité villageois "
        "de gestion de l'eau est formé à l'entretien et à la collecte des redevances."
    ),
    "locality": "Aït Mansour",
    "logframe": logframe(
        "Les familles d'Aït Mansour disposent d'une eau potable sûre toute l'année",
        "Les foyers utilisent l'eau du robinet au lieu des sources",
        "Foyers raccordés au réseau",
        [
            ("Réservoir et conduites construits", "Mètres de conduite posés"),
            ("Comité de gestion de l'eau formé", "Membres du comité formés"),
        ],
    ),
}

# The same project asked for again under a new title, its text lightly reworded.
WATER_RETITLED: dict[str, Any] = {
    "title": "Accès à l'eau pour les familles de la vallée",
    "summary": (
        "Construire un réservoir de 80 m³ et poser 4 km de conduites afin de raccorder les "
        "350 foyers des douars d'Aït Mansour au réseau d'eau potable ; un comité villageois "
        "de gestion de l'eau sera formé à l'entretien et à la collecte des redevances."
    ),
    "locality": "Ait Mansour",
    "logframe": logframe(
        "Les familles d'Aït Mansour ont une eau potable sûre toute l'année",
        "Les foyers utilisent l'eau du robinet plutôt que les sources",
        "Foyers raccordés",
        [
            ("Réservoir et conduites construits", "Conduites posées (mètres)"),
            ("Comité de gestion de l'eau formé", "Membres du comité formés"),
        ],
    ),
}

# A second phase: the same network extended to the upper douars.
WATER_PHASE_TWO: dict[str, Any] = {
    "title": "Eau potable pour les douars d'Aït Mansour, phase 2",
    "summary": (
        "Extension du réseau d'eau potable d'Aït Mansour : pose de 3 km de conduites pour "
        "raccorder 150 foyers des douars du haut au réservoir. Le comité villageois de "
        "gestion de l'eau est formé à l'entretien et à la collecte des redevances."
    ),
    "locality": "Aït Mansour",
    "logframe": logframe(
        "Les familles d'Aït Mansour disposent d'une eau potable sûre toute l'année",
        "Les foyers des douars du haut utilisent l'eau du robinet au lieu des sources",
        "Foyers raccordés au réseau",
        [
            ("Conduites construites", "Mètres de conduite posés"),
            ("Comité de gestion de l'eau formé", "Membres du comité formés"),
        ],
    ),
}

# Another project of the same association, same partner, same village, same years.
CANTEEN: dict[str, Any] = {
    "title": "Cantine scolaire de l'école d'Aït Mansour",
    "summary": (
        "Équiper la cuisine de l'école primaire et servir chaque jour un repas chaud aux "
        "180 élèves, préparé avec les produits des coopératives agricoles locales. Les "
        "parents d'élèves gèrent les menus et l'approvisionnement."
    ),
    "locality": "Aït Mansour",
    "logframe": logframe(
        "Les enfants d'Aït Mansour suivent la classe l'après-midi",
        "Les élèves mangent un repas équilibré à midi",
        "Élèves servis chaque jour",
        [
            ("Cuisine équipée", "Fourneaux installés"),
            ("Association des parents formée aux achats", "Parents formés"),
        ],
    ),
}
