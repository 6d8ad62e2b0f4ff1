"""Grading: one submission of one ask becomes a :class:`Grade`, with a :class:`FieldVerdict` per answer box.

A wrong answer may be tried once more (:data:`TRIES`); the second wrong one
reveals the answer and its reason. An unreadable box is not a try.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..language import _, ngettext
from ..lesson.numbers import num, pct
from .answers import parse_number
from .model import Ask

TRIES = 2  # a wrong answer may be tried once more; the second wrong one shows the answer


@dataclass(frozen=True)
class FieldVerdict:
    key: str
    status: str  # "right", "wrong" or "invalid" (empty or unreadable: not counted)
    value: float | None  # as read
    message: str  # why it was not read, or how it was read; "" otherwise


@dataclass(frozen=True)
class Grade:
    """The verdict on one submission of one ask.

    ``reason`` and ``answer`` are empty until the answer is revealed (a right answer,
    or the second wrong one), so the page can show whatever is not empty.
    ``step`` is always set: a wrong first try may be sent to read it.
    """

    ask_id: str
    status: str  # "right", "wrong" or "invalid" (not answered yet: not a try)
    message: str  # one or two plain sentences
    fields: tuple[FieldVerdict, ...]
    tries: int  # wrong tries at this ask so far, this one included
    revealed: bool  # the correct answer is shown: right, or wrong for the second time
    answer: str  # e.g. "x = 9.25 cells, y = 6 cells"; "" unless revealed
    reason: str  # the ask's one-line arithmetic; "" unless revealed
    step: str  # the walkthrough step (key) that teaches it

    @property
    def done(self) -> bool:
        """The page moves on: answered right, or the answer was shown."""
        return self.revealed


def grade(ask: Ask, answers: Mapping[str, str], tries: int = 0) -> Grade:
    """Grade the typed ``answers`` (field key → text) to ``ask``.

    ``tries`` is how many wrong tries the student made at this ask before this
    one. A wrong answer may be retried once; the second wrong one reveals the
    answer and its reason. An empty or unreadable field makes the whole
    submission "invalid": nothing is graded and no try is used.
    """
    tries = max(int(tries), 0)
    verdicts = []
    for f in ask.fields:
        value, note = parse_number(answers.get(f.key, ""), percent=f.percent, low=f.low, high=f.high)
        if value is not None and f.percent and 0 < value <= 1 < f.answer and f.is_right(100 * value):
            # Right, but as a fraction of 1: say so rather than spend a try on the unit.
            value, note = None, _("Give it in %: {fraction} is {percent}.").format(fraction=num(value, 4),
                                                                                   percent=pct(value))
        status = "invalid" if value is None else "right" if f.is_right(value) else "wrong"
        verdicts.append(FieldVerdict(f.key, status, value, note))
    labels = {f.key: f.label for f in ask.fields}

    def names(status):
        return [labels[v.key] for v in verdicts if v.status == status]

    invalid = [v for v in verdicts if v.status == "invalid"]
    if invalid:
        message = invalid[0].message
        if len(ask.fields) > 1:
            message = labelled(labels[invalid[0].key], message)
        return Grade(ask.id, "invalid", message, tuple(verdicts), tries, tries >= TRIES,
                     ask.answer_words if tries >= TRIES else "", ask.reason if tries >= TRIES else "", ask.step)
    wrong = names("wrong")
    if not wrong:
        right = _("Right: {answer}.").format(answer=ask.answer_words)
        return Grade(ask.id, "right", right, tuple(verdicts), tries, True,
                     ask.answer_words, ask.reason, ask.step)
    tries += 1
    # One whole sentence per case (one answer box, or the boxes named), so a translation says each its own way.
    if tries < TRIES:
        if len(ask.fields) == 1:
            message = _("Not yet: that is off. Try once more.")
        else:
            message = ngettext("Not yet: {names} is off. Try once more.", "Not yet: {names} are off. Try once more.",
                               len(wrong)).format(names=_and(wrong))
        return Grade(ask.id, "wrong", message, tuple(verdicts), tries, False, "", "", ask.step)
    if len(ask.fields) == 1:
        message = _("Not quite: that is off. The answer: {answer}.").format(answer=ask.answer_words)
    else:
        message = ngettext("Not quite: {names} is off. The answer: {answer}.",
                           "Not quite: {names} are off. The answer: {answer}.", len(wrong)).format(
                               names=_and(wrong), answer=ask.answer_words)
    return Grade(ask.id, "wrong", message, tuple(verdicts), tries, True, ask.answer_words, ask.reason, ask.step)


def labelled(label: str, message: str) -> str:
    """A message about one answer box, led by the box's label: "rows per bin: No answer yet."."""
    return _("{label}: {message}").format(label=label, message=message)


def _and(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    text = words[0]
    for word in words[1:-1]:
        text = _("{first}, {then}").format(first=text, then=word)
    return text if len(words) == 1 else _("{first} and {last}").format(first=text, last=words[-1])
