"""The one settings object: every `RA_*` variable, read once and passed down.

Nothing else in the code reads the environment. Tests build `Settings(...)` with
explicit values (and `RA_DATA_DIR` pointing at a temporary directory).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The checkout's own sample corpus: the default when nothing else is chosen.
CHECKOUT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def default_data_dir() -> Path:
    """Where the index, manifest and history live unless `RA_DATA_DIR` says otherwise."""
    return Path(user_data_dir("research-assistant", appauthor=False))


class Settings(BaseSettings):
    """Configuration from the environment; see the README's Configuration table."""

    model_config = SettingsConfigDict(env_prefix="RA_", extra="ignore", populate_by_name=True)

    corpus: str | None = Field(
        default=None,
        description="Corpus paths separated by the OS path separator; default corpus/.",
    )
    data_dir: Path = Field(default_factory=default_data_dir)
    max_file_mb: float = Field(default=20.0, gt=0, description="Larger text files are skipped.")

    embeddings: Literal["local", "openai"] = "local"
    embeddings_model: str | None = None
    models_dir: Path | None = Field(
        default=None, description="Where the exported ONNX embedding model is cached."
    )
    chroma_url: str | None = None

    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_temperature: float = Field(default=0.1, ge=0, le=2)
    llm_timeout: float = Field(default=60.0, gt=0)
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "openai_api_key")
    )

    profile: str | None = Field(
        default=None, description="Globs (OS path separator) of the files that form the profile."
    )

    @field_validator("llm_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        """'http://localhost:11434/v1' yes; 'localhost:11434' or 'http://[::1' no."""
        if not value:
            return None
        try:
            parsed = urlparse(value)
            parsed.port  # noqa: B018 - raises on a port that is not a number
        except ValueError as exc:
            raise ValueError(f"not a URL ({exc})") from None
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError("must be an http(s) URL such as http://localhost:11434/v1")
        return value

    @field_validator("data_dir", mode="before")
    @classmethod
    def _expand(cls, value: object) -> object:
        return Path(value).expanduser() if isinstance(value, str) and value else value

    def corpus_paths(self) -> list[Path]:
        """The corpus roots, in the order given."""
        if not self.corpus:
            return [CHECKOUT_CORPUS]
        return [Path(p).expanduser() for p in self.corpus.split(os.pathsep) if p.strip()]
