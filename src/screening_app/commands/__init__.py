"""One module per command; each has ``register(subparsers)`` and sets ``handler``."""

from . import assess, backup, describe, export, restore, schema, screenshots, show, validate

COMMANDS = [validate, schema, describe, assess, show, export, backup, restore, screenshots]
