"""Data entry: a new dossier's skeleton and the input forms (phiếu nhập số liệu)."""
