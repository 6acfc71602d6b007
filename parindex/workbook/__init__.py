"""The scoring workbook (.xlsx) sent to Sở Nội vụ: writing it, reading it back after appraisal,
and the appraisal diff."""
