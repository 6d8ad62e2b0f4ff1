"""The score of a session: a frozen :class:`Score` and :func:`update_score`, which returns the next one."""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..language import _
from .grading import Grade


@dataclass(frozen=True)
class Score:
    """The page's tally for a session. Pure: :func:`update_score` returns a new one."""

    answered: int = 0  # asks finished: right, or the answer shown
    right: int = 0  # finished right, at either try
    first_try: int = 0  # right at the first try
    streak: int = 0  # asks in a row right at the first try
    best_streak: int = 0

    @property
    def words(self) -> str:
        return _("{right} of {answered} right ({first_try} at the first try); streak {streak}, best {best}").format(
            right=self.right, answered=self.answered, first_try=self.first_try, streak=self.streak,
            best=self.best_streak)


def update_score(score: Score, result: Grade) -> Score:
    """The score after one graded submission. An invalid one changes nothing; a wrong
    try breaks the streak at once; an ask counts as answered when it is done."""
    if result.status == "invalid":
        return score
    if result.status == "wrong":
        return replace(score, answered=score.answered + result.revealed, streak=0)
    first = result.tries == 0
    streak = score.streak + 1 if first else 0
    return Score(score.answered + 1, score.right + 1, score.first_try + first, streak, max(score.best_streak, streak))
