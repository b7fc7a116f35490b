"""The static search: terms, encodings and the index writer (the page and script live in templates/ and site_overrides/)."""
