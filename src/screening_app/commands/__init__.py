"""One module per command; each has ``register(subparsers)`` and sets ``handler``."""

from . import assess, describe, schema, show, validate

COMMANDS = [validate, schema, describe, assess, show]
