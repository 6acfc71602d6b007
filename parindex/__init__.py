"""parindex — PAR INDEX (Chỉ số cải cách hành chính) self-assessment for Vietnamese departments.

The public API. Importing parindex is light: each public name is declared once, in the stub
``__init__.pyi`` beside this file, and loads its module on first use (lazy_loader), so the
command line starts fast and pandas / openpyxl load only when a function needs them.
"""

from __future__ import annotations

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)

__version__ = "0.1.0"
