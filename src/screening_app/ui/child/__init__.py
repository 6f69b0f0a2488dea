"""Child mode: the screen handed to the child for their own answers, locked to staff."""
