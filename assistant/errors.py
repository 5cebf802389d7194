"""Errors a user can cause, each carrying one sentence that says what to do."""


class UserError(Exception):
    """A problem the user can fix (bad flag, missing file, unreachable server).

    The CLI prints the message alone, no traceback, and exits with status 1.
    """
