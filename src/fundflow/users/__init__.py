"""User administration (above the reference data it links people to)."""
