"""Where the client's credentials, region and other settings come from.

Every setting is looked up in the same order: a value passed in code, then the environment, then
the shared AWS files (`~/.aws/credentials` for credentials, `~/.aws/config` for everything). The
first place that has a non-empty value wins; `ClientSettings.sources` and `Credentials.source`
say which place that was.

Credentials, in order:

1. the `access_key` / `secret_key` (/ `session_token`) arguments;
2. `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` (`AWS_SECURITY_TOKEN` is
   the legacy name of the token). Skipped when a profile is passed as an argument: a profile named
   in code is as explicit as keys given in code and outranks ambient variables, as in botocore;
3. the profile's section of the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default
   `~/.aws/credentials`), where profiles are written `[name]`;
4. the profile's section of the config file (`AWS_CONFIG_FILE`, default `~/.aws/config`), where
   profiles are written `[profile name]`, except `[default]`.

The profile is the `profile` argument, else `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else
`default`. A profile that was asked for (by argument or variable) must exist in one of the files.
Settings other than credentials are read from the config file only.

Not supported: credentials from container (ECS) or instance (IMDS) metadata, assume-role
(`role_arn`), IAM Identity Center (`sso_*`), web identity tokens and `credential_process`. A
profile that relies on one of them is reported as having no credentials, naming the key found.

Nothing here logs, and no secret reaches a repr, a str or an exception message.
"""

from __future__ import annotations

import os
from types import MappingProxyType

from ._endpoints import is_valid_host_label
from ._record import Record

# Only what building a client needs is imported here, and none of `typing`, `dataclasses`, `re`
# or `urllib`: configparser and shlex are imported when a shared file exists.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import configparser
    from collections.abc import Callable, Mapping
    from typing import Final, Literal, TypeVar

    RetryMode = Literal["standard", "off"]
    """`standard` retries with backoff and a retry quota; `off` makes exactly one attempt."""

    _T = TypeVar("_T")

__all__ = [
    "ClientSettings",
    "ConfigError",
    "Credentials",
    "NoCredentialsError",
    "NoRegionError",
    "PartialCredentialsError",
    "ProfileNotFoundError",
    "resolve_credentials",
    "resolve_region",
    "resolve_settings",
]

DEFAULT_MAX_ATTEMPTS: Final = 3
"""Attempts per call in standard retry mode, the first one included."""

_PROFILE_VARS: Final = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
_REGION_VARS: Final = ("AWS_REGION", "AWS_DEFAULT_REGION")
_ACCESS_KEY_VAR: Final = "AWS_ACCESS_KEY_ID"
_SECRET_KEY_VAR: Final = "AWS_SECRET_ACCESS_KEY"
_TOKEN_VARS: Final = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")
_TOKEN_KEYS: Final = ("aws_session_token", "aws_security_token")
_UNSUPPORTED_CREDENTIAL_KEYS: Final = (
    "role_arn",
    "credential_source",
    "source_profile",
    "sso_session",
    "sso_start_url",
    "web_identity_token_file",
    "credential_process",
    "login_session",
)
_FILE_RETRY_MODES: Final = ("standard", "legacy", "adaptive")
# To AWS tools `[DEFAULT]` is an ordinary section, not configparser's defaults-for-every-section.
_NO_DEFAULT_SECTION: Final = "\0"


class ConfigError(Exception):
    """The configuration is missing something or holds a value that cannot be used."""


class NoCredentialsError(ConfigError):
    """No place that was looked at holds credentials; the message lists every place."""


class PartialCredentialsError(ConfigError):
    """A place holds an access key id without a secret access key, or the other way round."""


class ProfileNotFoundError(ConfigError):
    """A profile was asked for by name and neither shared file has it."""


class NoRegionError(ConfigError):
    """No place that was looked at names a region; the message lists every place."""


class Credentials(Record):
    """AWS credentials (an access key pair, with the session token of temporary credentials)
    and where they were found. Their repr hides the secret and the token."""

    __slots__ = ("access_key", "secret_key", "session_token", "source")
    access_key: str
    secret_key: str
    session_token: str | None
    source: str

    def __init__(
        self,
        access_key: str,
        secret_key: str,
        session_token: str | None = None,
        source: str = "arguments",
    ) -> None:
        if not access_key:
            raise ValueError("Credentials.access_key is empty")
        if not secret_key:
            raise ValueError("Credentials.secret_key is empty")
        for name, value in (
            ("access_key", access_key),
            ("secret_key", secret_key),
            ("session_token", session_token),
        ):
            # Each goes into a request header or its signature; a CR or LF would add a line.
            # The value is not shown: it is a secret.
            if value is not None and not value.isprintable():
                raise ValueError(
                    f"Credentials.{name} from {source} holds a control character (CR, LF, ...) "
                    "or another character that is not printable"
                )
        self._fill(
            access_key=access_key,
            secret_key=secret_key,
            session_token=session_token,
            source=source,
        )

    def __repr__(self) -> str:
        token = "None" if self.session_token is None else "<hidden>"
        return (
            f"Credentials(access_key={self.access_key!r}, secret_key=<hidden>, "
            f"session_token={token}, source={self.source!r})"
        )


class ClientSettings(Record):
    """What a client needs besides credentials, each with the place it came from in `sources`."""

    # Field order is the constructor's and the repr's, not the alphabet's.
    __slots__ = (  # noqa: RUF023
        "region",
        "use_fips_endpoint",
        "use_dualstack_endpoint",
        "max_attempts",
        "retry_mode",
        "endpoint_url",
        "inject_host_prefix",
        "profile",
        "sources",
    )
    _unhashed = ("sources",)
    region: str
    use_fips_endpoint: bool
    use_dualstack_endpoint: bool
    max_attempts: int
    retry_mode: RetryMode
    endpoint_url: str | None
    """A fixed endpoint to send every request to, or None to derive one from the region."""
    inject_host_prefix: bool
    """Whether an operation's `@endpoint` host prefix goes in front of the endpoint's host;
    a client pointed at a local stub turns it off."""
    profile: str
    sources: Mapping[str, str]
    """Field name (and `profile`) -> where its value came from, e.g. `environment variable X`."""

    def __init__(
        self,
        *,
        region: str,
        use_fips_endpoint: bool,
        use_dualstack_endpoint: bool,
        max_attempts: int,
        retry_mode: RetryMode,
        endpoint_url: str | None,
        inject_host_prefix: bool = True,
        profile: str,
        sources: Mapping[str, str],
    ) -> None:
        self._fill(
            region=region,
            use_fips_endpoint=use_fips_endpoint,
            use_dualstack_endpoint=use_dualstack_endpoint,
            max_attempts=max_attempts,
            retry_mode=retry_mode,
            endpoint_url=endpoint_url,
            inject_host_prefix=inject_host_prefix,
            profile=profile,
            sources=sources,
        )


def resolve_credentials(
    *,
    access_key: str | None = None,
    secret_key: str | None = None,
    session_token: str | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Credentials:
    """The first credentials found in the order of the module docstring.

    Raises `PartialCredentialsError` when a place has only half a key pair,
    `ProfileNotFoundError` for a profile asked for that does not exist and `NoCredentialsError`
    when no place has any.
    """
    lookup = _Lookup(environ, profile)
    if access_key is not None or secret_key is not None or session_token is not None:
        if access_key and secret_key:
            return Credentials(access_key, secret_key, session_token or None, "arguments")
        given = (("access_key", access_key), ("secret_key", secret_key))
        missing = [name for name, value in given if not value]
        raise PartialCredentialsError(
            "credentials given as arguments need both access_key and secret_key; "
            f"missing or empty: {', '.join(missing)}"
        )
    looked_at = ["arguments access_key and secret_key: not given"]

    env_place = f"environment variables {_ACCESS_KEY_VAR} and {_SECRET_KEY_VAR}"
    if lookup.profile_source == "argument":
        looked_at.append(f"{env_place}: skipped, because the profile was given as an argument")
    else:
        found = _credentials_from_environment(lookup)
        if found is not None:
            return found
        looked_at.append(f"{env_place}: not set")

    for shared_file in (lookup.credentials_file, lookup.config_file):
        section = shared_file.profile(lookup.profile)
        place = shared_file.place(lookup.profile)
        if section is None:
            looked_at.append(f"{place}: {shared_file.why_no_section(lookup.profile)}")
            continue
        found = _credentials_from_section(section, place)
        if found is not None:
            return found
        unsupported = [key for key in _UNSUPPORTED_CREDENTIAL_KEYS if key in section]
        if unsupported:
            looked_at.append(
                f"{place}: no aws_access_key_id; it has {', '.join(unsupported)}, "
                "which this client does not support"
            )
        else:
            looked_at.append(f"{place}: no aws_access_key_id")

    raise NoCredentialsError(
        f"no AWS credentials found for profile {lookup.profile!r} ({lookup.profile_origin}). "
        "Looked at:\n"
        + "".join(f"  - {line}\n" for line in looked_at)
        + "Credentials from container or instance metadata, SSO, assume-role, web identity "
        "and credential_process are not supported."
    )


def resolve_region(
    *,
    region: str | None = None,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The `region` argument, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's
    `region` in the config file. Raises `NoRegionError` naming every place looked at."""
    return _resolve_region(_Lookup(environ, profile), region)[0]


def resolve_settings(
    service_id: str,
    *,
    region: str | None = None,
    profile: str | None = None,
    use_fips_endpoint: bool | None = None,
    use_dualstack_endpoint: bool | None = None,
    max_attempts: int | None = None,
    retry_mode: str | None = None,
    endpoint_url: str | None = None,
    ignore_configured_endpoint_urls: bool | None = None,
    inject_host_prefix: bool | None = None,
    region_required: bool = True,
    environ: Mapping[str, str] | None = None,
) -> ClientSettings:
    """Everything a client for `service_id` (the model's sdkId, e.g. `Rekognition`) needs
    besides credentials.

    Each argument that is not None wins; otherwise its environment variable, then its key in the
    profile's config-file section, then the default (no FIPS, no dual-stack, standard retries,
    3 attempts, no fixed endpoint). `retry_mode` is one of `standard`, `legacy`, `adaptive` (both
    served by standard mode) and `off`, which is accepted only as an argument.

    The endpoint URL is looked up, after the argument, in `AWS_ENDPOINT_URL_<SERVICE_ID>`,
    `AWS_ENDPOINT_URL`, the service's `endpoint_url` in the `[services ...]` section the profile
    names, and the profile's `endpoint_url`, unless `ignore_configured_endpoint_urls` (argument,
    `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or config key) is true.

    `inject_host_prefix` (boto3's name) is on unless the argument is False or, without one,
    `AWS_DISABLE_HOST_PREFIX_INJECTION` or the config key `disable_host_prefix_injection` is true.

    Without `region_required` (a service neither signed with SigV4 nor placed by region), a
    region found nowhere is the empty string instead of a `NoRegionError`.
    """
    if not service_id.strip():
        raise ConfigError("service_id must not be empty")
    lookup = _Lookup(environ, profile)
    sources = {"profile": f"{lookup.profile!r} ({lookup.profile_origin})"}

    if region_required or region is not None or _lookup_text(lookup, "region", _REGION_VARS):
        region_value, sources["region"] = _resolve_region(lookup, region)
    else:
        region_value, sources["region"] = "", "not needed by the service"
    fips, sources["use_fips_endpoint"] = _resolve_flag(
        lookup, "use_fips_endpoint", use_fips_endpoint, "AWS_USE_FIPS_ENDPOINT"
    )
    dualstack, sources["use_dualstack_endpoint"] = _resolve_flag(
        lookup, "use_dualstack_endpoint", use_dualstack_endpoint, "AWS_USE_DUALSTACK_ENDPOINT"
    )
    mode, sources["retry_mode"] = _resolve_retry_mode(lookup, retry_mode)
    if mode == "off":
        if max_attempts is not None and max_attempts != 1:
            raise ConfigError(f"max_attempts={max_attempts!r} contradicts retry_mode='off'")
        attempts, sources["max_attempts"] = 1, "retry_mode 'off'"
    else:
        attempts, sources["max_attempts"] = _resolve(
            lookup,
            "max_attempts",
            _check_max_attempts(max_attempts),
            ("AWS_MAX_ATTEMPTS",),
            _parse_max_attempts,
            DEFAULT_MAX_ATTEMPTS,
        )
    url, sources["endpoint_url"] = _resolve_endpoint_url(
        lookup, service_id, endpoint_url, ignore_configured_endpoint_urls
    )
    inject, sources["inject_host_prefix"] = _resolve_inject_host_prefix(lookup, inject_host_prefix)
    return ClientSettings(
        region=region_value,
        use_fips_endpoint=fips,
        use_dualstack_endpoint=dualstack,
        max_attempts=attempts,
        retry_mode=mode,
        endpoint_url=url,
        inject_host_prefix=inject,
        profile=lookup.profile,
        sources=MappingProxyType(sources),
    )


# --- the places values come from ------------------------------------------------------------


class _SharedFile:
    """One of the two shared INI files, read on first use."""

    def __init__(self, kind: str, path: str | None, shown: str, *, config_style: bool) -> None:
        self.kind = kind
        self.path = path
        self.shown = shown
        self.config_style = config_style
        self._loaded = False
        self._exists = False
        self._sections: dict[str, dict[str, str]] = {}
        self._profiles: dict[str, dict[str, str]] = {}
        self._services: dict[str, dict[str, str]] = {}

    def profile(self, name: str) -> Mapping[str, str] | None:
        self._load()
        return self._profiles.get(name)

    def services(self, name: str) -> Mapping[str, str] | None:
        self._load()
        return self._services.get(name)

    def section_label(self, profile: str) -> str:
        if not self.config_style:
            return f"[{profile}]"
        if profile == "default":
            return "[default] or [profile default]"
        return f"[profile {profile}]"

    def place(self, profile: str) -> str:
        return f"{self.kind} {self.shown}, section {self.section_label(profile)}"

    def why_no_section(self, profile: str) -> str:
        """Why `profile(name)` is None, with a hint when the section is spelt the other file's way."""
        self._load()
        if not self._exists:
            return "file not found"
        if self.config_style and profile in self._sections and profile != "default":
            return f"no such section (there is a [{profile}]; the config file needs [profile {profile}])"
        if not self.config_style and f"profile {profile}" in self._sections:
            return (
                f"no such section (there is a [profile {profile}]; the credentials file names "
                f"profiles without the 'profile ' prefix: [{profile}])"
            )
        return "no such section"

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self.path is None:
            return
        try:
            with open(self.path, encoding="utf-8") as file:
                text = file.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return
        except UnicodeDecodeError:
            raise ConfigError(f"{self.kind} {self.shown} is not UTF-8 text") from None
        except OSError as exc:
            raise ConfigError(f"cannot read {self.kind} {self.shown}: {exc.strerror}") from None
        import configparser
        import shlex

        parser = configparser.RawConfigParser(
            default_section=_NO_DEFAULT_SECTION, interpolation=None
        )
        try:
            parser.read_string(text)
        except configparser.Error as exc:
            # configparser quotes the offending line, which may hold a secret: say where, not what.
            raise ConfigError(
                f"cannot parse {self.kind} {self.shown}: {_describe_parse_error(exc)}"
            ) from None
        self._exists = True
        self._sections = {name: dict(parser.items(name)) for name in parser.sections()}
        if not self.config_style:
            self._profiles = {name.strip(): options for name, options in self._sections.items()}
            return
        plain_default = None
        for name, options in self._sections.items():
            if name == "default":
                plain_default = options
                continue
            try:
                parts = shlex.split(name)
            except ValueError:
                continue
            if len(parts) == 2 and parts[0] == "profile":
                self._profiles[parts[1]] = options
            elif len(parts) == 2 and parts[0] == "services":
                self._services[parts[1]] = options
        if plain_default is not None:
            # `[profile default]` is the more specific spelling, so it wins over `[default]`.
            self._profiles.setdefault("default", plain_default)


def _describe_parse_error(exc: configparser.Error) -> str:
    import configparser

    if isinstance(exc, configparser.MissingSectionHeaderError):
        return f"line {exc.lineno} comes before any [section] header"
    if isinstance(exc, configparser.ParsingError):
        numbers = [str(lineno) for lineno, _line in exc.errors]
        lines = f"line {numbers[0]} is" if len(numbers) == 1 else f"lines {', '.join(numbers)} are"
        return f"{lines} neither a [section] header nor 'key = value'"
    if isinstance(exc, configparser.DuplicateSectionError):
        return f"section [{exc.section}] appears twice (line {exc.lineno})"
    if isinstance(exc, configparser.DuplicateOptionError):
        return f"key {exc.option!r} appears twice in [{exc.section}] (line {exc.lineno})"
    return type(exc).__name__


class _Lookup:
    """One resolution: the environment, the profile and the two shared files (each read once)."""

    def __init__(self, environ: Mapping[str, str] | None, profile: str | None) -> None:
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.credentials_file = self._shared_file(
            "shared credentials file", "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials", False
        )
        self.config_file = self._shared_file(
            "config file", "AWS_CONFIG_FILE", "~/.aws/config", True
        )

        self.profile = "default"
        self.profile_source = "default"
        if profile is not None:
            if not profile.strip():
                raise ConfigError("profile must not be empty")
            self.profile, self.profile_source = profile, "argument"
        else:
            for var in _PROFILE_VARS:
                value = self.env(var)
                if value is not None:
                    self.profile, self.profile_source = value, var
                    break
        if self.profile_source == "argument":
            self.profile_origin = "given as an argument"
        elif self.profile_source == "default":
            self.profile_origin = f"the default; {' and '.join(_PROFILE_VARS)} are not set"
        else:
            self.profile_origin = f"from environment variable {self.profile_source}"

        if self.profile_source != "default" and all(
            shared.profile(self.profile) is None
            for shared in (self.credentials_file, self.config_file)
        ):
            reasons = "".join(
                f"  - {shared.place(self.profile)}: {shared.why_no_section(self.profile)}\n"
                for shared in (self.credentials_file, self.config_file)
            )
            raise ProfileNotFoundError(
                f"profile {self.profile!r} ({self.profile_origin}) is in neither shared file:\n"
                + reasons.rstrip("\n")
            )

    def env(self, name: str) -> str | None:
        """The variable's value, or None when it is unset or empty."""
        return self.environ.get(name) or None

    def config_value(self, key: str) -> tuple[str, str] | None:
        """The profile's `key` in the config file, with where it was found."""
        section = self.config_file.profile(self.profile)
        value = None if section is None else section.get(key, "").strip()
        if not value:
            return None
        return value, f"{self.config_file.place(self.profile)}, key {key}"

    def _shared_file(self, kind: str, var: str, default: str, config_style: bool) -> _SharedFile:
        written = self.env(var) or default
        if written != "~" and not written.startswith(("~/", "~\\")):
            return _SharedFile(kind, written, written, config_style=config_style)
        home = self.env("HOME") or self.env("USERPROFILE")
        if home is None:
            shown = f"{written} (not read: neither HOME nor USERPROFILE is set)"
            return _SharedFile(kind, None, shown, config_style=config_style)
        path = os.path.join(home, written[2:])
        return _SharedFile(kind, path, path, config_style=config_style)


def _credentials_from_environment(lookup: _Lookup) -> Credentials | None:
    access_key = lookup.env(_ACCESS_KEY_VAR)
    secret_key = lookup.env(_SECRET_KEY_VAR)
    if access_key is None and secret_key is None:
        return None
    if access_key is None or secret_key is None:
        present, missing = (
            (_ACCESS_KEY_VAR, _SECRET_KEY_VAR)
            if secret_key is None
            else (_SECRET_KEY_VAR, _ACCESS_KEY_VAR)
        )
        raise PartialCredentialsError(
            f"environment variable {present} is set but {missing} is not set or empty"
        )
    names = [_ACCESS_KEY_VAR, _SECRET_KEY_VAR]
    token = None
    for var in _TOKEN_VARS:
        token = lookup.env(var)
        if token is not None:
            names.append(var)
            break
    return Credentials(access_key, secret_key, token, f"environment variables {', '.join(names)}")


def _credentials_from_section(section: Mapping[str, str], place: str) -> Credentials | None:
    access_key = section.get("aws_access_key_id", "").strip()
    secret_key = section.get("aws_secret_access_key", "").strip()
    if not access_key and not secret_key:
        return None
    if not access_key or not secret_key:
        present, missing = (
            ("aws_access_key_id", "aws_secret_access_key")
            if access_key
            else ("aws_secret_access_key", "aws_access_key_id")
        )
        raise PartialCredentialsError(f"{place}: has {present} but no {missing}")
    token = None
    for key in _TOKEN_KEYS:
        token = section.get(key, "").strip() or None
        if token is not None:
            break
    return Credentials(access_key, secret_key, token, place)


# --- settings -------------------------------------------------------------------------------


def _resolve(
    lookup: _Lookup,
    config_key: str,
    argument: _T | None,
    env_vars: tuple[str, ...],
    parse: Callable[[str, str], _T],
    default: _T,
) -> tuple[_T, str]:
    """The argument, else the first variable set, else the config key, else the default."""
    if argument is not None:
        return argument, "argument"
    found = _lookup_text(lookup, config_key, env_vars)
    if found is None:
        return default, "default"
    text, where = found
    return parse(text, where), where


def _lookup_text(
    lookup: _Lookup, config_key: str, env_vars: tuple[str, ...]
) -> tuple[str, str] | None:
    for var in env_vars:
        value = lookup.env(var)
        if value is not None:
            return value, f"environment variable {var}"
    return lookup.config_value(config_key)


def _resolve_region(lookup: _Lookup, region: str | None) -> tuple[str, str]:
    env_vars = _REGION_VARS
    if region is not None:
        found: tuple[str, str] | None = (region, "argument")
    else:
        found = _lookup_text(lookup, "region", env_vars)
    if found is None:
        config_place = lookup.config_file.place(lookup.profile)
        section = lookup.config_file.profile(lookup.profile)
        config_reason = (
            lookup.config_file.why_no_section(lookup.profile) if section is None else "no region"
        )
        raise NoRegionError(
            f"no AWS region found for profile {lookup.profile!r} ({lookup.profile_origin}). "
            "Looked at:\n"
            "  - argument region: not given\n"
            f"  - environment variables {' and '.join(env_vars)}: not set\n"
            f"  - {config_place}: {config_reason}"
        )
    value, where = found
    if not is_valid_host_label(value, False):  # a region is one DNS label
        raise ConfigError(f"{where}: {value!r} is not a valid region name")
    return value, where


def _resolve_flag(
    lookup: _Lookup, config_key: str, argument: bool | None, env_var: str
) -> tuple[bool, str]:
    if argument is not None and not isinstance(argument, bool):
        raise ConfigError(f"{config_key} must be True, False or None, not {argument!r}")
    return _resolve(lookup, config_key, argument, (env_var,), _parse_bool, False)


def _resolve_inject_host_prefix(lookup: _Lookup, argument: bool | None) -> tuple[bool, str]:
    if argument is not None:
        if not isinstance(argument, bool):
            raise ConfigError(f"inject_host_prefix must be True, False or None, not {argument!r}")
        return argument, "argument"
    disabled, where = _resolve_flag(
        lookup, "disable_host_prefix_injection", None, "AWS_DISABLE_HOST_PREFIX_INJECTION"
    )
    return not disabled, where


def _parse_bool(text: str, where: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise ConfigError(f"{where}: {text!r} is not true or false")


def _check_max_attempts(argument: int | None) -> int | None:
    if argument is None:
        return None
    if isinstance(argument, bool) or not isinstance(argument, int) or argument < 1:
        raise ConfigError(f"max_attempts must be an int of at least 1, not {argument!r}")
    return argument


def _parse_max_attempts(text: str, where: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()) or int(digits) < 1:
        raise ConfigError(f"{where}: {text!r} is not a whole number of at least 1")
    return int(digits)


def _resolve_retry_mode(lookup: _Lookup, argument: str | None) -> tuple[RetryMode, str]:
    if argument is not None:
        if argument == "off":
            return "off", "argument"
        if argument not in _FILE_RETRY_MODES:
            raise ConfigError(
                f"retry_mode must be one of standard, legacy, adaptive, off; not {argument!r}"
            )
        return "standard", _retry_mode_source(argument, "argument")
    found = _lookup_text(lookup, "retry_mode", ("AWS_RETRY_MODE",))
    if found is None:
        return "standard", "default"
    text, where = found
    if text not in _FILE_RETRY_MODES:
        extra = " ('off' is accepted only as an argument)" if text == "off" else ""
        raise ConfigError(f"{where}: {text!r} is not one of {', '.join(_FILE_RETRY_MODES)}{extra}")
    return "standard", _retry_mode_source(text, where)


def _retry_mode_source(requested: str, where: str) -> str:
    if requested == "standard":
        return where
    return f"{where} ({requested}, served by standard mode)"


def _resolve_endpoint_url(
    lookup: _Lookup, service_id: str, argument: str | None, ignore_configured: bool | None
) -> tuple[str | None, str]:
    if argument is not None:
        return _check_url(argument, "argument endpoint_url"), "argument"
    ignore, ignore_where = _resolve_flag(
        lookup,
        "ignore_configured_endpoint_urls",
        ignore_configured,
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    )
    if ignore:
        return None, f"none: configured endpoint URLs are ignored ({ignore_where})"

    service_key = _environment_key(service_id)
    for var in (f"AWS_ENDPOINT_URL_{service_key.upper()}", "AWS_ENDPOINT_URL"):
        value = lookup.env(var)
        if value is not None:
            where = f"environment variable {var}"
            return _check_url(value, where), where

    found = _services_endpoint_url(lookup, service_key.lower()) or lookup.config_value(
        "endpoint_url"
    )
    if found is None:
        return None, "none configured"
    value, where = found
    return _check_url(value, where), where


def _environment_key(service_id: str) -> str:
    """The service id with each run of whitespace and hyphens made one underscore."""
    key: list[str] = []
    in_run = False
    for char in service_id.strip():
        separator = char == "-" or char.isspace()
        if not (separator and in_run):
            key.append("_" if separator else char)
        in_run = separator
    return "".join(key)


def _services_endpoint_url(lookup: _Lookup, service_key: str) -> tuple[str, str] | None:
    """The `endpoint_url` for this service in the `[services NAME]` section the profile names."""
    named = lookup.config_value("services")
    if named is None:
        return None
    name, where = named
    section = lookup.config_file.services(name)
    if section is None:
        raise ConfigError(f"{where}: names [services {name}], which the config file lacks")
    nested = section.get(service_key, "")
    for line in nested.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() == "endpoint_url" and value.strip():
            return value.strip(), (
                f"config file {lookup.config_file.shown}, section [services {name}], "
                f"{service_key}.endpoint_url"
            )
    return None


_HOST_CHARACTERS: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_~%"
)
_IPV6_CHARACTERS: Final = frozenset("0123456789abcdefABCDEF:.")


def _check_url(url: str, where: str) -> str:
    """The endpoint URL, if every part of it can go into a request line and a Host header.

    Its path and query reach the request line as written, so they may hold visible ASCII only
    (anything else must be percent-encoded): a CR or LF there would add a header to every
    request. User information (`user:password@`) is refused, as it would never be sent.
    """
    scheme, separator, rest = url.partition("://")
    authority = rest.partition("/")[0].partition("?")[0].partition("#")[0]
    if not separator or scheme.lower() not in ("http", "https") or not authority:
        raise ConfigError(f"{where}: {_shown_url(url)!r} is not an http:// or https:// URL")
    if not (url.isascii() and url.isprintable()) or " " in url:
        raise ConfigError(
            f"{where}: the endpoint URL {_shown_url(url)!r} holds a space, a control character "
            "(CR, LF, ...) or non-ASCII text; percent-encode such characters in a path"
        )
    if "@" in authority:
        raise ConfigError(
            f"{where}: the endpoint URL {_shown_url(url)!r} holds user information "
            "(user:password@), which is never sent; remove it"
        )
    host, port = authority, ""
    if host.startswith("["):
        host, bracket, port = host[1:].partition("]")
        valid_host = bool(bracket) and bool(host) and _IPV6_CHARACTERS.issuperset(host)
        if port and not port.startswith(":"):
            valid_host = False
        port = port[1:]
    else:
        host, _, port = host.partition(":")
        valid_host = bool(host) and _HOST_CHARACTERS.issuperset(host)
    if not valid_host:
        raise ConfigError(f"{where}: {host!r} in {url!r} is not a host name or IP address")
    if port and not (port.isdigit() and len(port) <= 5 and 0 < int(port) < 65536):
        raise ConfigError(f"{where}: {port!r} in {url!r} is not a port number (1-65535)")
    return url


def _shown_url(url: str) -> str:
    """The URL with any user information hidden: it may hold a password."""
    scheme, separator, rest = url.partition("://")
    authority, slash, tail = rest.partition("/")
    if "@" not in authority:
        return url
    return f"{scheme}{separator}<hidden>@{authority.rpartition('@')[2]}{slash}{tail}"


def check_seconds(name: str, value: float) -> float:
    """`value` if it is a number of seconds a socket can wait: more than 0, and finite."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1e9:
        raise ConfigError(f"{name} must be a number of seconds above 0, not {value!r}")
    return value


def check_max_response_bytes(value: int) -> int:
    """`max_response_bytes` if it is a whole number of bytes (0 or more)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(f"max_response_bytes must be an int of at least 0, not {value!r}")
    return value
