"""How long a child's record is kept before it is due for review.

The default follows the Records Management Code of Practice (England, 2021) for children's
records: until the child's 25th birthday, or their 26th if they were 17 when seen. Each
deployment can change the rule (police and school settings differ) and add a minimum
number of years after the assessment (for example 20 years for mental-health records).

When only the age is known (no date of birth), the rule takes the latest date the birthday
could fall on, so a record is never due early: a child aged A on day D has their Nth
birthday no later than D + (N - A) years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from .errors import SecurityError


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, month=3, day=1)


@dataclass(frozen=True)
class RetentionRule:
    birthday: int = 25
    birthday_if_17: int = 26
    minimum_years: int = 0

    def __post_init__(self) -> None:
        for name, value, low, high in (("birthday", self.birthday, 18, 120),
                                       ("birthday_if_17", self.birthday_if_17, 18, 120),
                                       ("minimum_years", self.minimum_years, 0, 100)):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise SecurityError(f"retention {name.replace('_', ' ')} must be a whole number "
                                    f"from {low} to {high}")

    def to_dict(self) -> dict:
        return asdict(self)

    def review_date(self, *, assessed_on: dt.date, age: int,
                    date_of_birth: dt.date | None = None,
                    last_activity: dt.date | None = None) -> dt.date:
        """The day the record becomes due for review (kept until the day before).

        ``age`` is the child's age on ``assessed_on``; ``last_activity`` (the latest
        amendment) starts the minimum years, when later than the assessment."""
        target = self.birthday_if_17 if age == 17 else self.birthday
        if date_of_birth is not None:
            by_birthday = add_years(date_of_birth, target)
        else:
            by_birthday = add_years(assessed_on, max(target - age, 0))
        by_minimum = add_years(max(assessed_on, last_activity or assessed_on),
                               self.minimum_years)
        return max(by_birthday, by_minimum)

    def describe(self) -> str:
        text = (f"until the child's {self.birthday}th birthday, or {self.birthday_if_17}th if "
                f"17 when assessed")
        if self.minimum_years:
            text += f", and at least {self.minimum_years} years after the assessment"
        return text
