"""Names shared by every layer, kept free of heavy imports."""

SETTINGS = ("ed", "custody", "gp", "school-nurse")
