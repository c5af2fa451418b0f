"""Settings: defaults, then a config file, then ``INTERVIEW_SIM_*`` env vars, then CLI flags."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from interview_sim.models import Stage

CONFIG_ENV = "INTERVIEW_SIM_CONFIG"


def user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "interview-sim" / "config.yaml"


class LLMSettings(BaseModel):
    """Read now, used by the LLM interviewer and judge. No key means offline mode."""

    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("base_url", "OPENAI_BASE_URL")
    )
    api_key: SecretStr | None = None
    model: str = "gpt-4o-mini"
    interviewer_model: str | None = None
    judge_model: str | None = None
    timeout: float = 30.0
    max_retries: int = 2
    temperature: float = 0.3

    @property
    def configured(self) -> bool:
        """An endpoint or a key switches the LLM interviewer and judge on; neither means offline."""
        return self.base_url is not None or self.api_key is not None


class UISettings(BaseModel):
    """Terminal app preferences: when scorecards appear, and key rebinds by binding id."""

    scorecard: Literal["question", "stage"] = "question"
    keys: dict[str, str] = Field(default_factory=dict)
    """Binding id to keys, e.g. ``{"interview.submit": "ctrl+j"}``; the help screen lists ids."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="INTERVIEW_SIM_", env_nested_delimiter="__", extra="forbid"
    )

    db: str = "sessions.db"
    bank_dirs: list[Path] = Field(default_factory=list)
    questions_per_stage: dict[Stage, int] = Field(
        default_factory=lambda: {
            Stage.CODING: 1,
            Stage.SYSTEM_DESIGN: 1,
            Stage.ML_DEPTH: 2,
            Stage.BEHAVIORAL: 2,
        }
    )
    minutes_per_stage: dict[Stage, int] = Field(
        default_factory=lambda: {
            Stage.CODING: 45,
            Stage.SYSTEM_DESIGN: 45,
            Stage.ML_DEPTH: 30,
            Stage.BEHAVIORAL: 30,
        }
    )
    follow_up_limit: int = Field(default=2, ge=0, le=10)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    ui: UISettings = Field(default_factory=UISettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        chosen = settings_cls.model_config.get("yaml_file")
        path = (
            Path(str(chosen)) if chosen else Path(os.environ.get(CONFIG_ENV) or user_config_path())
        )
        return (
            init_settings,
            env_settings,
            YamlConfigSettingsSource(settings_cls, yaml_file=path),
        )


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings; ``OPENAI_*`` variables fill the LLM block when config leaves it empty."""
    cls: type[Settings] = Settings
    if config_file is not None:
        cls = type("FileSettings", (Settings,), {"model_config": {"yaml_file": config_file}})
    settings = cls(**{k: v for k, v in overrides.items() if v is not None})
    llm = settings.llm
    updates: dict[str, Any] = {}
    if llm.api_key is None and os.environ.get("OPENAI_API_KEY"):
        updates["api_key"] = SecretStr(os.environ["OPENAI_API_KEY"])
    if llm.base_url is None and os.environ.get("OPENAI_BASE_URL"):
        updates["base_url"] = os.environ["OPENAI_BASE_URL"]
    if updates:
        settings = settings.model_copy(update={"llm": llm.model_copy(update=updates)})
    return settings


def masked(settings: Settings) -> dict[str, Any]:
    """The effective config as JSON-ready data, secrets shown as ``****``."""
    data = settings.model_dump(mode="json")
    if settings.llm.api_key is not None:
        data["llm"]["api_key"] = "****"
    return data
