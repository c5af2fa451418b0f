"""Settings: defaults, then a config file, then ``INTERVIEW_SIM_*`` env vars, then CLI flags."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

from interview_sim import paths
from interview_sim.errors import InterviewSimError
from interview_sim.models import Stage, candidate_name

MINUTES_RANGE = (1, 24 * 60)
"""Minutes per stage; the config file, the environment and the settings screen all use these."""
QUESTIONS_RANGE = (1, 50)
"""Questions per stage in a loop."""
FOLLOW_UPS_RANGE = (0, 10)
"""Follow-ups per question."""

DEFAULT_QUESTIONS: dict[Stage, int] = {
    Stage.CODING: 1,
    Stage.SYSTEM_DESIGN: 1,
    Stage.ML_DEPTH: 2,
    Stage.BEHAVIORAL: 2,
}
DEFAULT_MINUTES: dict[Stage, int] = {
    Stage.CODING: 45,
    Stage.SYSTEM_DESIGN: 45,
    Stage.ML_DEPTH: 30,
    Stage.BEHAVIORAL: 30,
}

Minutes = Annotated[int, Field(ge=MINUTES_RANGE[0], le=MINUTES_RANGE[1])]
Questions = Annotated[int, Field(ge=QUESTIONS_RANGE[0], le=QUESTIONS_RANGE[1])]

BINDING_IDS = frozenset(
    {
        *("app.help", "app.quit", "coding.custom-input", "drill.cancel", "drill.start"),
        *("help.close", "history.back", "history.filter", "history.open"),
        *("history.recommended", "history.sort", "home.drill", "home.history", "home.loop"),
        *("home.resume", "home.settings", "interview.code", "interview.end_question"),
        *("interview.end_stage", "interview.hint", "interview.home", "interview.problem"),
        *("interview.repeat", "interview.run", "interview.skip", "interview.stop"),
        *("interview.submit", "scorecard.again", "scorecard.continue", "scorecard.reveal"),
        *("session.back", "session.resume", "session.reveal", "settings.back"),
        *("settings.save", "settings.test", "summary.drill", "summary.home"),
    }
)
"""Every binding id of the terminal app, which ``ui.keys`` may rebind. The config cannot import
the app (Textual) to ask it, so the ids are listed here and ``tests/test_bad_input_config.py``
checks the list against the app's bindings: a rebind of an id that does not exist would
otherwise do nothing, silently."""
_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_KEY_NAME = re.compile(r"^[a-z0-9_]+$")


class ConfigError(InterviewSimError):
    """The config file cannot be used: one line naming the file and the field at fault."""


def _valid_key(key: str) -> bool:
    """A Textual key: optional modifiers then one character or a key name (``ctrl+j``, ``f2``)."""
    *modifiers, name = key.split("+")
    if not name or any(m not in _MODIFIERS for m in modifiers):
        return False
    return (len(name) == 1 and name.isprintable() and not name.isspace()) or bool(
        _KEY_NAME.match(name)
    )


def _http_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL, like http://localhost:11434/v1")
    return value


class LLMSettings(BaseModel):
    """Read now, used by the LLM interviewer and judge. No key means offline mode."""

    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("base_url", "OPENAI_BASE_URL")
    )
    api_key: SecretStr | None = None
    model: str = "gpt-4o-mini"
    interviewer_model: str | None = None
    judge_model: str | None = None
    timeout: float = Field(default=30.0, gt=0, le=3600)
    """Seconds per request; 0 or less would fail every call, so it is refused in the file."""
    max_retries: int = Field(default=2, ge=0, le=10)
    temperature: float = Field(default=0.3, ge=0, le=2)
    """The OpenAI API's range; a value outside it fails every call at the endpoint."""

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        """Checked here: a typo would otherwise surface as a connection error mid-interview."""
        return None if value is None else _http_url(value)

    @property
    def configured(self) -> bool:
        """An endpoint or a key switches the LLM interviewer and judge on; neither means offline."""
        return self.base_url is not None or self.api_key is not None


class UISettings(BaseModel):
    """Terminal app preferences: when scorecards appear, and key rebinds by binding id."""

    scorecard: Literal["question", "stage"] = "question"
    keys: dict[str, str] = Field(default_factory=dict)
    """Binding id to keys, e.g. ``{"interview.submit": "ctrl+j"}``; the help screen lists ids."""

    @field_validator("keys")
    @classmethod
    def _keys_are_bindings(cls, value: dict[str, str]) -> dict[str, str]:
        """A typo here would otherwise leave a key silently unbound in the terminal app."""
        for binding, keys in value.items():
            if binding not in BINDING_IDS:
                close = difflib.get_close_matches(binding, BINDING_IDS, n=1)
                hint = f"did you mean {close[0]!r}?" if close else "F1 in the app lists them"
                raise ValueError(f"{binding!r} is not a binding id; {hint}")
            for key in keys.split(","):
                if not _valid_key(key.strip()):
                    raise ValueError(f"{binding}: {key.strip()!r} is not a key (like 'ctrl+j')")
        return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="INTERVIEW_SIM_", env_nested_delimiter="__", extra="forbid"
    )

    db: str = "sessions.db"
    candidate: str | None = Field(default=None, min_length=1, max_length=128)
    """Whose sessions these are on a shared database; None means the OS user name."""
    bank_dirs: list[Path] = Field(default_factory=list)
    questions_per_stage: dict[Stage, Questions] = Field(
        default_factory=lambda: dict(DEFAULT_QUESTIONS)
    )
    minutes_per_stage: dict[Stage, Minutes] = Field(default_factory=lambda: dict(DEFAULT_MINUTES))
    follow_up_limit: int = Field(default=2, ge=FOLLOW_UPS_RANGE[0], le=FOLLOW_UPS_RANGE[1])
    llm: LLMSettings = Field(default_factory=LLMSettings)
    ui: UISettings = Field(default_factory=UISettings)

    @field_validator("db", mode="after")
    @classmethod
    def _db_at_home(cls, value: str) -> str:
        """``db: ~/interview/sessions.db`` in the file means the home folder, as in a shell."""
        return value if "://" in value else os.path.expanduser(value)

    @field_validator("bank_dirs", mode="after")
    @classmethod
    def _banks_at_home(cls, value: list[Path]) -> list[Path]:
        """``bank_dirs: [~/my-banks]``, the README's own example, names a folder at home."""
        return [path.expanduser() for path in value]

    @field_validator("candidate", mode="after")
    @classmethod
    def _candidate_name(cls, value: str | None) -> str | None:
        """Blank names, surrounding spaces and control characters are refused or trimmed."""
        return None if value is None else candidate_name(value)

    @field_validator("questions_per_stage", "minutes_per_stage", mode="after")
    @classmethod
    def _every_stage(cls, value: dict[Stage, int], info: ValidationInfo) -> dict[Stage, int]:
        """A file that sets one stage (``minutes_per_stage: {ml_depth: 25}``) keeps the
        defaults of the others: the mapping merges into the defaults instead of replacing them,
        so no stage goes missing (a loop plan needs every stage)."""
        defaults = (
            DEFAULT_QUESTIONS if info.field_name == "questions_per_stage" else DEFAULT_MINUTES
        )
        return {**defaults, **value}

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
        path = Path(str(chosen)) if chosen else paths.config_file()
        return (
            init_settings,
            env_settings,
            YamlConfigSettingsSource(settings_cls, yaml_file=path),
        )


def read_config_file(path: Path) -> dict[str, Any]:
    """The file's settings as a mapping (empty when there is no file); a ``ConfigError`` naming
    the file and the line when it is not UTF-8, not YAML, or not a mapping."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"config file {path}: cannot read it ({exc.strerror})") from exc
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"config file {path}: line {line} is not UTF-8 (byte 0x{raw[exc.start]:02x});"
            " save it as UTF-8"
        ) from exc
    import yaml  # only when there is a file: most commands run without one

    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise ConfigError(f"config file {path}: invalid YAML{where}: {problem}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"config file {path}: the top level must be a mapping of settings (like"
            f" 'db: sessions.db'), not a {type(data).__name__}"
        )
    return data


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _env_variable(loc: tuple[int | str, ...]) -> str | None:
    """The ``INTERVIEW_SIM_*`` variable that set the value at ``loc``, if one did: the variable
    of the field itself (``INTERVIEW_SIM_LLM__TIMEOUT``) or of a section holding it as JSON
    (``INTERVIEW_SIM_LLM``), the deepest first, as pydantic-settings matches them (any case)."""
    names = {name.upper() for name in os.environ}
    parts = [str(p) for p in loc]
    for depth in range(len(parts), 0, -1):
        variable = "INTERVIEW_SIM_" + "__".join(parts[:depth]).upper()
        if variable in names:
            return variable
    return None


def _in_file(loc: tuple[int | str, ...], data: Any) -> bool:
    """Whether the file itself holds the value at ``loc`` (not just the section around it)."""
    for part in loc:
        held = isinstance(data, dict) and part in data
        listed = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if not (held or listed):
            return False
        data = data[part]
    return True


_FLAGS = {"bank_dirs": "--bank-dir"}
"""Options whose name is not the setting's (the rest are ``--`` and the name, dashed)."""


def _source(
    loc: tuple[int | str, ...], path: Path, data: dict[str, Any], flags: dict[str, Any]
) -> str:
    """Where the value at ``loc`` came from, in the settings' order of precedence: a flag, then
    an environment variable, then the file. A section the file has (``llm: {model: ...}``, as
    the settings screen writes it) does not make a variable's bad field the file's fault."""
    top = str(loc[0]) if loc else ""
    if top in flags:
        return f"command line option {_FLAGS.get(top, '--' + top.replace('_', '-'))}"
    variable = _env_variable(loc)
    if variable is not None:
        return f"environment variable {variable}"
    if not loc or _in_file(loc, data):
        return f"config file {path}"
    return f"setting {_field(loc)} (from the environment or the command line)"


def _invalid(
    exc: ValidationError, path: Path, data: dict[str, Any], flags: dict[str, Any]
) -> ConfigError:
    """One line for the first problem: the file, variable or option at fault, and the field."""
    errors = exc.errors()
    first = errors[0]
    field = _field(first["loc"])
    source = _source(first["loc"], path, data, flags)
    value = f" (got {first['input']!r})" if not isinstance(first["input"], dict) else ""
    more = f"; and {len(errors) - 1} more problem(s)" if len(errors) > 1 else ""
    message = first["msg"].removeprefix("Value error, ")
    return ConfigError(f"{source}: {field}: {message}{value}{more}")


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings; ``OPENAI_*`` variables fill the LLM block when config leaves it empty.

    Every problem with the file or a value is a one-line ``ConfigError`` naming where it is.
    """
    path = config_file or paths.config_file()
    if config_file is None and os.environ.get(paths.CONFIG_ENV) and not path.is_file():
        # Named on purpose, like --config: a missing file is a mistake, not "no settings".
        what = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise ConfigError(f"config file {path} (from ${paths.CONFIG_ENV}) {what}")
    data = read_config_file(path)
    cls: type[Settings] = Settings
    if config_file is not None:
        cls = type("FileSettings", (Settings,), {"model_config": {"yaml_file": config_file}})
    flags = {k: v for k, v in overrides.items() if v is not None}
    try:
        settings = cls(**flags)
    except ValidationError as exc:
        raise _invalid(exc, path, data, flags) from exc
    llm = settings.llm
    updates: dict[str, Any] = {}
    if llm.api_key is None and os.environ.get("OPENAI_API_KEY"):
        updates["api_key"] = SecretStr(os.environ["OPENAI_API_KEY"])
    if llm.base_url is None and os.environ.get("OPENAI_BASE_URL"):
        url = os.environ["OPENAI_BASE_URL"]
        try:
            updates["base_url"] = _http_url(url)
        except ValueError as exc:
            raise ConfigError(f"setting from OPENAI_BASE_URL: {exc} (got {url!r})") from exc
    if updates:
        settings = settings.model_copy(update={"llm": llm.model_copy(update=updates)})
    return settings


def masked(settings: Settings) -> dict[str, Any]:
    """The effective config as JSON-ready data, secrets shown as ``****``."""
    data = settings.model_dump(mode="json")
    if settings.llm.api_key is not None:
        data["llm"]["api_key"] = "****"
    data["db"] = _URL_PASSWORD.sub(r"\1****@", settings.db)
    return data


_URL_PASSWORD = re.compile(r"^([a-z0-9+]+://[^:/@]*:)[^/]*@", re.IGNORECASE)
"""The password of a database URL (``postgresql+psycopg://ana:secret@host/db``)."""
