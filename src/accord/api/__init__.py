"""The JSON API under /api/v1 (token authentication, RFC 9457 problem details)."""
