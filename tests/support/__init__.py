"""Helpers shared by the test suites: test databases, accounts and sign-in, a local SMTP inbox,
application processes started on their own port and rapidocr's answers remembered per test process."""
