"""The year's CCHC plan: the model, import from the signed document, lint, timeframes, the
unit registry and the calendar of due work."""
