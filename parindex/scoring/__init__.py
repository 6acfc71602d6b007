"""The dossier and the scoring engine: load a dossier folder, score its inputs against the
framework (exact Decimal arithmetic), the scorecard."""
