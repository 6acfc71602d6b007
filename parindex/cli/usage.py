"""Usage errors of the command line, said in Vietnamese.

The argument parser (click, inside typer) words its errors in English: "Invalid value for
'--runs': …", "No such option: --as-of". :func:`show_usage_error` prints them for an officer:
the usage line, where to find help, and the error, each translated where its wording is
known (an unknown wording is printed as it came). It works on the exception's attributes
(``ctx``, ``format_message``), not on click's private module, so it holds whichever click
typer carries.
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.markup import escape

__all__ = ["show_usage_error", "translate"]

_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^No such option: (.+?) Did you mean (.+)\?$", "no-such-option-mean"),
    (r"^No such option: (.+?)(?: \(Possible options: (.+)\))?$", "no-such-option"),
    (r"^Invalid value for (.+?): (.+)$", r"Giá trị không hợp lệ cho \1: \2"),
    (r"^Invalid value: (.+)$", r"Giá trị không hợp lệ: \1"),
    (r"^Missing argument (.+?)\.(.*)$", r"Thiếu tham số \1.\2"),
    (r"^Missing option (.+?)\.(.*)$", r"Thiếu tùy chọn \1.\2"),
    (r"^Missing parameter:? ?(.*)$", r"Thiếu tham số \1"),
    (r"^No such command (.+?)\.(?: Did you mean (.+)\?)?$", "no-such-command"),
    (r"^Got unexpected extra arguments?(?:\(s\))? \((.+)\)$", r"Thừa tham số: \1."),
    (r"^Option (.+?) requires an argument\.$", r"Tùy chọn \1 cần một giá trị."),
    (r"^Option (.+?) requires (\d+) arguments\.$", r"Tùy chọn \1 cần \2 giá trị."),
    (r"^Option (.+?) does not take a value\.$", r"Tùy chọn \1 không nhận giá trị."),
    (r"^Argument (.+?) takes (\d+) values\.$", r"Tham số \1 cần \2 giá trị."),
))
_VALUES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"(.+?) is not a valid integer( range)?\.", r"\1 không phải số nguyên."),
    (r"(.+?) is not a valid float( range)?\.", r"\1 không phải số."),
    (r"(.+?) is not a valid boolean\.", r"\1 không phải có/không."),
    (r"(.+?) is not one of (.+)\.", r"\1 không phải một trong \2."),
    (r"File (.+?) does not exist\.", r"Không có tệp \1."),
    (r"Directory (.+?) does not exist\.", r"Không có thư mục \1."),
    (r"Path (.+?) does not exist\.", r"Không có đường dẫn \1."),
    (r"File (.+?) is a directory\.", r"\1 là thư mục, không phải tệp."),
    (r"Directory (.+?) is a file\.", r"\1 là tệp, không phải thư mục."),
    (r"(File|Directory|Path) (.+?) is not readable\.", r"Không đọc được \2."),
    (r"(File|Directory|Path) (.+?) is not writable\.", r"Không ghi được vào \2."),
    (r"(.+?) is not in the range (.+)\.", r"\1 nằm ngoài khoảng \2."),
))


def _value(text: str) -> str:
    for pattern, repl in _VALUES:
        if pattern.fullmatch(text):
            return pattern.sub(repl, text)
    return text


def translate(message: str) -> str:
    """One error message of the argument parser, in Vietnamese where its wording is known."""
    for pattern, repl in _WORDS:
        m = pattern.match(message)
        if m is None:
            continue
        if repl == "no-such-option":
            near = f" (có thể là: {m.group(2)})" if m.group(2) else ""
            return f"Không có tùy chọn {m.group(1)}{near}."
        if repl == "no-such-option-mean":
            return f"Không có tùy chọn {m.group(1)} (có phải là {m.group(2)}?)."
        if repl == "no-such-command":
            near = f" Có phải là {m.group(2)}?" if m.group(2) else ""
            return f"Không có lệnh {m.group(1)}.{near}"
        out = m.expand(repl)
        if message.startswith("Invalid value"):
            head, sep, tail = out.rpartition(": ")
            out = head + sep + _value(tail) if sep else _value(out)
        return out
    return message


def show_usage_error(exc: Any, console: Console) -> int:
    """Print a usage error for an officer; return its exit code (2)."""
    ctx = getattr(exc, "ctx", None)
    code = int(getattr(exc, "exit_code", 2))
    if type(exc).__name__ == "NoArgsIsHelpError":  # no arguments: the help is the answer
        console.print(escape(exc.format_message()), highlight=False, soft_wrap=True)
        return code
    if ctx is not None:
        usage = ctx.get_usage().replace("Usage:", "Cách dùng:", 1)
        console.print(escape(usage), highlight=False, soft_wrap=True)
        if ctx.command.get_help_option(ctx) is not None:
            console.print(escape(f"Xem '{ctx.command_path} {ctx.help_option_names[0]}' để "
                                 "biết cách dùng."), highlight=False, soft_wrap=True)
        console.print()
    console.print(f"[bold red]Lỗi:[/bold red] {escape(translate(exc.format_message()))}",
                  highlight=False, soft_wrap=True)
    return code
