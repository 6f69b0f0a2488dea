"""The local directory of services (Open Referral UK 3.0), matching a child's needs to it.

Qt-free and store-free: :mod:`.oruk` reads and writes ORUK JSON, :mod:`.tabular` its CSV
form, :mod:`.needs` turns an assessment's flags into need tags and maps them to taxonomy
terms, and :mod:`.matching` is a pure function from needs, age, area and language to a
ranked list of suggestions. The store keeps the directory (screening_app.store.directory).
"""

from .errors import DirectoryError, ImportProblem, ImportRefused
from .matching import MatchIndex, Need, Suggestion, build_index, match_services
from .model import ACCESS_ROUTES, SECTORS, DirectoryEntry, LocalAdditions, OrukService
from .needs import NeedMap, needs_from_result

__all__ = [
    "ACCESS_ROUTES", "SECTORS", "DirectoryEntry", "DirectoryError", "ImportProblem",
    "ImportRefused", "LocalAdditions", "MatchIndex", "Need", "NeedMap", "OrukService",
    "Suggestion", "build_index", "match_services", "needs_from_result",
]
