"""Saving answers through ``OpenAssessment``: the one path from a widget to the database.

``answer`` commits before it returns, so ``saved`` means on disk. An answer the database
could not take is kept here (and on screen) and sent again by ``retry``: nothing typed is
thrown away because a disk was full or a database locked.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..app import (
    AnswerError,
    ConflictError,
    OpenAssessment,
    ReasonNeeded,
    RuleRefused,
    StoreError,
)

Key = tuple[str, str]
_WHERE = re.compile(r"^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*: ")


def friendly(message: str) -> str:
    """An engine message without its 'module.item: ' prefix, as a sentence."""
    text = _WHERE.sub("", message, count=1)
    return text[:1].upper() + text[1:]


class AnswerSaver(QObject):
    saved = Signal(object, object)   # key, Changes
    rejected = Signal(object, str)   # key, why the answer itself cannot be taken
    failed = Signal(object, str)     # key, why the database did not take it (kept for retry)
    conflict = Signal(str)           # someone else changed the draft: reopen needed
    reason_needed = Signal(object, object, str)  # key, value, why: retracting a disclosure

    def __init__(self, assessment: OpenAssessment, parent: QObject | None = None):
        super().__init__(parent)
        self.assessment = assessment
        self.unsaved: dict[Key, Any] = {}
        self.as_child = False  # set while the child holds the screen (child mode)

    def save(self, module: str, item: str, value: Any, reason: str | None = None) -> bool:
        """Save ``value`` (None clears the answer). True once committed."""
        key = (module, item)
        try:
            if value is None:
                changes = self.assessment.clear(module, item, reason=reason,
                                                as_child=self.as_child)
            else:
                changes = self.assessment.answer(module, item, value, reason=reason,
                                                 as_child=self.as_child)
        except ReasonNeeded as exc:
            self.unsaved.pop(key, None)
            self.reason_needed.emit(key, value, str(exc))
            return False
        except RuleRefused as exc:
            self.unsaved.pop(key, None)
            self.rejected.emit(key, friendly(str(exc)))
            return False
        except AnswerError as exc:
            self.unsaved.pop(key, None)
            self.rejected.emit(key, friendly(str(exc)))
            return False
        except ConflictError as exc:
            self.unsaved[key] = value
            self.conflict.emit(str(exc))
            return False
        except StoreError as exc:
            self.unsaved[key] = value
            self.failed.emit(key, str(exc))
            return False
        self.unsaved.pop(key, None)
        self.saved.emit(key, changes)
        return True

    def retry(self) -> bool:
        """Send every kept answer again, oldest first; stop at the first failure."""
        for (module, item), value in list(self.unsaved.items()):
            if not self.save(module, item, value):
                return False
        return True
