"""Writing the report: :func:`write_report` fills the Word template (docxtpl) with a
:class:`~parindex.report.content.ReportContent`; :func:`export_report` does it for a dossier.

The template is ``parindex/report/templates/bao-cao.docx`` unless another is given (a
department's own, edited in Word). Text from the dossier goes in as template *values*, escaped
by the template engine: a unit name such as ``{{ x }}`` or ``<w:t>`` stays text. The file is
written under a temporary name and renamed; an existing file is kept unless ``force``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from parindex.core.errors import InputError, Problem
from parindex.core.output import OutputExistsError, check_output, write_output
from parindex.report.content import ReportContent, dossier_report_content

if TYPE_CHECKING:
    from parindex.scoring.dossier import Dossier

__all__ = ["ReportExistsError", "export_report", "write_report"]


class ReportExistsError(OutputExistsError):
    """The output file exists and ``force`` was not given."""


def write_report(content: ReportContent, out: Path | str, *, template: Path | None = None,
                 force: bool = False, protect: Iterable[Path] = ()) -> Path:
    """Fill ``template`` (default: the shipped one) with ``content`` and write ``out``
    (through :func:`parindex.core.output.write_output`: never over ``protect``, the
    dossier's own files, nor over the template).

    Raises :class:`ReportExistsError` when ``out`` exists and ``force`` is false, and
    :class:`~parindex.core.errors.InputError` when the template cannot be read or filled."""
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    from parindex.report.template import TEMPLATE

    path = Path(out)
    source = template or TEMPLATE
    protect = (*protect, source)
    try:
        check_output(path, force=force, inputs=protect)
    except OutputExistsError:
        raise ReportExistsError(path) from None
    try:
        doc = DocxTemplate(str(source))
        doc.render(content.context(), autoescape=True)
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError([Problem(f"mẫu báo cáo không điền được: {exc}", source, line)],
                         "cannot fill the report template") from None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, PackageNotFoundError) as exc:
        raise InputError([Problem(f"không đọc được mẫu báo cáo .docx ({exc})", source)],
                         "cannot read the report template") from None
    props = doc.docx.core_properties
    props.title = (f"Báo cáo kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm {content.year} — "
                   f"{content.unit}")
    props.subject = content.framework
    props.keywords = "Chỉ số CCHC; " + ("bộ tiêu chí tạm thời" if content.provisional
                                        else "bộ tiêu chí chính thức")
    props.comments = ("Lập theo " + content.framework + (
        " (bộ tiêu chí tạm thời, chưa phải bảng chính thức)." if content.provisional else "."))
    try:
        write_output(path, lambda tmp: doc.save(str(tmp)), force=force, inputs=protect)
    except OutputExistsError:
        raise ReportExistsError(path) from None
    return path


def export_report(dossier: Dossier | Path | str, out: Path | str, *,
                  template: Path | None = None, force: bool = False) -> ReportContent:
    """Draft a dossier's report (``parindex report``); returns what it says."""
    from parindex.scoring.dossier import Dossier as _Dossier
    from parindex.scoring.dossier import load_dossier

    d = dossier if isinstance(dossier, _Dossier) else load_dossier(dossier)
    try:  # before any work
        check_output(Path(out), force=force, inputs=(*d.own_files(), *(
            (template,) if template else ())))
    except OutputExistsError:
        raise ReportExistsError(Path(out)) from None
    content = dossier_report_content(d)
    write_report(content, out, template=template, force=force, protect=d.own_files())
    return content
