"""The desktop app: the only package that imports PySide6.

Widgets are thin: every rule lives in the engine and the store, reached through
``screening_app.assessments`` exactly as the command line reaches it. Modules here import
Qt at their top; nothing outside ``ui`` imports this package except ``commands.gui`` and
``commands.screenshots``, which do so lazily.
"""
