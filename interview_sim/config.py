"""Settings: defaults, then a config file, then ``INTERVIEW_SIM_*`` env vars, then CLI flags."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
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


ModelName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A model's name: an empty one would reach the endpoint as "" and fail every call."""


class LLMSettings(BaseModel):
    """Read now, used by the LLM interviewer and judge. No key means offline mode."""

    model_config = ConfigDict(extra="forbid")
    """A misspelt key (``timeot: 5``) is refused: ignored, it would leave the default in force."""

    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("base_url", "OPENAI_BASE_URL")
    )
    api_key: SecretStr | None = None
    model: ModelName = "gpt-4o-mini"
    interviewer_model: ModelName | None = None
    judge_model: ModelName | None = None
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

    model_config = ConfigDict(extra="forbid")

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


ENV_PREFIX = "INTERVIEW_SIM_"
OTHER_VARIABLES = frozenset({paths.CONFIG_ENV, "INTERVIEW_SIM_ISOLATION"})
"""``INTERVIEW_SIM_*`` variables read outside the settings (the config file's path, the
sandbox's isolation level in ``sandbox/isolation.py``, which config may not import): not
settings, yet not ignored. ``tests/test_config_unknown_keys.py`` checks the list against every
such name in the package."""


class Settings(BaseSettings):
    """Every setting. An unknown key anywhere in the config file is refused (``extra="forbid"``
    here and in each section); an unknown ``INTERVIEW_SIM_*`` variable is ignored instead
    (:class:`_SettingVariables`)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid"
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
            _SettingVariables(settings_cls),
            YamlConfigSettingsSource(settings_cls, yaml_file=path),
        )


def _inner_section(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The section (a model) that field ``name`` of ``model`` is, or None for a plain value."""
    field = model.model_fields.get(name)
    annotation = field.annotation if field is not None else None
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def _section(parts: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The settings section that ``parts`` lead to from the top (``("llm",)``: the LLM
    settings), or None when they lead to no section."""
    model: type[BaseModel] | None = Settings
    for part in parts:
        model = None if model is None else _inner_section(model, str(part))
    return model


def names_a_setting(variable: str) -> bool:
    """Whether an ``INTERVIEW_SIM_*`` variable (any case, as pydantic-settings matches them) is
    a setting's: each ``__`` part names a field of the section before it. Below a field that
    is not a section anything goes (``..._MINUTES_PER_STAGE__CODNG``): that is the field's
    value, and validation names the variable if it is wrong."""
    model: type[BaseModel] | None = Settings
    for part in variable.lower().removeprefix(ENV_PREFIX.lower()).split("__"):
        if model is None:
            return True
        if part not in model.model_fields:
            return False
        model = _inner_section(model, part)
    return True


class _SettingVariables(EnvSettingsSource):
    """The environment, less the ``INTERVIEW_SIM_*`` variables that name no setting.

    A config file is read by this program only, so a typo in it is refused; the environment is
    shared by every program and shell, and a variable left over from another version (or
    meant for something else) must not stop every command. Unfiltered, a stray
    ``..._LLM__TIMEOT`` would reach the ``llm`` section and be refused there;
    ``interview-sim config show`` names the ignored ones (:func:`ignored_variables`)."""

    def _load_env_vars(self) -> Mapping[str, str | None]:
        prefix = ENV_PREFIX.lower()
        return {
            name: value
            for name, value in super()._load_env_vars().items()
            if not name.lower().startswith(prefix) or names_a_setting(name)
        }


def _closest_variable(variable: str) -> str | None:
    """The setting's variable a stray one was probably meant to be: the first part that names
    no field is compared with the fields of its own section (``LLM__TIMEOT``: ``timeout``)."""
    model: type[BaseModel] | None = Settings
    named: list[str] = []
    for part in variable.lower().removeprefix(ENV_PREFIX.lower()).split("__"):
        if model is None:
            return None
        if part not in model.model_fields:
            close = difflib.get_close_matches(part, list(model.model_fields), n=1)
            return ENV_PREFIX + "__".join([*named, *close]).upper() if close else None
        named.append(part)
        model = _inner_section(model, part)
    return None


def ignored_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """One line per ``INTERVIEW_SIM_*`` variable that is neither a setting nor read elsewhere
    (:data:`OTHER_VARIABLES`), with the closest setting's variable when one is close: the
    settings ignore them, and ``config show`` says so rather than leave a typo unnoticed."""
    lines: list[str] = []
    for variable in sorted(os.environ if environ is None else environ):
        upper = variable.upper()
        if not upper.startswith(ENV_PREFIX) or upper in OTHER_VARIABLES:
            continue
        if names_a_setting(variable):
            continue
        close = _closest_variable(variable)
        hint = f" (did you mean {close}?)" if close else ""
        lines.append(f"environment variable {variable} is not a setting, so it is ignored{hint}")
    return lines


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
        variable = ENV_PREFIX + "__".join(parts[:depth]).upper()
        if variable in names and names_a_setting(variable):
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


SHOWN_PROBLEMS = 3
"""Problems named in the one line; past them it says how many more there are."""


def _at(error: ErrorDetails) -> tuple[int | str, ...]:
    """Where the problem is; a mapping's bad key (``minutes_per_stage: {codng: 3}``) is at the
    key, not under pydantic's ``[key]`` marker, so the file is found to hold it."""
    loc = error["loc"]
    return loc[:-1] if loc and loc[-1] == "[key]" else loc


def _file_order(loc: tuple[int | str, ...], data: Any) -> tuple[int, ...]:
    """The position of the value at ``loc`` in the file, key by key, so problems are named top
    to bottom as the user reads the file; what the file lacks comes after its section."""
    position: list[int] = []
    for part in loc:
        if isinstance(data, dict) and part in data:
            position.append(list(data).index(part))
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            position.append(part)
        else:
            position.append(len(data) if isinstance(data, dict | list) else 0)
            break
        data = data[part]
    return tuple(position)


def _problem(error: ErrorDetails) -> str:
    """``field: what is wrong (got value)``; an unknown key says so, with the closest valid
    name of its section when there is one."""
    loc = _at(error)
    field = _field(loc)
    if error["type"] == "extra_forbidden":
        section = _section(loc[:-1])
        names = list(section.model_fields) if section is not None else []
        close = difflib.get_close_matches(str(loc[-1]), names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"{field}: not a setting{hint}"
    value = f" (got {error['input']!r})" if not isinstance(error["input"], dict) else ""
    return f"{field}: {error['msg'].removeprefix('Value error, ')}{value}"


def _invalid(
    exc: ValidationError, path: Path, data: dict[str, Any], flags: dict[str, Any]
) -> ConfigError:
    """One line naming every problem, under the file, variable or option at fault (each source
    once, in the order first met). Past :data:`SHOWN_PROBLEMS` it says how many more: a line
    must stay readable, and fixing those named brings the rest into the next run's line."""
    errors = sorted(exc.errors(), key=lambda error: _file_order(_at(error), data))
    by_source: dict[str, list[str]] = {}
    for error in errors[:SHOWN_PROBLEMS]:
        by_source.setdefault(_source(_at(error), path, data, flags), []).append(_problem(error))
    line = "; ".join(f"{source}: {'; '.join(found)}" for source, found in by_source.items())
    rest = len(errors) - SHOWN_PROBLEMS
    if rest > 0:
        line += f"; and {rest} more problem(s), named when these are fixed"
    return ConfigError(line)


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
