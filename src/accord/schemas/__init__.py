"""Validated input and output shapes shared by the pages, the JSON API and the CLI."""
