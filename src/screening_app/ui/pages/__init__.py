"""The main window's pages: home, start, walkthrough, review (child mode is in ``child``)."""
