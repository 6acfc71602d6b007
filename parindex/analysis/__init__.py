"""Analysis for notebooks and planning: what-if, where the points are, survey Monte Carlo,
comparison, plots."""
