"""The core: errors, findings and reports, the strict base model, YAML reading and atomic writing.

Imports nothing else of the package; every other stage may import it."""
