"""Sở Nội vụ's side: department score sheets read back, survey results, appraisal rounds,
the province roll-up and its summary workbook."""
