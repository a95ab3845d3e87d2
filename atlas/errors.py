"""Errors that tell an editor where: file, line, message, hint.

Every stage reports problems into an ErrorList instead of stopping at the first,
so a build shows all of them at once. Library code raises; only cli.py prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


class AtlasError(Exception):
    """Base class of every error the atlas raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in content, reported as `src:line: severity: message`."""

    src: str
    line: int
    message: str
    severity: str = "error"  # "error", "warning" or "note" (advice that never fails a build, even --strict)
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.src}:{self.line}" if self.line else self.src
        text = f"{printable(where)}: {self.severity}: {printable(self.message)}"
        return f"{text}\n  hint: {printable(self.hint)}" if self.hint else text

    def as_dict(self) -> dict:
        return {
            "file": self.src,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


def printable(text: str) -> str:
    """Text safe for a terminal, one line: control characters (escape sequences, newlines,
    U+2028) from content are shown as escapes, never sent as they are."""
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)


def plural(number: int, noun: str) -> str:
    """plural(1, "error") -> "1 error"; plural(2, "error") -> "2 errors"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def describe_failure(problems: list[Problem], outcome: str) -> list[str]:
    """What `atlas build` and `atlas serve` print when content stops a build: every problem, then
    a line that counts them and says what became of the site (`outcome`).

    >>> describe_failure([Problem("content/cities/lyon.md", 3, "bad")], "output was left as it was")[-1]
    'build failed: 1 error; output was left as it was'
    """
    problems = sorted(problems)
    errors = sum(1 for problem in problems if problem.severity == "error")
    what = plural(errors, "error") if errors else plural(len(problems), "warning") + " (--strict)"
    return [str(problem) for problem in problems] + [f"build failed: {what}; {outcome}"]


NOTES_SHOWN = 5  # of each kind of note, in `atlas check`'s text; its JSON gives every one


def describe_notes(notes: list[Problem], shown: int = NOTES_SHOWN) -> list[str]:
    """The notes `atlas check` prints: the first few of each message, how many more there are, and the hint once.

    >>> notes = [Problem(f"content/cities/{c}.md", 2, "no id", "note", "add one") for c in "abc"]
    >>> describe_notes(notes, shown=1)  # doctest: +NORMALIZE_WHITESPACE
    ['content/cities/a.md:2: note: no id', '... and 2 more notes like it (atlas check --format json lists them all)',
     '  hint: add one']
    """
    by_message: dict[str, list[Problem]] = {}
    for note in sorted(notes):
        by_message.setdefault(note.message, []).append(note)
    lines = []
    for same in by_message.values():
        lines += [str(replace(note, hint=None)) for note in same[:shown]]
        if len(same) > shown:
            lines.append(f"... and {plural(len(same) - shown, 'more note')} like it"
                         " (atlas check --format json lists them all)")
        if same[0].hint:
            lines.append(f"  hint: {printable(same[0].hint)}")
    return lines


class ContentError(AtlasError):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ErrorList:
    """Collects problems from all stages; raise_if_any() stops before writing."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, src: str, line: int, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(src, line, message, "error", hint))

    def warning(self, src: str, line: int, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(src, line, message, "warning", hint))

    def note(self, src: str, line: int, message: str, hint: str | None = None) -> None:
        """Advice worth following when there is time, such as an id still to look up; never fails a build."""
        self.problems.append(Problem(src, line, message, "note", hint))

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "warning")

    @property
    def notes(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "note")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentError(self.errors)
