"""imr-site: California IMR final determinations to an anonymized, searchable static site."""

__version__ = "0.1.0"
