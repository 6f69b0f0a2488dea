"""The assessment engine: content plus answers in, results out. No Qt, no storage."""

from .evaluate import evaluate
from .results import Evaluation
from .session import AnswerError, AssessmentSession, Changes, SessionError

__all__ = ["AnswerError", "AssessmentSession", "Changes", "Evaluation", "SessionError", "evaluate"]
