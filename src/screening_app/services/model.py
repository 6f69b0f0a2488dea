"""The ORUK 3.0 service, as much of it as Heard reads, and Heard's local additions.

The whole record as imported stays in :attr:`DirectoryEntry.record` (so an export gives back
what came in); :class:`OrukService` is the typed view the matcher reads. ORUK has no field
for how a child gets in, the typical wait or the sector: :class:`LocalAdditions` keeps them
beside the record, and the export writes them as ORUK ``attributes`` in Heard's own
taxonomies (:mod:`.oruk`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

ACCESS_ROUTES = ("self-referral", "drop-in", "professional-referral", "single-point-of-access")
SECTORS = ("nhs", "local-authority", "voluntary-community", "school-based", "online")
# Routes a child or family can use without a professional's referral.
OPEN_ROUTES = frozenset({"self-referral", "drop-in"})
ACTIVE = "active"


class _Open(BaseModel):
    # Keep every field the feed has, typed or not: the export gives them back.
    model_config = ConfigDict(extra="allow", frozen=True)


class OrukTaxonomyTerm(_Open):
    id: str
    name: str = ""
    description: str = ""
    taxonomy: str | None = None
    term: str | None = None


class OrukAttribute(_Open):
    id: str
    taxonomy_term_id: str | None = None
    taxonomy_term: OrukTaxonomyTerm | None = None


class OrukServiceArea(_Open):
    id: str
    name: str | None = None
    service_area: str | None = None


class OrukLanguage(_Open):
    id: str
    # HSDS 3.0 fields; the ORUK profile leaves them optional.
    name: str | None = None
    code: str | None = None


class OrukOrganization(_Open):
    id: str
    name: str
    description: str = ""


class OrukService(_Open):
    id: str
    name: str
    status: str
    description: str | None = None
    url: str | None = None
    email: str | None = None
    minimum_age: int | float | None = None
    maximum_age: int | float | None = None
    assured_date: str | None = None
    last_modified: str | None = None
    alert: str | None = None
    organization: OrukOrganization | None = None
    service_areas: list[OrukServiceArea] = Field(default_factory=list)
    languages: list[OrukLanguage] = Field(default_factory=list)
    attributes: list[OrukAttribute] = Field(default_factory=list)


class LocalAdditions(BaseModel):
    """What Heard knows that ORUK has no field for (kept clearly apart from the feed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    access_routes: tuple[str, ...] = ()
    typical_wait_days: int | None = Field(default=None, ge=0, le=3650)
    sector: str | None = None
    local_notes: str | None = None


@dataclass(frozen=True)
class DirectoryEntry:
    """One service: the ORUK record (without Heard's attributes) and Heard's additions."""

    record: dict
    local: LocalAdditions = field(default_factory=LocalAdditions)

    @cached_property
    def service(self) -> OrukService:
        return OrukService.model_validate(self.record)

    @property
    def id(self) -> str:
        return str(self.record["id"])

    @property
    def name(self) -> str:
        return str(self.record["name"])
