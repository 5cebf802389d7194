"""Errors a user can cause, each carrying one sentence that says what to do, and the
errors of an LLM reply that went wrong (raised by the answer, the writing tasks and
`assistant.llm_client`, explained with the settings by `assistant.llm`).

All of them are `RaError`s (defined in `retrieval.errors`, the lowest layer).
"""

from retrieval.errors import RaError


class UserError(RaError):
    """A problem the user can fix (bad flag, missing file, unreachable server).

    The CLI prints the message alone, no traceback, and exits with status 1.
    """


class LlmError(RaError):
    """The LLM's reply went wrong in a way the client itself does not name."""


class MalformedReply(LlmError):
    """The server's reply could not be read as an OpenAI-compatible one."""


class AnswerInterrupted(LlmError):
    """The model's stream stopped before it said it was done; the answer is partial."""


class EmptyAnswer(AnswerInterrupted):
    """The model finished without saying anything."""
