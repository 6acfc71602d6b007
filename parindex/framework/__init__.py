"""The criteria framework as data: the model (areas → criteria → sub-criteria), scoring rules,
rule text reading, the item inputs a rule consumes, the shipped catalogue, and the official
annex table import and export."""
