"""The demo's award round, open for nominations."""

from typing import Any

AWARD_ROUND: dict[str, Any] = {
    "kind": "award",
    "year": 2027,
    "title": "Prix cantonal de l'intégration 2027",
    "description": "Le prix distingue les employeurs qui intègrent des personnes migrantes et "
    "les initiatives de la diaspora. Chacun peut proposer une organisation, ou la sienne.",
    "opens_at": "2026-11-01T00:00:00Z",
    "closes_at": "2027-02-28T23:59:59Z",
    "currency": "CHF",
    "categories": [
        {"code": "employer", "label": "Employeur intégrant", "label_en": "Integrating employer"},
        {
            "code": "diaspora",
            "label": "Initiative de la diaspora",
            "label_en": "Diaspora initiative",
        },
        {"code": "school", "label": "École et formation", "label_en": "School and training"},
    ],
    "criteria": [
        {
            "code": "impact",
            "label": "Effets pour les personnes migrantes",
            "weight": "2",
            "max_score": "5",
        },
        {
            "code": "lasting",
            "label": "Durée et constance de l'engagement",
            "weight": "1",
            "max_score": "5",
        },
        {"code": "example", "label": "Valeur d'exemple", "weight": "1", "max_score": "5"},
    ],
}
