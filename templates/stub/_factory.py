"""Put the pieces together: the app over a handler (the in-memory fake unless given one), and
the command line of `python -m <package>.stub`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ._app import DEFAULT_MAX_BODY_BYTES, StubApp
from ._auth_check import AuthChecker
from ._server import DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT, StubServer
from ._sigv4_check import SignatureChecker
from .fake import FAKE_CLASS, UNIMPLEMENTED_CHOICES
from .faults import Faults
from .fixtures import FixtureError, Fixtures, load_fixtures
from .service import SERVICE


def create_app(
    handler: object | None = None,
    *,
    fixtures: Fixtures | str | Path | None = None,
    faults: Faults | None = None,
    credentials: tuple[str, str] | None = None,
    token: str | None = None,
    basic: tuple[str, str] | None = None,
    api_key: str | None = None,
    api_keys: Mapping[str, str] | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    unimplemented: str = "default",
) -> StubApp:
    """The stub as a WSGI application.

    `handler` answers the operations (default: the in-memory fake, with `fixtures`);
    `credentials` (access key, secret key) turn on SigV4 verification; where the service
    supports other schemes, `token` (bearer), `basic` (user name, password) and `api_key` are
    what it accepts for them (`api_keys`, by name, for a service of several API keys; a key it
    does not name is `api_key`), and any of these turns on the check of every request against
    the schemes of its operation (`_auth_check`). What the fake answers
    for a call nothing else answers is `unimplemented`'s choice: "default" (the operation's
    default output) or "501" (a `NotImplemented` error).
    """
    if handler is None:
        if isinstance(fixtures, str | Path):
            fixtures = load_fixtures(fixtures, SERVICE)
        handler = FAKE_CLASS(fixtures, unimplemented=unimplemented)
    elif fixtures is not None:
        raise TypeError("fixtures are answered by the in-memory fake; pass no handler to use them")
    elif unimplemented != "default":
        raise TypeError("unimplemented= is the in-memory fake's setting; pass no handler to use it")
    if faults is not None:
        faults.check_codes(SERVICE.errors)
    checker = None
    if credentials is not None:
        access_key, secret_key = credentials
        checker = SignatureChecker(access_key, secret_key, signing_name=SERVICE.signing_name)
    return StubApp(
        SERVICE,
        handler,
        faults=faults,
        max_body_bytes=max_body_bytes,
        **_checkers(checker, token=token, basic=basic, api_key=api_key, api_keys=api_keys),
    )


def _checkers(
    signature: SignatureChecker | None,
    *,
    token: str | None,
    basic: tuple[str, str] | None,
    api_key: str | None,
    api_keys: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The StubApp arguments that check credentials: the signature checker of a service signed
    with SigV4 alone, else one checker for every scheme of the service."""
    unknown = sorted(set(api_keys or {}) - set(SERVICE.api_keys))
    if unknown:
        raise ValueError(
            f"{SERVICE.sdk_id} has no API key named {', '.join(map(repr, unknown))} "
            f"(its API keys: {', '.join(map(repr, SERVICE.api_keys)) or 'none by name'})"
        )
    named = {
        name: key
        for name in SERVICE.api_keys
        if (key := (api_keys or {}).get(name, api_key)) is not None
    }
    keyed = api_key if api_key is not None else next(iter(named.values()), None)
    given = {"sigv4": signature, "bearer": token, "basic": basic, "api_key": keyed}
    unsupported = [
        name
        for name, value in given.items()
        if value is not None and name not in SERVICE.auth_schemes
    ]
    if unsupported:
        raise ValueError(
            f"{SERVICE.sdk_id} supports no {', '.join(unsupported)} credentials "
            f"(its schemes: {', '.join(SERVICE.auth_schemes) or 'none'})"
        )
    if SERVICE.auth_schemes == ("sigv4",):
        return {"signature_checker": signature}
    if all(value is None for value in given.values()):
        return {}
    checker = AuthChecker(
        signature=signature,
        token=token,
        basic=basic,
        api_key=api_key,
        api_key_spec=SERVICE.api_key,
        api_keys=named,
        api_key_specs=SERVICE.api_keys,
    )
    return {"auth_checker": checker}


def serve(
    handler: object | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    fixtures: Fixtures | str | Path | None = None,
    faults: Faults | None = None,
    credentials: tuple[str, str] | None = None,
    token: str | None = None,
    basic: tuple[str, str] | None = None,
    api_key: str | None = None,
    api_keys: Mapping[str, str] | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    max_connections: int = DEFAULT_MAX_CONNECTIONS,
    unimplemented: str = "default",
) -> StubServer:
    """A `StubServer` (not started; use it as a context manager or call `start`).

    `request_timeout` is the seconds a client may take to send a whole request (an idle
    keep-alive connection is closed after it too); `max_connections` bounds the connections
    served at once; `unimplemented` is `create_app`'s.
    """
    app = create_app(
        handler,
        fixtures=fixtures,
        faults=faults,
        credentials=credentials,
        token=token,
        basic=basic,
        api_key=api_key,
        api_keys=api_keys,
        max_body_bytes=max_body_bytes,
        unimplemented=unimplemented,
    )
    return StubServer(
        app,
        host=host,
        port=port,
        request_timeout=request_timeout,
        max_connections=max_connections,
    )


def _parser(program: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program,
        description=f"A local {SERVICE.sdk_id} that speaks the service's protocol, generated from its model.",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default: 0)")
    parser.add_argument("--fixtures", type=Path, help="canned answers, JSON (or YAML with PyYAML)")
    parser.add_argument("--faults", type=Path, help="fault injection, JSON: see the faults module")
    parser.add_argument("--seed", type=int, help="seed of the fault injection's random draws")
    parser.add_argument(
        "--verify-sigv4", action="store_true", help="reject requests whose signature does not match"
    )
    parser.add_argument("--credentials", help="ACCESS:SECRET the signatures are checked against")
    if "bearer" in SERVICE.auth_schemes:
        parser.add_argument("--token", help="the bearer token requests must carry")
    if "basic" in SERVICE.auth_schemes:
        parser.add_argument("--basic", help="USER:PASSWORD requests must carry (HTTP Basic)")
    if "api_key" in SERVICE.auth_schemes:
        parser.add_argument("--api-key", help="the API key requests must carry")
    if SERVICE.api_keys:
        parser.add_argument(
            "--named-api-key",
            action="append",
            default=[],
            metavar="NAME=KEY",
            help=f"the key of one API key ({', '.join(SERVICE.api_keys)}); repeat for each",
        )
    parser.add_argument(
        "--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES, help="larger bodies get a 413"
    )
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=DEFAULT_REQUEST_TIMEOUT,
        help="seconds a client may take to send a request (default: %(default)s)",
    )
    parser.add_argument(
        "--max-connections",
        type=int,
        default=DEFAULT_MAX_CONNECTIONS,
        help="connections served at once; more get a 503 (default: %(default)s)",
    )
    parser.add_argument(
        "--unimplemented",
        choices=UNIMPLEMENTED_CHOICES,
        default="default",
        help="a call no fixture or fake behaviour answers gets the operation's default output, "
        "or a 501 NotImplemented error (default: %(default)s)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser


def main(argv: Sequence[str] | None = None, program: str = "stub") -> int:
    parser = _parser(program)
    args = parser.parse_args(argv)
    credentials = None
    if args.verify_sigv4:
        access, colon, secret = (args.credentials or "").partition(":")
        if not (access and colon and secret):
            parser.error("--verify-sigv4 needs --credentials ACCESS:SECRET")
        credentials = (access, secret)
    elif args.credentials:
        parser.error("--credentials is only used with --verify-sigv4")
    basic = None
    if getattr(args, "basic", None) is not None:
        user, colon, password = args.basic.partition(":")
        if not (user and colon):
            parser.error("--basic needs USER:PASSWORD")
        basic = (user, password)
    api_keys: dict[str, str] = {}
    for pair in getattr(args, "named_api_key", []):
        name, equals, key = pair.partition("=")
        if not (name and equals and key):
            parser.error("--named-api-key needs NAME=KEY")
        api_keys[name] = key
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    try:
        faults = None
        if args.faults is not None:
            faults = Faults.from_dict(json.loads(args.faults.read_text("utf-8")), seed=args.seed)
        server = serve(
            host=args.host,
            port=args.port,
            fixtures=args.fixtures,
            faults=faults,
            credentials=credentials,
            token=getattr(args, "token", None),
            basic=basic,
            api_key=getattr(args, "api_key", None),
            api_keys=api_keys or None,
            max_body_bytes=args.max_body_bytes,
            request_timeout=args.request_timeout,
            max_connections=args.max_connections,
            unimplemented=args.unimplemented,
        )
    except (FixtureError, ValueError, OSError) as error:
        print(f"{program}: {error}", file=sys.stderr)
        return 2
    print(f"listening on {server.url}", flush=True)
    server.run_until_signalled()
    return 0
