"""Official annex tables: import a province's criteria table as a framework, export one back.

The pieces: reading the file (:mod:`.table`), finding the header (:mod:`.layout`), the
numbering (:mod:`.codes`), the tree and its sums (:mod:`.tree`), scoring texts (:mod:`.rules`),
the finding kinds (:mod:`.findings`), the import (:mod:`.importer`) and the export
(:mod:`.export`). Importing this package registers the annex finding kinds.
"""

from parindex.framework.annex.export import AnnexExport, export_annex
from parindex.framework.annex.importer import AnnexImport, import_annex

__all__ = ["AnnexExport", "AnnexImport", "export_annex", "import_annex"]
