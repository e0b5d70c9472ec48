"""Helpers shared by the test suites: test databases, accounts and sign-in, a local SMTP inbox and
application processes started on their own port."""
