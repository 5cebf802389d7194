"""The LLM: built in exactly one place from the settings, and its errors in plain words.

Any OpenAI-compatible endpoint works (OpenAI, Ollama, vLLM, llama.cpp, LM Studio).
Retries with exponential backoff on 429 and 5xx, honouring Retry-After, are the
OpenAI client's own (`max_retries`); we set the count and the timeout. With no key
and no base URL the assistant runs offline and this module is never imported by it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import SecretStr

from assistant.errors import EmptyAnswer, LlmError, MalformedReply
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

MAX_RETRIES = 3


def llm_configured(settings: Settings) -> bool:
    """True when a key or an endpoint is set: otherwise the assistant answers offline."""
    return bool(settings.openai_api_key or settings.llm_base_url)


def describe_mode(settings: Settings) -> str:
    """'llm: gpt-4o-mini' or 'offline: extractive', as the UI shows it."""
    return f"llm: {settings.llm_model}" if llm_configured(settings) else "offline: extractive"


def build_chat_model(settings: Settings, *, max_retries: int = MAX_RETRIES) -> BaseChatModel:
    """The one ChatOpenAI of the app: streaming, usage reported, retries with backoff,
    unreadable replies raised as `MalformedReply`."""
    from assistant.llm_client import CheckedChatOpenAI

    # Local servers (Ollama, llama.cpp) need no key, but the client insists on one. The
    # key stays a SecretStr all the way in: no plain copy sits in a local variable.
    return CheckedChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=settings.openai_api_key or SecretStr("not-needed"),
        temperature=settings.llm_temperature,
        timeout=settings.llm_timeout,
        max_retries=max_retries,
        streaming=True,
        stream_usage=True,
    )


def rejects_stream_options(exc: BaseException) -> bool:
    """True for a 400 that may be the server refusing `stream_options` (usage in streams).

    Servers word it differently ("Unrecognized request argument supplied:
    stream_options", "extra fields not permitted", or a bare 400), so any 400 counts;
    the caller retries once without the option, and a 400 with another cause then
    comes back the same.
    """
    import openai

    return isinstance(exc, openai.BadRequestError)


def is_llm_failure(exc: BaseException) -> bool:
    """True for the errors an LLM endpoint causes: the OpenAI client's own, the HTTP
    library's transport errors and our `LlmError`s (a reply cut short, empty or unreadable).

    Never a bare `ValueError`: one raised inside the client arrives as `MalformedReply`
    (`assistant.llm_client`), so any other is a bug in our code and must show as one.
    """
    import httpx
    import openai

    kinds: tuple[type[BaseException], ...] = (openai.OpenAIError, LlmError, httpx.HTTPError)
    try:  # the openai client of these pins speaks HTTP through httpx2, not httpx
        import httpx2

        kinds += (httpx2.HTTPError,)
    except ImportError:
        pass
    return isinstance(exc, kinds)


def explain_llm_error(exc: BaseException, settings: Settings, *, started: bool = False) -> str:
    """One sentence saying what went wrong with the LLM and what to do; never the key.

    `started` says the answer had begun streaming: a connection lost then is an answer
    that broke off, not a server that cannot be reached.
    """
    import openai

    where = settings.llm_base_url or "the OpenAI API"
    if isinstance(exc, EmptyAnswer):
        return (
            f"The LLM ({settings.llm_model}) returned an empty answer: ask again, or choose "
            "another RA_LLM_MODEL."
        )
    if isinstance(exc, MalformedReply):
        return (
            f"The LLM server at {where} sent a reply that could not be read: try again, and "
            "check that RA_LLM_BASE_URL is an OpenAI-compatible endpoint if it persists."
        )
    if started and isinstance(exc, openai.APIConnectionError | openai.APITimeoutError):
        return (
            "The LLM answer broke off (the connection was lost mid-answer): try again; "
            "nothing partial was saved as complete."
        )
    if isinstance(exc, openai.AuthenticationError):
        return f"The LLM server at {where} rejected the API key: check OPENAI_API_KEY."
    if isinstance(exc, openai.PermissionDeniedError):
        return f"The API key may not use {settings.llm_model}: choose another RA_LLM_MODEL."
    if isinstance(exc, openai.NotFoundError):
        return (
            f"The model {settings.llm_model} was not found at {where}: check RA_LLM_MODEL "
            "(and RA_LLM_BASE_URL)."
        )
    if isinstance(exc, openai.RateLimitError):
        return (
            f"The LLM server is rate limiting requests (still after {MAX_RETRIES} retries): "
            "wait a minute and ask again."
        )
    if isinstance(exc, openai.APITimeoutError):
        return (
            f"The LLM did not answer within {settings.llm_timeout:g} s: try again, or raise "
            "RA_LLM_TIMEOUT."
        )
    if isinstance(exc, openai.APIConnectionError):
        return (
            f"Cannot reach the LLM at {where}: check RA_LLM_BASE_URL and your network, or unset "
            "OPENAI_API_KEY and RA_LLM_BASE_URL to answer offline."
        )
    if isinstance(exc, openai.InternalServerError):
        return f"The LLM server at {where} failed (HTTP {exc.status_code}): try again shortly."
    if isinstance(exc, openai.APIStatusError):
        return f"The LLM server at {where} refused the request (HTTP {exc.status_code}): try again."
    return (
        f"The LLM answer broke off ({type(exc).__name__}): try again; nothing partial was saved "
        "as complete."
    )
