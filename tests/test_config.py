"""Credential, region and setting resolution (templates/_config.py), by hand and against botocore.

Most tests pass `environ` explicitly and point HOME at a temp dir. The differential tests set the
process environment with monkeypatch instead, because botocore reads `os.environ`; they clear every
`AWS_*` variable first and disable botocore's metadata and legacy boto providers, so both sides see
only the variables and files a test writes.

Where botocore and this module disagree on purpose, `test_known_divergences_from_botocore` lists
the case and asserts both answers, so a change on either side shows up here.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib.util
import os
import pickle
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

import botocore.session  # type: ignore[import-untyped]
import pytest
from botocore.exceptions import (  # type: ignore[import-untyped]
    PartialCredentialsError,
    ProfileNotFound,
)
from hypothesis import given, settings
from hypothesis import strategies as st

# templates/_config.py as the generated package holds it (the tests check that the two agree).
config = importlib.import_module("rekognition._config")

# Secrets carry markers that no variable or file name contains, so a leak cannot hide behind
# a message that legitimately says AWS_SECRET_ACCESS_KEY.
SECRET_MARK = "s3cr3t"
TOKEN_MARK = "t0k3n"


def secret(place: str) -> str:
    return f"{SECRET_MARK}-{place}"


def token(place: str) -> str:
    return f"{TOKEN_MARK}-{place}"


def keys(place: str, *, with_token: str | None = None) -> str:
    """The lines of an INI section holding credentials marked with `place`."""
    text = f"aws_access_key_id = AKID-{place}\naws_secret_access_key = {secret(place)}\n"
    if with_token is not None:
        text += f"{with_token} = {token(place)}\n"
    return text


def write_home(
    home: Path, *, credentials: str | None = None, config_text: str | None = None
) -> dict[str, str]:
    """Write ~/.aws files under `home`; returns an environ with just HOME."""
    aws = home / ".aws"
    aws.mkdir(parents=True, exist_ok=True)
    if credentials is not None:
        (aws / "credentials").write_text(credentials, encoding="utf-8")
    if config_text is not None:
        (aws / "config").write_text(config_text, encoding="utf-8")
    return {"HOME": str(home)}


def env_keys(place: str = "env") -> dict[str, str]:
    return {"AWS_ACCESS_KEY_ID": f"AKID-{place}", "AWS_SECRET_ACCESS_KEY": secret(place)}


def assert_no_secrets(text: str) -> None:
    assert SECRET_MARK not in text
    assert TOKEN_MARK not in text


def error_text(exc: BaseException) -> str:
    return f"{exc!s}\n{exc!r}\n{exc.args!r}"


# --- credentials: precedence ------------------------------------------------------------------


def test_explicit_arguments_win_over_environment_and_files(tmp_path: Path) -> None:
    environ = write_home(
        tmp_path, credentials="[default]\n" + keys("file"), config_text="[default]\n" + keys("cfg")
    )
    environ |= env_keys() | {"AWS_SESSION_TOKEN": token("env")}
    creds = config.resolve_credentials(
        access_key="AKID-arg", secret_key=secret("arg"), session_token=token("arg"), environ=environ
    )
    assert (creds.access_key, creds.secret_key, creds.session_token) == (
        "AKID-arg",
        secret("arg"),
        token("arg"),
    )
    assert creds.source == "arguments"


def test_explicit_arguments_without_token_do_not_borrow_the_environment_token(
    tmp_path: Path,
) -> None:
    environ = write_home(tmp_path) | env_keys() | {"AWS_SESSION_TOKEN": token("env")}
    creds = config.resolve_credentials(
        access_key="AKID-arg", secret_key=secret("arg"), environ=environ
    )
    assert creds.session_token is None


@pytest.mark.parametrize(
    ("arguments", "missing"),
    [
        ({"access_key": "AKID-arg"}, "secret_key"),
        ({"secret_key": secret("arg")}, "access_key"),
        ({"session_token": token("arg")}, "access_key, secret_key"),
        ({"access_key": "", "secret_key": secret("arg")}, "access_key"),
    ],
    ids=["key-only", "secret-only", "token-only", "empty-key"],
)
def test_partial_explicit_credentials_are_an_error(
    tmp_path: Path, arguments: dict[str, str], missing: str
) -> None:
    # Complete credentials elsewhere must not paper over a half-given pair in code.
    environ = write_home(tmp_path, credentials="[default]\n" + keys("file")) | env_keys()
    with pytest.raises(config.PartialCredentialsError) as caught:
        config.resolve_credentials(environ=environ, **arguments)
    assert isinstance(caught.value, config.ConfigError)
    assert f"missing or empty: {missing}" in str(caught.value)
    assert_no_secrets(error_text(caught.value))


def test_environment_beats_both_files(tmp_path: Path) -> None:
    environ = write_home(
        tmp_path, credentials="[default]\n" + keys("file"), config_text="[default]\n" + keys("cfg")
    )
    creds = config.resolve_credentials(environ=environ | env_keys())
    assert (creds.access_key, creds.secret_key, creds.session_token) == (
        "AKID-env",
        secret("env"),
        None,
    )
    assert creds.source == "environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY"


@pytest.mark.parametrize(
    ("token_vars", "expected", "named"),
    [
        ({"AWS_SESSION_TOKEN": token("session")}, token("session"), "AWS_SESSION_TOKEN"),
        ({"AWS_SECURITY_TOKEN": token("legacy")}, token("legacy"), "AWS_SECURITY_TOKEN"),
        (
            {"AWS_SESSION_TOKEN": token("session"), "AWS_SECURITY_TOKEN": token("legacy")},
            token("session"),
            "AWS_SESSION_TOKEN",
        ),
        ({"AWS_SESSION_TOKEN": "", "AWS_SECURITY_TOKEN": token("legacy")}, token("legacy"), None),
    ],
    ids=["session", "legacy", "session-wins", "empty-session-falls-back"],
)
def test_environment_session_token_and_its_legacy_name(
    tmp_path: Path, token_vars: dict[str, str], expected: str, named: str | None
) -> None:
    creds = config.resolve_credentials(environ=write_home(tmp_path) | env_keys() | token_vars)
    assert creds.session_token == expected
    if named is not None:
        assert creds.source.endswith(named)


@pytest.mark.parametrize(
    ("variables", "present", "missing"),
    [
        ({"AWS_ACCESS_KEY_ID": "AKID-env"}, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
        ({"AWS_SECRET_ACCESS_KEY": secret("env")}, "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID"),
        (
            {"AWS_ACCESS_KEY_ID": "AKID-env", "AWS_SECRET_ACCESS_KEY": ""},
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
        ),
    ],
    ids=["key-only", "secret-only", "empty-secret"],
)
def test_partial_environment_credentials_are_an_error(
    tmp_path: Path, variables: dict[str, str], present: str, missing: str
) -> None:
    environ = write_home(tmp_path, credentials="[default]\n" + keys("file")) | variables
    with pytest.raises(config.PartialCredentialsError) as caught:
        config.resolve_credentials(environ=environ)
    assert f"{present} is set but {missing}" in str(caught.value)
    assert_no_secrets(error_text(caught.value))


def test_empty_environment_variables_count_as_unset(tmp_path: Path) -> None:
    environ = write_home(tmp_path, credentials="[default]\n" + keys("file"))
    environ |= {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": ""}
    assert config.resolve_credentials(environ=environ).access_key == "AKID-file"


def test_credentials_file_beats_config_file(tmp_path: Path) -> None:
    environ = write_home(
        tmp_path,
        credentials="[default]\n" + keys("file", with_token="aws_session_token"),
        config_text="[default]\n" + keys("cfg"),
    )
    creds = config.resolve_credentials(environ=environ)
    assert (creds.access_key, creds.session_token) == ("AKID-file", token("file"))
    assert creds.source == (
        f"shared credentials file {tmp_path / '.aws' / 'credentials'}, section [default]"
    )


def test_config_file_is_used_when_the_credentials_file_lacks_the_profile(tmp_path: Path) -> None:
    environ = write_home(
        tmp_path,
        credentials="[other]\n" + keys("other"),
        config_text="[profile dev]\n" + keys("cfg", with_token="aws_session_token"),
    )
    creds = config.resolve_credentials(profile="dev", environ=environ)
    assert (creds.access_key, creds.secret_key, creds.session_token) == (
        "AKID-cfg",
        secret("cfg"),
        token("cfg"),
    )
    assert creds.source == f"config file {tmp_path / '.aws' / 'config'}, section [profile dev]"


def test_config_file_is_used_when_the_credentials_profile_has_no_keys(tmp_path: Path) -> None:
    environ = write_home(
        tmp_path,
        credentials="[default]\naws_session_token = x\n",
        config_text="[default]\n" + keys("cfg"),
    )
    assert config.resolve_credentials(environ=environ).access_key == "AKID-cfg"


@pytest.mark.parametrize(
    ("token_lines", "expected"),
    [
        (f"aws_session_token = {token('session')}\n", token("session")),
        (f"aws_security_token = {token('legacy')}\n", token("legacy")),
        (
            f"aws_security_token = {token('legacy')}\naws_session_token = {token('session')}\n",
            token("session"),
        ),
    ],
    ids=["session", "legacy", "session-wins"],
)
def test_file_session_token_and_its_legacy_name(
    tmp_path: Path, token_lines: str, expected: str
) -> None:
    environ = write_home(tmp_path, credentials="[default]\n" + keys("file") + token_lines)
    assert config.resolve_credentials(environ=environ).session_token == expected


@pytest.mark.parametrize(
    ("section", "present", "missing"),
    [
        ("aws_access_key_id = AKID-file\n", "aws_access_key_id", "aws_secret_access_key"),
        (
            f"aws_secret_access_key = {secret('file')}\n",
            "aws_secret_access_key",
            "aws_access_key_id",
        ),
    ],
    ids=["key-only", "secret-only"],
)
@pytest.mark.parametrize("which", ["credentials", "config"])
def test_partial_file_credentials_are_an_error(
    tmp_path: Path, section: str, present: str, missing: str, which: str
) -> None:
    files = {"credentials": "[default]\n" + section} if which == "credentials" else {}
    if which == "config":
        files["config_text"] = "[default]\n" + section
    environ = write_home(tmp_path, **files)
    with pytest.raises(config.PartialCredentialsError) as caught:
        config.resolve_credentials(environ=environ)
    assert f"has {present} but no {missing}" in str(caught.value)
    assert_no_secrets(error_text(caught.value))


# --- profiles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "variables", "expected"),
    [
        ("arg", {"AWS_PROFILE": "env", "AWS_DEFAULT_PROFILE": "legacy"}, "arg"),
        (None, {"AWS_PROFILE": "env", "AWS_DEFAULT_PROFILE": "legacy"}, "env"),
        (None, {"AWS_DEFAULT_PROFILE": "legacy"}, "legacy"),
        (None, {"AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "legacy"}, "legacy"),
        (None, {}, "default"),
    ],
    ids=["argument", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "empty-AWS_PROFILE", "default"],
)
def test_profile_name_precedence(
    tmp_path: Path, argument: str | None, variables: dict[str, str], expected: str
) -> None:
    credentials = "".join(
        f"[{name}]\n" + keys(name) for name in ("arg", "env", "legacy", "default")
    )
    config_text = "".join(
        f"[profile {name}]\nregion = {name}-region-1\n" for name in ("arg", "env", "legacy")
    )
    config_text += "[default]\nregion = default-region-1\n"
    environ = write_home(tmp_path, credentials=credentials, config_text=config_text) | variables
    creds = config.resolve_credentials(profile=argument, environ=environ)
    assert creds.access_key == f"AKID-{expected}"
    assert config.resolve_region(profile=argument, environ=environ) == f"{expected}-region-1"
    settings_ = config.resolve_settings("Rekognition", profile=argument, environ=environ)
    assert settings_.profile == expected


def test_profile_argument_skips_environment_credentials(tmp_path: Path) -> None:
    environ = write_home(tmp_path, credentials="[dev]\n" + keys("dev")) | env_keys()
    assert config.resolve_credentials(profile="dev", environ=environ).access_key == "AKID-dev"


def test_profile_from_environment_does_not_skip_environment_credentials(tmp_path: Path) -> None:
    environ = write_home(tmp_path, credentials="[dev]\n" + keys("dev")) | env_keys()
    environ["AWS_PROFILE"] = "dev"
    assert config.resolve_credentials(environ=environ).access_key == "AKID-env"


def test_no_credentials_names_the_skipped_environment(tmp_path: Path) -> None:
    environ = write_home(tmp_path, config_text="[profile dev]\nregion = us-east-1\n") | env_keys()
    with pytest.raises(config.NoCredentialsError) as caught:
        config.resolve_credentials(profile="dev", environ=environ)
    assert "skipped, because the profile was given as an argument" in str(caught.value)


def test_credentials_file_names_profiles_without_prefix(tmp_path: Path) -> None:
    environ = write_home(tmp_path, credentials="[dev]\n" + keys("dev"))
    assert config.resolve_credentials(profile="dev", environ=environ).access_key == "AKID-dev"

    environ = write_home(tmp_path / "prefixed", credentials="[profile dev]\n" + keys("dev"))
    with pytest.raises(config.ProfileNotFoundError) as caught:
        config.resolve_credentials(profile="dev", environ=environ)
    assert "there is a [profile dev]" in str(caught.value)
    assert "without the 'profile ' prefix: [dev]" in str(caught.value)


def test_config_file_names_profiles_with_prefix(tmp_path: Path) -> None:
    environ = write_home(tmp_path, config_text="[profile dev]\n" + keys("dev"))
    assert config.resolve_credentials(profile="dev", environ=environ).access_key == "AKID-dev"

    environ = write_home(tmp_path / "bare", config_text="[dev]\n" + keys("dev"))
    with pytest.raises(config.ProfileNotFoundError) as caught:
        config.resolve_credentials(profile="dev", environ=environ)
    assert "there is a [dev]; the config file needs [profile dev]" in str(caught.value)


@pytest.mark.parametrize(
    ("config_text", "expected"),
    [
        ("[default]\n" + keys("plain"), "AKID-plain"),
        ("[profile default]\n" + keys("prefixed"), "AKID-prefixed"),
        ("[default]\n" + keys("plain") + "[profile default]\n" + keys("prefixed"), "AKID-prefixed"),
        ("[profile default]\n" + keys("prefixed") + "[default]\n" + keys("plain"), "AKID-prefixed"),
    ],
    ids=["plain", "prefixed", "prefixed-wins-after", "prefixed-wins-before"],
)
def test_config_file_default_profile_spellings(
    tmp_path: Path, config_text: str, expected: str
) -> None:
    environ = write_home(tmp_path, config_text=config_text)
    assert config.resolve_credentials(environ=environ).access_key == expected


def test_quoted_and_spaced_profile_names_in_config_file(tmp_path: Path) -> None:
    environ = write_home(
        tmp_path,
        config_text='[profile "my team"]\nregion = eu-west-1\n[profile   spaced  ]\nregion = eu-west-2\n',
    )
    assert config.resolve_region(profile="my team", environ=environ) == "eu-west-1"
    assert config.resolve_region(profile="spaced", environ=environ) == "eu-west-2"


def test_uppercase_default_section_is_an_ordinary_profile(tmp_path: Path) -> None:
    # configparser would copy [DEFAULT] into every section; AWS tools give it no such meaning.
    environ = write_home(tmp_path, credentials="[DEFAULT]\n" + keys("upper") + "[dev]\nx = 1\n")
    with pytest.raises(config.NoCredentialsError):
        config.resolve_credentials(profile="dev", environ=environ)
    assert config.resolve_credentials(profile="DEFAULT", environ=environ).access_key == "AKID-upper"


@pytest.mark.parametrize(
    ("argument", "variables", "origin"),
    [
        ("nope", {}, "given as an argument"),
        (None, {"AWS_PROFILE": "nope"}, "from environment variable AWS_PROFILE"),
        (None, {"AWS_DEFAULT_PROFILE": "nope"}, "from environment variable AWS_DEFAULT_PROFILE"),
    ],
    ids=["argument", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"],
)
def test_unknown_requested_profile_is_an_error_everywhere(
    tmp_path: Path, argument: str | None, variables: dict[str, str], origin: str
) -> None:
    environ = write_home(
        tmp_path,
        credentials="[default]\n" + keys("file"),
        config_text="[default]\nregion = us-east-1\n",
    )
    environ |= env_keys() | {"AWS_REGION": "us-west-2"} | variables
    calls: list[Callable[[], object]] = [
        lambda: config.resolve_credentials(profile=argument, environ=environ),
        lambda: config.resolve_credentials(
            access_key="AKID-arg", secret_key=secret("arg"), profile=argument, environ=environ
        ),
        lambda: config.resolve_region(profile=argument, environ=environ),
        lambda: config.resolve_settings("Rekognition", profile=argument, environ=environ),
    ]
    for call in calls:
        with pytest.raises(config.ProfileNotFoundError) as caught:
            call()
        message = str(caught.value)
        assert f"profile 'nope' ({origin}) is in neither shared file" in message
        assert str(tmp_path / ".aws" / "credentials") in message
        assert str(tmp_path / ".aws" / "config") in message
        assert_no_secrets(error_text(caught.value))


def test_explicitly_requested_default_profile_must_exist(tmp_path: Path) -> None:
    environ = write_home(tmp_path) | env_keys() | {"AWS_PROFILE": "default"}
    with pytest.raises(config.ProfileNotFoundError):
        config.resolve_credentials(environ=environ)


def test_missing_default_profile_is_not_an_error(tmp_path: Path) -> None:
    environ = write_home(tmp_path) | env_keys()
    assert config.resolve_credentials(environ=environ).access_key == "AKID-env"


def test_empty_profile_argument_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError, match="profile must not be empty"):
        config.resolve_credentials(profile=" ", environ=write_home(tmp_path))


# --- where the files are ---------------------------------------------------------------------


def test_file_location_variables(tmp_path: Path) -> None:
    environ = write_home(
        tmp_path, credentials="[default]\n" + keys("home"), config_text="[default]\n" + keys("home")
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "creds.ini").write_text("[default]\n" + keys("moved"), encoding="utf-8")
    (elsewhere / "conf.ini").write_text(
        "[default]\nregion = ap-south-1\n[profile only-here]\n" + keys("moved-cfg"),
        encoding="utf-8",
    )
    environ |= {
        "AWS_SHARED_CREDENTIALS_FILE": str(elsewhere / "creds.ini"),
        "AWS_CONFIG_FILE": str(elsewhere / "conf.ini"),
    }
    assert config.resolve_credentials(environ=environ).access_key == "AKID-moved"
    assert config.resolve_region(environ=environ) == "ap-south-1"
    creds = config.resolve_credentials(profile="only-here", environ=environ)
    assert creds.access_key == "AKID-moved-cfg"
    assert str(elsewhere / "conf.ini") in creds.source


def test_file_location_variables_expand_home(tmp_path: Path) -> None:
    (tmp_path / "alt").mkdir()
    (tmp_path / "alt" / "c").write_text("[default]\n" + keys("alt"), encoding="utf-8")
    environ = {"HOME": str(tmp_path), "AWS_SHARED_CREDENTIALS_FILE": "~/alt/c"}
    creds = config.resolve_credentials(environ=environ)
    assert creds.access_key == "AKID-alt"
    assert str(tmp_path / "alt" / "c") in creds.source


def test_userprofile_is_the_home_when_home_is_unset(tmp_path: Path) -> None:
    write_home(tmp_path, credentials="[default]\n" + keys("win"))
    environ = {"USERPROFILE": str(tmp_path)}
    assert config.resolve_credentials(environ=environ).access_key == "AKID-win"


def test_without_a_home_the_default_files_are_not_read(tmp_path: Path) -> None:
    with pytest.raises(config.NoCredentialsError) as caught:
        config.resolve_credentials(environ={})
    assert "~/.aws/credentials (not read: neither HOME nor USERPROFILE is set)" in str(caught.value)
    assert "~/.aws/config (not read: neither HOME nor USERPROFILE is set)" in str(caught.value)


def test_a_directory_in_place_of_a_file_counts_as_missing(tmp_path: Path) -> None:
    (tmp_path / ".aws" / "credentials").mkdir(parents=True)
    environ = write_home(tmp_path, config_text="[default]\n" + keys("cfg"))
    assert config.resolve_credentials(environ=environ).access_key == "AKID-cfg"


# --- nothing found -----------------------------------------------------------------------------


def test_no_credentials_message_lists_every_place(tmp_path: Path) -> None:
    environ = write_home(tmp_path)
    with pytest.raises(config.NoCredentialsError) as caught:
        config.resolve_credentials(environ=environ)
    assert isinstance(caught.value, config.ConfigError)
    message = str(caught.value)
    for expected in (
        "profile 'default' (the default; AWS_PROFILE and AWS_DEFAULT_PROFILE are not set)",
        "arguments access_key and secret_key: not given",
        "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: not set",
        f"shared credentials file {tmp_path / '.aws' / 'credentials'}, section [default]: "
        "file not found",
        f"config file {tmp_path / '.aws' / 'config'}, section [default] or [profile default]: "
        "file not found",
        "container or instance metadata",
    ):
        assert expected in message


def test_no_credentials_message_explains_sections_without_keys(tmp_path: Path) -> None:
    environ = write_home(
        tmp_path,
        credentials="[other]\n" + keys("other"),
        config_text="[profile dev]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = other\n",
    )
    with pytest.raises(config.NoCredentialsError) as caught:
        config.resolve_credentials(profile="dev", environ=environ)
    message = str(caught.value)
    assert "section [dev]: no such section" in message
    assert "section [profile dev]: no aws_access_key_id; it has role_arn, source_profile" in message
    assert_no_secrets(message)


# --- unreadable files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"[default]\n{secret('pasted')}\n",
            "line 2 is neither a [section] header nor 'key = value'",
        ),
        (f"aws_secret_access_key = {secret('top')}\n", "line 1 comes before any [section] header"),
        (
            f"[default]\naws_secret_access_key = {secret('a')}\naws_secret_access_key = {secret('b')}\n",
            "key 'aws_secret_access_key' appears twice in [default] (line 3)",
        ),
        ("[default]\n[default]\n", "section [default] appears twice (line 2)"),
    ],
    ids=["bare-line", "no-header", "duplicate-key", "duplicate-section"],
)
def test_parse_errors_say_where_but_not_what(tmp_path: Path, text: str, expected: str) -> None:
    environ = write_home(tmp_path, credentials=text)
    with pytest.raises(config.ConfigError) as caught:
        config.resolve_credentials(environ=environ)
    message = str(caught.value)
    assert message.startswith(f"cannot parse shared credentials file {tmp_path}")
    assert expected in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert_no_secrets(error_text(caught.value))


def test_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    environ = write_home(tmp_path)
    (tmp_path / ".aws" / "config").write_bytes(b"[default]\nregion = \xff\xfe\n")
    with pytest.raises(config.ConfigError, match="is not UTF-8 text"):
        config.resolve_region(environ=environ)


# --- the Credentials value -----------------------------------------------------------------------


def test_credentials_repr_and_str_hide_secret_and_token() -> None:
    creds = config.Credentials("AKID-x", secret("x"), token("x"), source="somewhere")
    for text in (repr(creds), str(creds), f"{creds}", f"{creds!r}", repr([creds])):
        assert_no_secrets(text)
        assert "AKID-x" in text and "somewhere" in text
    assert "session_token=<hidden>" in repr(creds)
    assert "session_token=None" in repr(config.Credentials("AKID-x", secret("x")))
    with pytest.raises(AttributeError, match="frozen"):
        creds.secret_key = "other"
    assert config.Credentials("a", "b").source == "arguments"


def test_secrets_never_reach_any_message_or_repr(tmp_path: Path) -> None:
    """Every outcome of a resolution over planted secrets, successful or not, stays clean."""
    full = "[default]\n" + keys("d", with_token="aws_session_token")
    setups: list[tuple[dict[str, str], dict[str, Any]]] = [
        (write_home(tmp_path / "a", credentials=full) | env_keys(), {}),
        (write_home(tmp_path / "b", credentials=full), {"profile": "missing"}),
        (write_home(tmp_path / "c", credentials=full), {}),
        (write_home(tmp_path / "d", config_text=full), {}),
        (write_home(tmp_path / "e"), {"access_key": "AKID", "session_token": token("t")}),
        (write_home(tmp_path / "f") | {"AWS_SECRET_ACCESS_KEY": secret("e")}, {}),
        (write_home(tmp_path / "g", credentials=full + f"{secret('x')}\n"), {}),
        (
            write_home(
                tmp_path / "h", credentials=f"[default]\naws_secret_access_key={secret('h')}"
            ),
            {},
        ),
        (write_home(tmp_path / "i", config_text=f"[default]\nrole_arn = {secret('i')}\n"), {}),
    ]
    for environ, arguments in setups:
        try:
            outcome = repr(config.resolve_credentials(environ=environ, **arguments))
        except config.ConfigError as exc:
            outcome = error_text(exc)
        assert_no_secrets(outcome)
        try:
            outcome = repr(
                config.resolve_settings("Rekognition", environ=environ | {"AWS_REGION": "x"})
            )
        except config.ConfigError as exc:
            outcome = error_text(exc)
        assert_no_secrets(outcome)


# --- region ----------------------------------------------------------------------------------


REGION_LAYERS = {
    "argument": "af-south-1",
    "AWS_REGION": "eu-north-1",
    "AWS_DEFAULT_REGION": "ca-central-1",
    "config": "sa-east-1",
}


@pytest.mark.parametrize("top", list(REGION_LAYERS))
def test_region_precedence(tmp_path: Path, top: str) -> None:
    layers = list(REGION_LAYERS)[list(REGION_LAYERS).index(top) :]
    environ = write_home(
        tmp_path,
        config_text=(
            f"[default]\nregion = {REGION_LAYERS['config']}\n" if "config" in layers else ""
        ),
    )
    environ |= {name: REGION_LAYERS[name] for name in layers if name.startswith("AWS_")}
    argument = REGION_LAYERS["argument"] if "argument" in layers else None
    assert config.resolve_region(region=argument, environ=environ) == REGION_LAYERS[top]
    settings_ = config.resolve_settings("Rekognition", region=argument, environ=environ)
    assert settings_.region == REGION_LAYERS[top]
    expected_source = {
        "argument": "argument",
        "AWS_REGION": "environment variable AWS_REGION",
        "AWS_DEFAULT_REGION": "environment variable AWS_DEFAULT_REGION",
        "config": f"config file {tmp_path / '.aws' / 'config'}, section [default] or "
        "[profile default], key region",
    }[top]
    assert settings_.sources["region"] == expected_source


def test_region_comes_from_the_chosen_profile_of_the_config_file_only(tmp_path: Path) -> None:
    environ = write_home(
        tmp_path,
        credentials="[dev]\nregion = us-west-1\n" + keys("dev"),
        config_text="[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-3\n",
    )
    assert config.resolve_region(environ=environ) == "us-east-1"
    assert config.resolve_region(profile="dev", environ=environ) == "eu-west-3"
    environ = write_home(tmp_path / "creds-only", credentials="[dev]\nregion = us-west-1\n")
    with pytest.raises(config.NoRegionError):
        config.resolve_region(profile="dev", environ=environ)


def test_no_region_message_lists_every_place(tmp_path: Path) -> None:
    environ = write_home(tmp_path, config_text="[profile dev]\noutput = json\n")
    environ["AWS_PROFILE"] = "dev"
    with pytest.raises(config.NoRegionError) as caught:
        config.resolve_region(environ=environ)
    assert isinstance(caught.value, config.ConfigError)
    message = str(caught.value)
    for expected in (
        "profile 'dev' (from environment variable AWS_PROFILE)",
        "argument region: not given",
        "environment variables AWS_REGION and AWS_DEFAULT_REGION: not set",
        f"config file {tmp_path / '.aws' / 'config'}, section [profile dev]: no region",
    ):
        assert expected in message
    with pytest.raises(config.NoRegionError, match="file not found"):
        config.resolve_region(environ=write_home(tmp_path / "empty"))


@pytest.mark.parametrize("bad", ["us-east-1 # comment", "us east", "evil.example.com/", "-us"])
def test_region_must_be_a_host_label(tmp_path: Path, bad: str) -> None:
    environ = write_home(tmp_path, config_text=f"[default]\nregion = {bad}\n")
    with pytest.raises(config.ConfigError, match="is not a valid region name") as caught:
        config.resolve_region(environ=environ)
    assert "key region" in str(caught.value)
    with pytest.raises(config.ConfigError, match="environment variable AWS_REGION"):
        config.resolve_region(environ={"AWS_REGION": bad})


# --- other settings --------------------------------------------------------------------------


def test_settings_defaults(tmp_path: Path) -> None:
    settings_ = config.resolve_settings(
        "Rekognition", region="us-east-1", environ=write_home(tmp_path)
    )
    assert settings_ == config.ClientSettings(
        region="us-east-1",
        use_fips_endpoint=False,
        use_dualstack_endpoint=False,
        max_attempts=3,
        retry_mode="standard",
        endpoint_url=None,
        inject_host_prefix=True,
        profile="default",
        sources=settings_.sources,
    )
    assert dict(settings_.sources) == {
        "profile": "'default' (the default; AWS_PROFILE and AWS_DEFAULT_PROFILE are not set)",
        "region": "argument",
        "use_fips_endpoint": "default",
        "use_dualstack_endpoint": "default",
        "max_attempts": "default",
        "retry_mode": "default",
        "endpoint_url": "none configured",
        "inject_host_prefix": "default",
    }


def test_records_survive_copy_and_pickle(tmp_path: Path) -> None:
    creds = config.Credentials("AKID-x", secret("x"), token("x"), source="somewhere")
    for copied in (copy.copy(creds), copy.deepcopy(creds), pickle.loads(pickle.dumps(creds))):
        assert copied == creds and type(copied) is config.Credentials
        with pytest.raises(AttributeError, match="frozen"):
            copied.access_key = "other"
    settings_ = config.resolve_settings(
        "Rekognition", region="us-east-1", environ=write_home(tmp_path)
    )
    assert copy.copy(settings_) == settings_


def test_settings_are_frozen_and_sources_read_only(tmp_path: Path) -> None:
    settings_ = config.resolve_settings(
        "Rekognition", region="us-east-1", environ=write_home(tmp_path)
    )
    with pytest.raises(AttributeError, match="frozen"):
        settings_.region = "x"
    with pytest.raises(TypeError):
        settings_.sources["region"] = "x"
    assert settings_.replace() == settings_ and hash(settings_) == hash(settings_.replace())
    assert settings_.replace(region="eu-west-1").region == "eu-west-1" != settings_.region


# (field, argument, environment variable and value, config key and value, expected for each)
SETTING_LAYERS: list[tuple[str, Any, tuple[str, str], tuple[str, str], tuple[Any, Any, Any]]] = [
    (
        "use_fips_endpoint",
        False,
        ("AWS_USE_FIPS_ENDPOINT", "true"),
        ("use_fips_endpoint", "false"),
        (False, True, False),
    ),
    (
        "use_dualstack_endpoint",
        True,
        ("AWS_USE_DUALSTACK_ENDPOINT", "false"),
        ("use_dualstack_endpoint", "true"),
        (True, False, True),
    ),
    ("max_attempts", 7, ("AWS_MAX_ATTEMPTS", "5"), ("max_attempts", "4"), (7, 5, 4)),
    # boto3's setting, and botocore's variable and config key that turn it off.
    (
        "inject_host_prefix",
        False,
        ("AWS_DISABLE_HOST_PREFIX_INJECTION", "false"),
        ("disable_host_prefix_injection", "true"),
        (False, True, False),
    ),
    (
        "endpoint_url",
        "https://arg.example",
        ("AWS_ENDPOINT_URL", "http://env.example:4566"),
        ("endpoint_url", "https://cfg.example/base"),
        ("https://arg.example", "http://env.example:4566", "https://cfg.example/base"),
    ),
]


@pytest.mark.parametrize("layer", ["argument", "environment", "config"])
@pytest.mark.parametrize("row", SETTING_LAYERS, ids=[row[0] for row in SETTING_LAYERS])
def test_setting_precedence(
    tmp_path: Path,
    row: tuple[str, Any, tuple[str, str], tuple[str, str], tuple[Any, Any, Any]],
    layer: str,
) -> None:
    name, argument, (var, env_value), (key, config_value), expected = row
    environ = write_home(tmp_path, config_text=f"[profile p]\n{key} = {config_value}\n")
    environ |= {"AWS_REGION": "us-east-1", "AWS_PROFILE": "p"}
    arguments: dict[str, Any] = {}
    if layer == "argument":
        arguments[name] = argument
    if layer in ("argument", "environment"):
        environ[var] = env_value
    settings_ = config.resolve_settings("Rekognition", environ=environ, **arguments)
    index = ["argument", "environment", "config"].index(layer)
    assert getattr(settings_, name) == expected[index]
    assert (
        settings_.sources[name]
        == [
            "argument",
            f"environment variable {var}",
            f"config file {tmp_path / '.aws' / 'config'}, section [profile p], key {key}",
        ][index]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("TRUE", True), (" True ", True), ("false", False), ("FaLsE", False)],
)
def test_booleans_are_true_or_false_in_any_case(tmp_path: Path, text: str, expected: bool) -> None:
    environ = write_home(tmp_path, config_text=f"[default]\nuse_dualstack_endpoint = {text}\n")
    environ |= {"AWS_REGION": "us-east-1", "AWS_USE_FIPS_ENDPOINT": text}
    settings_ = config.resolve_settings("Rekognition", environ=environ)
    assert settings_.use_fips_endpoint is expected
    assert settings_.use_dualstack_endpoint is expected


@pytest.mark.parametrize("text", ["yes", "1", "0", "on", "tru", "true false"])
def test_other_boolean_text_is_an_error_naming_variable_and_value(
    tmp_path: Path, text: str
) -> None:
    environ = write_home(tmp_path) | {"AWS_REGION": "us-east-1", "AWS_USE_FIPS_ENDPOINT": text}
    with pytest.raises(config.ConfigError) as caught:
        config.resolve_settings("Rekognition", environ=environ)
    assert (
        str(caught.value)
        == f"environment variable AWS_USE_FIPS_ENDPOINT: {text!r} is not true or false"
    )

    environ = write_home(tmp_path, config_text=f"[default]\nuse_dualstack_endpoint = {text}\n")
    with pytest.raises(
        config.ConfigError, match=r"key use_dualstack_endpoint: .* is not true or false"
    ):
        config.resolve_settings("Rekognition", environ=environ | {"AWS_REGION": "us-east-1"})


def test_boolean_arguments_must_be_bools(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigError, match="use_fips_endpoint must be True, False or None"):
        config.resolve_settings(
            "Rekognition",
            region="us-east-1",
            use_fips_endpoint="true",
            environ=write_home(tmp_path),
        )


@pytest.mark.parametrize("text", ["0", "-1", "three", "3.5", "+3", "3_0", "\u00b3", ""])
def test_invalid_max_attempts_text_is_an_error(tmp_path: Path, text: str) -> None:
    environ = write_home(tmp_path, config_text=f"[default]\nmax_attempts = {text}\n")
    environ |= {"AWS_REGION": "us-east-1"}
    if not text:  # an empty value is no value
        assert config.resolve_settings("Rekognition", environ=environ).max_attempts == 3
        return
    with pytest.raises(config.ConfigError, match="is not a whole number of at least 1") as caught:
        config.resolve_settings("Rekognition", environ=environ)
    assert f"key max_attempts: {text!r}" in str(caught.value)


@pytest.mark.parametrize("value", [0, -2, True, 2.0, "3"])
def test_invalid_max_attempts_argument_is_an_error(tmp_path: Path, value: Any) -> None:
    with pytest.raises(config.ConfigError, match="max_attempts must be an int of at least 1"):
        config.resolve_settings(
            "Rekognition", region="us-east-1", max_attempts=value, environ=write_home(tmp_path)
        )


@pytest.mark.parametrize(
    ("argument", "variable", "expected_source"),
    [
        (None, "standard", "environment variable AWS_RETRY_MODE"),
        (None, "legacy", "environment variable AWS_RETRY_MODE (legacy, served by standard mode)"),
        (
            None,
            "adaptive",
            "environment variable AWS_RETRY_MODE (adaptive, served by standard mode)",
        ),
        ("adaptive", "legacy", "argument (adaptive, served by standard mode)"),
        ("standard", "adaptive", "argument"),
    ],
)
def test_retry_modes_map_to_standard(
    tmp_path: Path, argument: str | None, variable: str, expected_source: str
) -> None:
    environ = write_home(tmp_path) | {"AWS_REGION": "us-east-1", "AWS_RETRY_MODE": variable}
    settings_ = config.resolve_settings("Rekognition", retry_mode=argument, environ=environ)
    assert settings_.retry_mode == "standard"
    assert settings_.sources["retry_mode"] == expected_source


def test_retry_mode_from_config_file(tmp_path: Path) -> None:
    environ = write_home(tmp_path, config_text="[default]\nretry_mode = legacy\nmax_attempts = 6\n")
    settings_ = config.resolve_settings(
        "Rekognition", environ=environ | {"AWS_REGION": "us-east-1"}
    )
    assert (settings_.retry_mode, settings_.max_attempts) == ("standard", 6)
    assert settings_.sources["retry_mode"].endswith(
        "key retry_mode (legacy, served by standard mode)"
    )


def test_retry_mode_off_is_one_attempt(tmp_path: Path) -> None:
    environ = write_home(tmp_path) | {"AWS_REGION": "us-east-1", "AWS_MAX_ATTEMPTS": "9"}
    settings_ = config.resolve_settings("Rekognition", retry_mode="off", environ=environ)
    assert (settings_.retry_mode, settings_.max_attempts) == ("off", 1)
    assert settings_.sources["max_attempts"] == "retry_mode 'off'"
    same = config.resolve_settings("Rekognition", retry_mode="off", max_attempts=1, environ=environ)
    assert same.max_attempts == 1
    with pytest.raises(config.ConfigError, match="max_attempts=4 contradicts retry_mode='off'"):
        config.resolve_settings("Rekognition", retry_mode="off", max_attempts=4, environ=environ)


@pytest.mark.parametrize(
    ("where", "text", "message"),
    [
        (
            "env",
            "off",
            "'off' is not one of standard, legacy, adaptive ('off' is accepted only as an argument)",
        ),
        ("env", "Standard", "'Standard' is not one of standard, legacy, adaptive"),
        ("config", "fast", "key retry_mode: 'fast' is not one of standard, legacy, adaptive"),
    ],
)
def test_invalid_retry_mode_is_an_error(
    tmp_path: Path, where: str, text: str, message: str
) -> None:
    environ = write_home(
        tmp_path, config_text=f"[default]\nretry_mode = {text}\n" if where == "config" else ""
    )
    if where == "env":
        environ["AWS_RETRY_MODE"] = text
    with pytest.raises(config.ConfigError) as caught:
        config.resolve_settings("Rekognition", environ=environ | {"AWS_REGION": "us-east-1"})
    assert message in str(caught.value)


def test_invalid_retry_mode_argument_is_an_error() -> None:
    with pytest.raises(
        config.ConfigError, match="retry_mode must be one of standard, legacy, adaptive, off"
    ):
        config.resolve_settings("Rekognition", region="us-east-1", retry_mode="fast", environ={})


# --- endpoint URL ------------------------------------------------------------------------------


ENDPOINT_CONFIG = """\
[profile p]
endpoint_url = https://profile.example
services = local
[services local]
rekognition =
  endpoint_url = https://services-rekognition.example
api_gateway =
  endpoint_url = https://services-apigw.example
"""

ENDPOINT_LAYERS = ["argument", "service variable", "global variable", "services section", "profile"]


@pytest.mark.parametrize(
    ("service_id", "variable", "service_key"),
    [
        ("Rekognition", "AWS_ENDPOINT_URL_REKOGNITION", "rekognition"),
        ("API Gateway", "AWS_ENDPOINT_URL_API_GATEWAY", "api_gateway"),
    ],
)
@pytest.mark.parametrize("top", ENDPOINT_LAYERS)
def test_endpoint_url_precedence(
    tmp_path: Path, service_id: str, variable: str, service_key: str, top: str
) -> None:
    layers = ENDPOINT_LAYERS[ENDPOINT_LAYERS.index(top) :]
    config_text = "[profile p]\nendpoint_url = https://profile.example\n"
    if "services section" in layers:
        config_text = ENDPOINT_CONFIG
    environ = write_home(tmp_path, config_text=config_text)
    environ |= {"AWS_REGION": "us-east-1", "AWS_PROFILE": "p"}
    if "service variable" in layers:
        environ[variable] = "https://env-service.example"
    if "global variable" in layers:
        environ["AWS_ENDPOINT_URL"] = "https://env-global.example"
    argument = "https://argument.example" if "argument" in layers else None
    config_path = tmp_path / ".aws" / "config"
    expected = {
        "argument": ("https://argument.example", "argument"),
        "service variable": ("https://env-service.example", f"environment variable {variable}"),
        "global variable": ("https://env-global.example", "environment variable AWS_ENDPOINT_URL"),
        "services section": (
            ENDPOINT_CONFIG.split(f"{service_key} =\n  endpoint_url = ")[1].split("\n")[0],
            f"config file {config_path}, section [services local], {service_key}.endpoint_url",
        ),
        "profile": (
            "https://profile.example",
            f"config file {config_path}, section [profile p], key endpoint_url",
        ),
    }[top]
    settings_ = config.resolve_settings(service_id, endpoint_url=argument, environ=environ)
    assert (settings_.endpoint_url, settings_.sources["endpoint_url"]) == expected


def test_ignore_configured_endpoint_urls(tmp_path: Path) -> None:
    environ = write_home(tmp_path, config_text=ENDPOINT_CONFIG)
    environ |= {
        "AWS_REGION": "us-east-1",
        "AWS_PROFILE": "p",
        "AWS_ENDPOINT_URL": "https://env.example",
    }
    assert (
        config.resolve_settings("Rekognition", environ=environ).endpoint_url
        == "https://env.example"
    )

    ignoring = environ | {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}
    settings_ = config.resolve_settings("Rekognition", environ=ignoring)
    assert settings_.endpoint_url is None
    assert (
        "ignored (environment variable AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)"
        in settings_.sources["endpoint_url"]
    )
    explicit = config.resolve_settings(
        "Rekognition", endpoint_url="http://x.example", environ=ignoring
    )
    assert explicit.endpoint_url == "http://x.example"
    overridden = config.resolve_settings(
        "Rekognition", ignore_configured_endpoint_urls=False, environ=ignoring
    )
    assert overridden.endpoint_url == "https://env.example"

    environ = write_home(
        tmp_path / "profile-switch",
        config_text="[default]\nendpoint_url = https://cfg.example\nignore_configured_endpoint_urls = TRUE\n",
    )
    assert (
        config.resolve_settings(
            "Rekognition", environ=environ | {"AWS_REGION": "us-east-1"}
        ).endpoint_url
        is None
    )


def test_services_section_must_exist(tmp_path: Path) -> None:
    environ = write_home(tmp_path, config_text="[default]\nservices = nowhere\n")
    with pytest.raises(
        config.ConfigError, match=r"names \[services nowhere\], which the config file lacks"
    ):
        config.resolve_settings("Rekognition", environ=environ | {"AWS_REGION": "us-east-1"})


@pytest.mark.parametrize("bad", ["localhost:4566", "ftp://x.example", "https://", "not a url"])
def test_endpoint_url_must_be_http(tmp_path: Path, bad: str) -> None:
    environ = write_home(tmp_path) | {"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": bad}
    with pytest.raises(
        config.ConfigError, match=r"environment variable AWS_ENDPOINT_URL: .* is not an http"
    ):
        config.resolve_settings("Rekognition", environ=environ)


def test_service_id_must_not_be_empty() -> None:
    with pytest.raises(config.ConfigError, match="service_id must not be empty"):
        config.resolve_settings(" ", region="us-east-1", environ={})


def test_process_environment_is_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKID-process")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret("process"))
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    assert config.resolve_credentials().access_key == "AKID-process"
    assert config.resolve_region() == "eu-central-1"
    assert config.resolve_settings("Rekognition").region == "eu-central-1"


# --- differential: botocore --------------------------------------------------------------------


_CONTAINER_VARS = ("ECS_CONTAINER_METADATA_URI", "ECS_CONTAINER_METADATA_URI_V4")


def _isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Only what a test sets: no AWS_* variables, HOME in a temp dir, no metadata or boto files."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "BOTO_")) or name in _CONTAINER_VARS:
            monkeypatch.delenv(name)
    monkeypatch.delenv("USERPROFILE", raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # botocore's legacy boto provider reads /etc/boto.cfg and ~/.boto unless told where to look.
    monkeypatch.setenv("BOTO_CONFIG", str(home / "no-such-boto.cfg"))


Outcome = tuple[object, ...]


def ours(profile: str | None) -> tuple[Outcome, Outcome]:
    try:
        got = config.resolve_credentials(profile=profile)
        creds: Outcome = ("credentials", got.access_key, got.secret_key, got.session_token)
    except config.ProfileNotFoundError:
        return ("profile not found",), ("profile not found",)
    except config.PartialCredentialsError:
        creds = ("partial",)
    except config.NoCredentialsError:
        creds = ("none",)
    try:
        region: Outcome = ("region", config.resolve_region(profile=profile))
    except config.NoRegionError:
        region = ("none",)
    return creds, region


def botocores(profile: str | None) -> tuple[Outcome, Outcome]:
    """What botocore resolves. A missing profile makes a botocore session unusable (its
    `create_client` raises `ProfileNotFound`) even where one lookup could do without it."""
    session = botocore.session.Session(profile=profile)
    try:
        session.get_scoped_config()
    except ProfileNotFound:
        return ("profile not found",), ("profile not found",)
    try:
        got = session.get_credentials()
    except PartialCredentialsError:
        creds: Outcome = ("partial",)
    else:
        creds = (
            ("none",) if got is None else ("credentials", got.access_key, got.secret_key, got.token)
        )
    region = session.get_config_variable("region")
    return creds, ("none",) if region is None else ("region", region)


@dataclasses.dataclass(frozen=True)
class Setup:
    environ: Mapping[str, str] = dataclasses.field(default_factory=dict)
    credentials: str | None = None
    config_text: str | None = None
    profile: str | None = None


def _apply(setup: Setup, monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    _isolate(monkeypatch, home)
    write_home(home, credentials=setup.credentials, config_text=setup.config_text)
    for name, value in setup.environ.items():
        monkeypatch.setenv(name, value.replace("{home}", str(home)))


SETUPS = {
    "env-only": Setup(environ=env_keys() | {"AWS_DEFAULT_REGION": "us-west-2"}),
    "env-session-token": Setup(environ=env_keys() | {"AWS_SESSION_TOKEN": token("env")}),
    "env-legacy-token": Setup(environ=env_keys() | {"AWS_SECURITY_TOKEN": token("env")}),
    "env-beats-files": Setup(
        environ=env_keys(),
        credentials="[default]\n" + keys("file"),
        config_text="[default]\nregion = eu-west-1\n" + keys("cfg"),
    ),
    "credentials-file": Setup(
        credentials="[default]\n" + keys("file", with_token="aws_session_token")
    ),
    "credentials-file-legacy-token": Setup(
        credentials="[default]\n" + keys("file", with_token="aws_security_token")
    ),
    "credentials-file-beats-config": Setup(
        credentials="[default]\n" + keys("file"),
        config_text="[default]\nregion = eu-west-1\n" + keys("cfg"),
    ),
    "config-only-default": Setup(config_text="[default]\nregion = ap-northeast-1\n" + keys("cfg")),
    "config-profile-via-AWS_PROFILE": Setup(
        environ={"AWS_PROFILE": "dev"},
        config_text="[default]\nregion = us-east-1\n"
        + keys("d")
        + "[profile dev]\nregion = eu-west-2\n"
        + keys("dev"),
    ),
    "AWS_DEFAULT_PROFILE-alone": Setup(
        environ={"AWS_DEFAULT_PROFILE": "dev"},
        credentials="[dev]\n" + keys("dev"),
        config_text="[profile dev]\nregion = eu-west-2\n",
    ),
    "profile-argument-beats-env-credentials": Setup(
        environ=env_keys() | {"AWS_PROFILE": "other"},
        credentials="[dev]\n" + keys("dev") + "[other]\n" + keys("other"),
        profile="dev",
    ),
    "AWS_PROFILE-does-not-beat-env-credentials": Setup(
        environ=env_keys() | {"AWS_PROFILE": "dev"}, credentials="[dev]\n" + keys("dev")
    ),
    "profile-split-across-files": Setup(
        credentials="[dev]\n" + keys("dev"),
        config_text="[profile dev]\nregion = sa-east-1\n",
        profile="dev",
    ),
    "prefixed-section-in-credentials-file": Setup(
        credentials="[profile dev]\n" + keys("dev"), profile="dev"
    ),
    "bare-section-in-config-file": Setup(config_text="[dev]\n" + keys("dev"), profile="dev"),
    "profile-default-spelling": Setup(
        config_text="[profile default]\nregion = me-south-1\n" + keys("pd")
    ),
    "file-location-variables": Setup(
        environ={
            "AWS_SHARED_CREDENTIALS_FILE": "{home}/elsewhere/credentials",
            "AWS_CONFIG_FILE": "~/elsewhere/config",
        },
        credentials="[default]\n" + keys("home"),
        config_text="[default]\nregion = us-east-1\n",
    ),
    "unknown-profile-argument": Setup(credentials="[default]\n" + keys("file"), profile="nope"),
    "unknown-AWS_PROFILE-with-env-credentials": Setup(
        environ=env_keys() | {"AWS_PROFILE": "nope", "AWS_DEFAULT_REGION": "us-east-1"}
    ),
    "requested-default-without-files": Setup(environ=env_keys(), profile="default"),
    "partial-env": Setup(
        environ={"AWS_ACCESS_KEY_ID": "AKID-env"}, credentials="[default]\n" + keys("f")
    ),
    "partial-credentials-file": Setup(credentials="[default]\naws_access_key_id = AKID-f\n"),
    "nothing": Setup(),
}


def found(place: str, with_token: bool = False) -> Outcome:
    return ("credentials", f"AKID-{place}", secret(place), token(place) if with_token else None)


NOT_FOUND: Final = ("profile not found",)

# What each setup resolves to, as (credentials, region); botocore must agree with every row.
EXPECTED: dict[str, tuple[Outcome, Outcome]] = {
    "env-only": (found("env"), ("region", "us-west-2")),
    "env-session-token": (found("env", with_token=True), ("none",)),
    "env-legacy-token": (found("env", with_token=True), ("none",)),
    "env-beats-files": (found("env"), ("region", "eu-west-1")),
    "credentials-file": (found("file", with_token=True), ("none",)),
    "credentials-file-legacy-token": (found("file", with_token=True), ("none",)),
    "credentials-file-beats-config": (found("file"), ("region", "eu-west-1")),
    "config-only-default": (found("cfg"), ("region", "ap-northeast-1")),
    "config-profile-via-AWS_PROFILE": (found("dev"), ("region", "eu-west-2")),
    "AWS_DEFAULT_PROFILE-alone": (found("dev"), ("region", "eu-west-2")),
    "profile-argument-beats-env-credentials": (found("dev"), ("none",)),
    "AWS_PROFILE-does-not-beat-env-credentials": (found("env"), ("none",)),
    "profile-split-across-files": (found("dev"), ("region", "sa-east-1")),
    "prefixed-section-in-credentials-file": (NOT_FOUND, NOT_FOUND),
    "bare-section-in-config-file": (NOT_FOUND, NOT_FOUND),
    "profile-default-spelling": (found("pd"), ("region", "me-south-1")),
    "file-location-variables": (found("moved"), ("region", "eu-south-1")),
    "unknown-profile-argument": (NOT_FOUND, NOT_FOUND),
    "unknown-AWS_PROFILE-with-env-credentials": (NOT_FOUND, NOT_FOUND),
    "requested-default-without-files": (NOT_FOUND, NOT_FOUND),
    "partial-env": (("partial",), ("none",)),
    "partial-credentials-file": (("partial",), ("none",)),
    "nothing": (("none",), ("none",)),
}


@pytest.mark.parametrize("name", list(SETUPS))
def test_agrees_with_botocore(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> None:
    setup = SETUPS[name]
    _apply(setup, monkeypatch, tmp_path)
    # Where "file-location-variables" points; the files under ~/.aws are its decoys.
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "credentials").write_text(
        "[default]\n" + keys("moved"), encoding="utf-8"
    )
    (tmp_path / "elsewhere" / "config").write_text(
        "[default]\nregion = eu-south-1\n", encoding="utf-8"
    )
    assert ours(setup.profile) == EXPECTED[name] == botocores(setup.profile)


def test_every_setup_has_an_expected_outcome() -> None:
    assert list(EXPECTED) == list(SETUPS)


# Weighted towards profiles that exist, so most examples get past the profile check.
_PROFILE_CHOICES = ["default", "dev", "dev", "nope"]
_CREDENTIAL_KINDS = ["none", "keys", "session token", "legacy token", "key only", "other"]


def _section(place: str, kind: str, region: str | None) -> str:
    text = f"region = {region}\n" if region else ""
    if kind == "keys":
        text += keys(place)
    elif kind == "session token":
        text += keys(place, with_token="aws_session_token")
    elif kind == "legacy token":
        text += keys(place, with_token="aws_security_token")
    elif kind == "key only":
        text += f"aws_access_key_id = AKID-{place}\n"
    elif kind == "other":
        text += "output = json\n"
    return text


@st.composite
def setups(draw: st.DrawFn) -> Setup:
    """Environments and files built only from rules both implementations share (see the
    divergence list below for what is left out on purpose)."""
    environ: dict[str, str] = {}
    if draw(st.booleans()):
        environ |= env_keys()
        token_var = draw(st.sampled_from([None, "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"]))
        if token_var is not None:
            environ[token_var] = token("env")
    profile_var = draw(st.sampled_from([None, None, "AWS_PROFILE", "AWS_DEFAULT_PROFILE"]))
    if profile_var is not None:
        environ[profile_var] = draw(st.sampled_from(_PROFILE_CHOICES))
    if draw(st.booleans()):
        environ["AWS_DEFAULT_REGION"] = "eu-central-1"
    if draw(st.booleans()):
        environ["AWS_SHARED_CREDENTIALS_FILE"] = "~/alt-credentials"
    if draw(st.booleans()):
        environ["AWS_CONFIG_FILE"] = "{home}/alt-config"

    credentials = None
    if draw(st.booleans()):
        credentials = ""
        for name in draw(st.lists(st.sampled_from(["default", "dev", "profile dev"]), unique=True)):
            kind = draw(st.sampled_from(_CREDENTIAL_KINDS))
            credentials += f"[{name}]\n" + _section(f"cred-{name}", kind, None)
    config_text = None
    if draw(st.booleans()):
        config_text = ""
        sections = ["default", "profile default", "profile dev", "dev"]
        chosen = draw(st.lists(st.sampled_from(sections), unique=True))
        if "default" in chosen and "profile default" in chosen:
            chosen.remove("default")
        for name in chosen:
            kind = draw(st.sampled_from(_CREDENTIAL_KINDS))
            region = draw(st.sampled_from([None, f"{name.replace(' ', '-')}-1"]))
            config_text += f"[{name}]\n" + _section(f"cfg-{name}", kind, region)
    profile = draw(st.sampled_from([None, None, None, *_PROFILE_CHOICES]))
    return Setup(environ=environ, credentials=credentials, config_text=config_text, profile=profile)


@settings(max_examples=200, deadline=None)
@given(setups())
def test_agrees_with_botocore_on_generated_setups(setup: Setup) -> None:
    decoy = "[default]\nregion = decoy-1\n" + keys("decoy") + "[dev]\n[profile dev]\n"
    with tempfile.TemporaryDirectory() as directory, pytest.MonkeyPatch.context() as monkeypatch:
        home = Path(directory)
        _apply(dataclasses.replace(setup, credentials=None, config_text=None), monkeypatch, home)
        for variable, text, default, moved in (
            ("AWS_SHARED_CREDENTIALS_FILE", setup.credentials, "credentials", "alt-credentials"),
            ("AWS_CONFIG_FILE", setup.config_text, "config", "alt-config"),
        ):
            real, other = home / ".aws" / default, home / moved
            if variable in setup.environ:
                real, other = other, real
            # A decoy where the file is not supposed to be read from catches a wrong location.
            other.write_text(decoy, encoding="utf-8")
            if text is not None:
                real.write_text(text, encoding="utf-8")
        assert ours(setup.profile) == botocores(setup.profile)


SETTING_CASES = [
    ("max_attempts", "AWS_MAX_ATTEMPTS", "5", 5),
    ("retry_mode", "AWS_RETRY_MODE", "standard", "standard"),
    ("use_fips_endpoint", "AWS_USE_FIPS_ENDPOINT", "TRUE", True),
    ("use_fips_endpoint", "AWS_USE_FIPS_ENDPOINT", "false", False),
    ("use_dualstack_endpoint", "AWS_USE_DUALSTACK_ENDPOINT", "True", True),
]


@pytest.mark.parametrize("place", ["environment", "config"])
@pytest.mark.parametrize(("field", "variable", "text", "expected"), SETTING_CASES)
def test_settings_agree_with_botocore(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    field: str,
    variable: str,
    text: str,
    expected: object,
    place: str,
) -> None:
    environ = {"AWS_DEFAULT_REGION": "us-east-1"}
    config_text = None
    if place == "environment":
        environ[variable] = text
    else:
        config_text = f"[default]\n{field} = {text}\n"
    _apply(Setup(environ=environ, config_text=config_text), monkeypatch, tmp_path)
    assert getattr(config.resolve_settings("Rekognition"), field) == expected
    assert botocore.session.Session().get_config_variable(field) == expected


def test_unset_settings_agree_with_botocore(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _apply(Setup(environ={"AWS_DEFAULT_REGION": "us-east-1"}), monkeypatch, tmp_path)
    ours_settings = config.resolve_settings("Rekognition")
    session = botocore.session.Session()
    assert ours_settings.retry_mode == session.get_config_variable("retry_mode") == "standard"
    for flag in ("use_fips_endpoint", "use_dualstack_endpoint"):
        assert getattr(ours_settings, flag) is bool(session.get_config_variable(flag)) is False


ENDPOINT_SETUPS = {
    "none": ({}, None),
    "global-env": ({"AWS_ENDPOINT_URL": "http://localhost:4566"}, None),
    "service-env": (
        {"AWS_ENDPOINT_URL": "http://global:1", "AWS_ENDPOINT_URL_REKOGNITION": "http://rek:2"},
        None,
    ),
    "service-env-with-space": ({"AWS_ENDPOINT_URL_API_GATEWAY": "http://gw:3"}, None),
    "profile": ({}, "[default]\nendpoint_url = https://profile.example\n"),
    "services-section": ({}, ENDPOINT_CONFIG.replace("[profile p]", "[default]")),
    "env-beats-services": (
        {"AWS_ENDPOINT_URL": "http://global:1"},
        ENDPOINT_CONFIG.replace("[profile p]", "[default]"),
    ),
    "ignored": (
        {"AWS_ENDPOINT_URL": "http://global:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"},
        None,
    ),
}


@pytest.mark.parametrize("name", list(ENDPOINT_SETUPS))
@pytest.mark.parametrize(
    ("service_id", "client_name"), [("Rekognition", "rekognition"), ("API Gateway", "apigateway")]
)
def test_endpoint_url_agrees_with_botocore(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, service_id: str, client_name: str
) -> None:
    variables, config_text = ENDPOINT_SETUPS[name]
    _apply(Setup(environ=variables, config_text=config_text), monkeypatch, tmp_path)
    url = config.resolve_settings(service_id, region="us-east-1").endpoint_url
    client = botocore.session.Session().create_client(
        client_name, region_name="us-east-1", aws_access_key_id="AKID", aws_secret_access_key="x"
    )
    # With nothing configured botocore derives the regional endpoint, which is not our job here.
    assert client.meta.endpoint_url == (url or f"https://{client_name}.us-east-1.amazonaws.com")


# (case, setup, what we resolve, what botocore resolves) for each place we differ on purpose.
DIVERGENCES: list[tuple[str, Setup, Outcome, Outcome]] = [
    # AWS_REGION is the variable every other AWS SDK reads first; botocore 1.x reads only
    # AWS_DEFAULT_REGION. We follow the task and the SDKs' shared reference.
    (
        "AWS_REGION-before-AWS_DEFAULT_REGION",
        Setup(environ={"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-east-2"}),
        ("region", "eu-west-1"),
        ("region", "us-east-2"),
    ),
    # AWS_PROFILE is the documented name, AWS_DEFAULT_PROFILE the CLI v1 leftover; botocore
    # checks the leftover first.
    (
        "AWS_PROFILE-before-AWS_DEFAULT_PROFILE",
        Setup(
            environ={"AWS_PROFILE": "a", "AWS_DEFAULT_PROFILE": "b"},
            config_text="[profile a]\nregion = eu-west-1\n[profile b]\nregion = us-east-2\n",
        ),
        ("region", "eu-west-1"),
        ("region", "us-east-2"),
    ),
    # AWS_SESSION_TOKEN is the standard name; botocore lets the legacy one win when both are set.
    (
        "AWS_SESSION_TOKEN-before-AWS_SECURITY_TOKEN",
        Setup(
            environ=env_keys()
            | {"AWS_SESSION_TOKEN": token("new"), "AWS_SECURITY_TOKEN": token("old")}
        ),
        ("credentials", "AKID-env", secret("env"), token("new")),
        ("credentials", "AKID-env", secret("env"), token("old")),
    ),
    (
        "aws_session_token-before-aws_security_token",
        Setup(
            credentials="[default]\n"
            + keys("f")
            + f"aws_session_token = {token('new')}\naws_security_token = {token('old')}\n"
        ),
        ("credentials", "AKID-f", secret("f"), token("new")),
        ("credentials", "AKID-f", secret("f"), token("old")),
    ),
    # Settings belong in the config file; botocore also reads them from the credentials file
    # (and lets that file win).
    (
        "region-in-credentials-file",
        Setup(
            credentials="[default]\nregion = us-west-1\n",
            config_text="[default]\nregion = us-east-1\n",
        ),
        ("region", "us-east-1"),
        ("region", "us-west-1"),
    ),
    # Half a key pair is a mistake wherever it is; botocore only minds a key id without a secret.
    (
        "secret-without-key-in-environment",
        Setup(
            environ={"AWS_SECRET_ACCESS_KEY": secret("env")}, credentials="[default]\n" + keys("f")
        ),
        ("partial",),
        ("credentials", "AKID-f", secret("f"), None),
    ),
    # An empty variable is an unset one; botocore takes AWS_DEFAULT_REGION="" as the region "".
    (
        "empty-region-variable",
        Setup(environ={"AWS_DEFAULT_REGION": ""}, config_text="[default]\nregion = us-east-2\n"),
        ("region", "us-east-2"),
        ("region", ""),
    ),
    # With both spellings of the default profile, the specific one wins; botocore takes the later.
    (
        "profile-default-before-default",
        Setup(config_text="[profile default]\nregion = eu-west-1\n[default]\nregion = us-east-2\n"),
        ("region", "eu-west-1"),
        ("region", "us-east-2"),
    ),
]


@pytest.mark.parametrize(
    ("setup", "ours_expected", "botocore_expected"),
    [case[1:] for case in DIVERGENCES],
    ids=[case[0] for case in DIVERGENCES],
)
def test_known_divergences_from_botocore(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    setup: Setup,
    ours_expected: Outcome,
    botocore_expected: Outcome,
) -> None:
    _apply(setup, monkeypatch, tmp_path)
    which = 1 if ours_expected[0] == "region" else 0
    assert ours(setup.profile)[which] == ours_expected
    assert botocores(setup.profile)[which] == botocore_expected
