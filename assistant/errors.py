"""Errors a user can cause, each carrying one sentence that says what to do, and the
errors of an LLM reply that stopped short (raised by the answer and the writing tasks,
explained by `assistant.llm`)."""


class UserError(Exception):
    """A problem the user can fix (bad flag, missing file, unreachable server).

    The CLI prints the message alone, no traceback, and exits with status 1.
    """


class AnswerInterrupted(Exception):
    """The model's stream stopped before it said it was done; the answer is partial."""


class EmptyAnswer(AnswerInterrupted):
    """The model finished without saying anything."""
