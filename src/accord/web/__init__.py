"""The bilingual web application (server-rendered pages) and its assembly with the API."""
