"""The bundle's entry point (PyInstaller runs this file): the same entry as `screening-app`."""

from screening_app.cli import entry

if __name__ == "__main__":
    entry()
