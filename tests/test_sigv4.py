"""The SigV4 signer of the generated client (templates/_sigv4.py).

- The aws-c-auth SigV4 test suite (../shared/reference/sigv4/aws-c-auth/v4/, read in place): every
  case's canonical request, string to sign, signature and signed headers, for header signing.
- botocore's SigV4Auth and S3SigV4Auth on generated requests, and on the request a real botocore
  Rekognition client builds: our headers must be byte-identical to botocore's.
- Secrets stay out of reprs and logs.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import botocore.auth  # type: ignore[import-untyped]
import botocore.awsrequest  # type: ignore[import-untyped]
import botocore.credentials  # type: ignore[import-untyped]
import botocore.session  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REFERENCE


def _load_sigv4() -> ModuleType:
    """templates/_sigv4.py as the generated package holds it (the tests check the two agree)."""
    return importlib.import_module("rekognition._sigv4")


if TYPE_CHECKING:
    from templates import _sigv4 as sigv4
else:
    sigv4 = _load_sigv4()


SUITE = REFERENCE / "sigv4" / "aws-c-auth" / "v4"
SUITE_CASES = sorted(p.name for p in SUITE.iterdir() if p.is_dir()) if SUITE.is_dir() else []
SUITE_MISSING = f"SigV4 test suite not available: {SUITE} (CI provides ../shared beside the repo)"
NOT_APPLICABLE: dict[str, str] = {}
"""Suite cases we deliberately do not pass, with the reason. None: every header case passes."""
QUERY_SIGNING_REASON = (
    "query-* files test presigned URLs (query-string signing); the generated client signs with "
    "the Authorization header only"
)
_CONTEXT_KEYS = {
    "credentials",
    "expiration_in_seconds",  # presigned URLs only
    "normalize",
    "omit_session_token",
    "region",
    "service",
    "sign_body",
    "timestamp",
}
SESSION_ID = "0c6d1b5c-8a3e-4c61-9d1a-1f2e3d4c5b6a"
REKOGNITION_TARGET = "RekognitionService.GetFaceLivenessSessionResults"
FIXED_TIME = datetime(2015, 8, 30, 12, 36, tzinfo=UTC)
SIGNED_BY_US = ("authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256")


# --- The aws-c-auth suite ------------------------------------------------------------------------


@dataclass(frozen=True)
class RawRequest:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes


def parse_request(text: str) -> RawRequest:
    """A request as the suite writes it: request line, `Name:value` lines, blank line, body.

    A line that starts with whitespace continues the previous header's value (obs-fold); the
    fold is kept in the value, so the signer's whitespace handling is what gets tested.
    """
    head, _, body = text.partition("\n\n")
    request_line, *header_lines = head.split("\n")
    method, _, rest = request_line.partition(" ")
    target, _, _version = rest.rpartition(" ")  # the target may itself contain spaces
    headers: list[tuple[str, str]] = []
    for line in header_lines:
        if line[:1] in (" ", "\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, f"{value}\n{line}")
        elif line:
            name, _, value = line.partition(":")
            headers.append((name, value))
    return RawRequest(method, target, headers, body.encode("utf-8"))


def read(directory: Path, name: str) -> str:
    return (directory / name).read_text(encoding="utf-8")


def _suite_params() -> list[Any]:
    if not SUITE_CASES:
        return [pytest.param("<suite missing>", marks=pytest.mark.skip(reason=SUITE_MISSING))]
    return SUITE_CASES


@pytest.mark.parametrize("case", _suite_params())
def test_suite_header_signing(case: str) -> None:
    directory = SUITE / case
    if case in NOT_APPLICABLE:
        pytest.skip(NOT_APPLICABLE[case])
    context = json.loads(read(directory, "context.json"))
    assert set(context) <= _CONTEXT_KEYS, f"new suite option(s): {set(context) - _CONTEXT_KEYS}"
    request = parse_request(read(directory, "request.txt"))
    creds = context["credentials"]
    credentials = sigv4.Credentials(
        creds["access_key_id"], creds["secret_access_key"], creds.get("token")
    )
    signer = sigv4.SigV4Signer(
        context["service"],
        context["region"],
        normalize_path=context["normalize"],
        content_sha256_header=context["sign_body"],
        sign_session_token=not context.get("omit_session_token", False),
    )
    host = {name.lower(): value for name, value in request.headers}["host"]

    result = signer.sign_with_details(
        request.method,
        f"https://{host}{request.target}",
        request.headers,
        request.body,
        credentials=credentials,
        timestamp=datetime.fromisoformat(context["timestamp"]),
    )

    assert result.canonical_request == read(directory, "header-canonical-request.txt")
    assert result.string_to_sign == read(directory, "header-string-to-sign.txt")
    assert result.signature == read(directory, "header-signature.txt")
    signed = parse_request(read(directory, "header-signed-request.txt"))
    added = list(signed.headers)
    for header in request.headers:
        added.remove(header)
    assert sorted((name.lower(), value) for name, value in result.headers.items()) == sorted(
        (name.lower(), value) for name, value in added
    )
    assert result.headers["Authorization"] == dict(added)["Authorization"]


def test_suite_query_signing() -> None:
    if not SUITE_CASES:
        pytest.skip(SUITE_MISSING)
    with_query_files = [c for c in SUITE_CASES if (SUITE / c / "query-signature.txt").exists()]
    pytest.skip(f"{QUERY_SIGNING_REASON} ({len(with_query_files)} cases)")


def test_suite_cases_have_the_expected_files() -> None:
    """A new kind of expectation in the suite should be noticed, not silently left untested."""
    if not SUITE_CASES:
        pytest.skip(SUITE_MISSING)
    known = {"context.json", "request.txt"} | {
        f"{kind}-{what}.txt"
        for kind in ("header", "query")
        for what in ("canonical-request", "string-to-sign", "signature", "signed-request")
    }
    for case in SUITE_CASES:
        files = {p.name for p in (SUITE / case).iterdir()}
        assert files <= known, f"{case}: {files - known}"
        assert {"context.json", "request.txt", "header-signature.txt"} <= files, case


# --- botocore, byte for byte ---------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: list[tuple[str, str]]
    body: bytes
    service: str
    region: str
    access_key: str
    secret_key: str
    token: str | None
    timestamp: datetime = FIXED_TIME


@dataclass(frozen=True)
class Flavour:
    """A botocore signer class and our signer configured to match it."""

    name: str
    botocore_auth: Any
    options: dict[str, bool]


FLAVOURS = [
    Flavour(
        "sigv4",
        botocore.auth.SigV4Auth,
        {},
    ),
    Flavour(
        "s3",
        botocore.auth.S3SigV4Auth,
        {"normalize_path": False, "double_encode_path": False, "content_sha256_header": True},
    ),
]


@contextlib.contextmanager
def botocore_clock(at: datetime) -> Iterator[None]:
    """Stop botocore's signing clock at `at` (it reads `botocore.auth.get_current_datetime`)."""
    original = botocore.auth.get_current_datetime

    def frozen(remove_tzinfo: bool = True) -> datetime:
        utc = at.astimezone(UTC)
        return utc.replace(tzinfo=None) if remove_tzinfo else utc

    botocore.auth.get_current_datetime = frozen
    try:
        yield
    finally:
        botocore.auth.get_current_datetime = original


def botocore_sign(flavour: Flavour, request: Request) -> tuple[dict[str, str], str]:
    """The headers botocore's signer sets (lowercased names) and the canonical request it signs."""
    aws_request = botocore.awsrequest.AWSRequest(
        method=request.method, url=request.url, data=request.body
    )
    for name, value in request.headers:
        aws_request.headers[name] = value  # appends: repeated names stay repeated
    credentials = botocore.credentials.Credentials(
        request.access_key, request.secret_key, request.token
    )
    auth = flavour.botocore_auth(credentials, request.service, request.region)
    with botocore_clock(request.timestamp):
        auth.add_auth(aws_request)
    headers = {
        name: str(aws_request.headers[name])
        for name in SIGNED_BY_US
        if aws_request.headers.get_all(name) is not None
    }
    # With the Authorization header gone the request is as it was signed; ask for its canonical
    # form (only used to make a mismatch readable).
    del aws_request.headers["Authorization"]
    return headers, str(auth.canonical_request(aws_request))


def our_sign(flavour: Flavour, request: Request) -> tuple[dict[str, str], str]:
    signer = sigv4.SigV4Signer(request.service, request.region, **flavour.options)
    result = signer.sign_with_details(
        request.method,
        request.url,
        request.headers,
        request.body,
        credentials=sigv4.Credentials(request.access_key, request.secret_key, request.token),
        timestamp=request.timestamp,
    )
    return {name.lower(): value for name, value in result.headers.items()}, result.canonical_request


def assert_same_as_botocore(flavour: Flavour, request: Request) -> None:
    theirs, their_canonical = botocore_sign(flavour, request)
    ours, our_canonical = our_sign(flavour, request)
    assert theirs["x-amz-date"] == request.timestamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert our_canonical == their_canonical
    expected = {"authorization", "x-amz-date"}
    if request.token:
        expected.add("x-amz-security-token")
    if flavour.options.get("content_sha256_header"):
        expected.add("x-amz-content-sha256")
    assert set(ours) == expected
    assert ours == {name: theirs[name] for name in ours}


_WHITESPACE = " \t\n\x0b\x0c\r\x1c\x85\xa0\u2003\u3000"
_TOKEN_CHARS = string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~"
# Date is left out: botocore signs a Date header in place of X-Amz-Date when there is one.
_KNOWN_HEADERS = [
    "Host",
    "Content-Type",
    "X-Amz-Target",
    "X-Amz-Date",
    "x-amz-security-token",
    "Authorization",
    "User-Agent",
    "Expect",
    "Transfer-Encoding",
    "X-Amz-Content-SHA256",
    "Content-Length",
    "My-Header",
    "my-header",
    "MY-HEADER",
]
_HOSTS = [
    "https://example.amazonaws.com",
    "https://rekognition.us-east-1.amazonaws.com",
    "https://Example.COM:443",
    "https://example.com:8443",
    "http://example.com:80",
    "http://example.com:8080",
    "https://user:pass@example.com",
    "https://[::1]:9000",
    "https://[2001:db8::1]",
]

header_names = st.one_of(
    st.sampled_from(_KNOWN_HEADERS), st.text(alphabet=_TOKEN_CHARS, min_size=1, max_size=12)
)
header_values = st.text(
    alphabet=st.one_of(
        st.sampled_from(_WHITESPACE), st.characters(codec="utf-8", exclude_characters="\x00")
    ),
    max_size=20,
)
# Tabs and line breaks are left out: urlsplit deletes them from a URL, and botocore then fails to
# see an IPv6 host in the original URL.
raw_segments = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="/?#\t\r\n"), max_size=8
)
path_segments = st.one_of(
    st.sampled_from(["", ".", "..", "a", "%2F", "%20", "~user", "a b", "%"]),
    raw_segments,
    raw_segments.map(lambda s: quote(s, safe="")),  # as a serializer encodes a path label
)
query_parts = st.text(alphabet=st.characters(codec="utf-8"), max_size=8).map(
    lambda s: quote(s, safe="-_.~")
)


@st.composite
def paths(draw: st.DrawFn) -> str:
    segments = draw(st.lists(path_segments, max_size=6))
    return "/" + "/".join(segments)


@st.composite
def queries(draw: st.DrawFn) -> str:
    pairs = draw(st.lists(st.tuples(query_parts, st.none() | query_parts), max_size=5))
    # Empty parameters (`a=1&&b=2`) are left out: botocore signs them as `=`, we drop them.
    parameters = [k if v is None else f"{k}={v}" for k, v in pairs]
    return "?" + "&".join(p for p in parameters if p) if parameters else ""


# Credentials refuse control and other unprintable characters (they would break a header line).
credential_characters = st.characters(codec="utf-8").filter(str.isprintable)


@st.composite
def requests(draw: st.DrawFn) -> Request:
    names_chars = string.ascii_lowercase + string.digits + "-"
    return Request(
        method=draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "get"])),
        url=draw(st.sampled_from(_HOSTS)) + draw(paths()) + draw(queries()),
        headers=draw(st.lists(st.tuples(header_names, header_values), max_size=8)),
        body=draw(st.binary(max_size=64)),
        service=draw(st.text(alphabet=names_chars, min_size=1, max_size=12)),
        region=draw(st.text(alphabet=names_chars, min_size=1, max_size=14)),
        access_key=draw(st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1)),
        secret_key=draw(st.text(alphabet=credential_characters, min_size=1)),
        token=draw(st.none() | st.text(alphabet=credential_characters, min_size=1)),
        timestamp=draw(
            st.datetimes(
                min_value=datetime(2000, 1, 1),
                max_value=datetime(2099, 12, 31),
                timezones=st.sampled_from([UTC, timezone(timedelta(hours=-7, minutes=-30))]),
            )
        ),
    )


@pytest.mark.parametrize("flavour", FLAVOURS, ids=lambda f: f.name)
@settings(max_examples=400, deadline=None)
@given(request=requests())
def test_same_headers_as_botocore(flavour: Flavour, request: Request) -> None:
    assert_same_as_botocore(flavour, request)


@pytest.mark.parametrize(
    "token", [None, "FwoGZXIvYXdzEBYaDH+session/token=="], ids=["keys", "token"]
)
def test_json_protocol_request_same_as_botocore(token: str | None) -> None:
    """The request shape botocore sends to Rekognition (awsJson1_1), spelled out."""
    request = Request(
        method="POST",
        url="https://rekognition.us-east-1.amazonaws.com/",
        headers=[
            ("X-Amz-Target", REKOGNITION_TARGET),
            ("Content-Type", "application/x-amz-json-1.1"),
            ("User-Agent", "shapesmith-test/1.0"),
        ],
        body=json.dumps({"SessionId": SESSION_ID}).encode(),
        service="rekognition",
        region="us-east-1",
        access_key="AKIDEXAMPLE",
        secret_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        token=token,
    )
    assert_same_as_botocore(FLAVOURS[0], request)
    ours, _ = our_sign(FLAVOURS[0], request)
    assert ours["authorization"].startswith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/rekognition/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;"
    )


class _Sent(Exception):
    def __init__(self, request: Any) -> None:
        super().__init__("request captured before sending")
        self.request = request


def test_real_botocore_rekognition_client_request() -> None:
    """What a botocore Rekognition client signs and sends, re-signed by us at the same time."""
    session = botocore.session.get_session()
    client = session.create_client(
        "rekognition",
        region_name="eu-west-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        aws_session_token="FwoGZXIvYXdzEBYaDH+session/token==",
    )
    before_signing: list[tuple[str, str]] = []

    def record(request: Any, **_: Any) -> None:
        before_signing.extend((str(n), str(v)) for n, v in request.headers.items())

    def stop(request: Any, **_: Any) -> None:
        raise _Sent(request)

    client.meta.events.register("before-sign", record)
    client.meta.events.register("before-send", stop)
    with pytest.raises(_Sent) as sent:
        client.get_face_liveness_session_results(SessionId=SESSION_ID)
    client.close()
    prepared = sent.value.request
    sent_headers = {str(n).lower(): _text(v) for n, v in prepared.headers.items()}
    timestamp = datetime.strptime(sent_headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)

    ours = sigv4.SigV4Signer("rekognition", "eu-west-1").sign(
        str(prepared.method),
        str(prepared.url),
        before_signing,
        bytes(prepared.body),
        credentials=sigv4.Credentials(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "FwoGZXIvYXdzEBYaDH+session/token==",
        ),
        timestamp=timestamp,
    )

    assert {"x-amz-target", "content-type", "user-agent"} <= {n.lower() for n, _ in before_signing}
    assert {name.lower(): value for name, value in ours.items()} == {
        name: sent_headers[name] for name in ("authorization", "x-amz-date", "x-amz-security-token")
    }


def _text(value: object) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


# --- The pieces ----------------------------------------------------------------------------------

CREDENTIALS = sigv4.Credentials("AKIDEXAMPLE", "very-secret-key", "very-secret-token")


def test_credentials_repr_redacts_secret_and_token() -> None:
    shown = repr(CREDENTIALS)
    assert "very-secret" not in shown and "very-secret" not in str(CREDENTIALS)
    assert "AKIDEXAMPLE" in shown
    assert "session_token=None" in repr(sigv4.Credentials("AKIDEXAMPLE", "very-secret-key"))


def test_signing_result_repr_hides_the_token() -> None:
    result = sigv4.SigV4Signer("service", "us-east-1").sign_with_details(
        "GET", "https://example.com/", {}, credentials=CREDENTIALS, timestamp=FIXED_TIME
    )
    assert "very-secret-token" in result.canonical_request
    assert "very-secret" not in repr(result)


def test_empty_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="secret_key"):
        sigv4.Credentials("AKIDEXAMPLE", "")
    with pytest.raises(ValueError, match="access_key"):
        sigv4.Credentials("", "secret")


def test_signing_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sigv4.SigV4Signer("service", "us-east-1").sign(
        "GET", "https://example.com/", {}, credentials=CREDENTIALS
    )
    assert caplog.records == []


def test_naive_timestamp_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        sigv4.SigV4Signer("service", "us-east-1").sign(
            "GET",
            "https://example.com/",
            {},
            credentials=CREDENTIALS,
            timestamp=datetime(2015, 8, 30),
        )


def test_timestamp_in_another_zone_is_signed_in_utc() -> None:
    local = FIXED_TIME.astimezone(timezone(timedelta(hours=9)))
    assert sigv4.format_amz_date(local) == "20150830T123600Z"


def test_mapping_and_pairs_sign_alike_and_names_fold_case_insensitively() -> None:
    signer = sigv4.SigV4Signer("service", "us-east-1")

    def sign(headers: sigv4.HeaderItems) -> dict[str, str]:
        return signer.sign(
            "GET", "https://example.com/", headers, credentials=CREDENTIALS, timestamp=FIXED_TIME
        )

    assert sign({"My-Header": "a", "my-header": "b"}) == sign(
        [("my-header", "a"), ("MY-HEADER", "b")]
    )
    assert sigv4.canonical_headers({"My-Header": " a  b ", "my-header": "c"}) == {
        "my-header": "a b,c"
    }


def test_replaced_headers_are_not_signed_twice() -> None:
    headers = {
        "X-Amz-Date": "19700101T000000Z",
        "Authorization": "old",
        "x-amz-security-token": "old",
    }
    result = sigv4.SigV4Signer("service", "us-east-1").sign_with_details(
        "GET", "https://example.com/", headers, credentials=CREDENTIALS, timestamp=FIXED_TIME
    )
    assert "19700101T000000Z" not in result.canonical_request
    assert "old" not in result.canonical_request
    assert result.headers["X-Amz-Security-Token"] == "very-secret-token"


def test_signing_key_is_cached_and_the_cache_is_bounded() -> None:
    first = sigv4.signing_key("secret", "20150830", "us-east-1", "service")
    assert sigv4.signing_key("secret", "20150830", "us-east-1", "service") is first
    for day in range(1, 29):
        for month in (1, 2, 3):
            sigv4.signing_key("secret", f"2015{month:02}{day:02}", "us-east-1", "service")
    info = sigv4._derive_signing_key.cache_info()
    assert info.maxsize is not None and info.currsize <= info.maxsize


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("", "/"),
        ("/", "/"),
        ("//a//b//", "/a/b/"),
        ("/a/./b/../c", "/a/c"),
        ("/a/b/..", "/a"),
        ("/../..", "/"),
        ("/a%20b/c d", "/a%2520b/c%20d"),
        ("/ሴ", "/%E1%88%B4"),
    ],
)
def test_canonical_uri(path: str, expected: str) -> None:
    assert sigv4.canonical_uri(path) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ""),
        ("b=2&a=1&a=0", "a=0&a=1&b=2"),
        ("flag&x=", "flag=&x="),
        ("a=1&&b=2", "a=1&b=2"),
        ("k=a+b%2fc%7E", "k=a%2Bb%2Fc~"),
        ("ሴ=bar", "%E1%88%B4=bar"),
        ("k=%FF", "k=%FF"),
    ],
)
def test_canonical_query_string(query: str, expected: str) -> None:
    assert sigv4.canonical_query_string(query) == expected


def test_request_signer_is_the_signer_bound_to_credentials() -> None:
    bound = sigv4.RequestSigner(CREDENTIALS, service="rekognition", region="eu-west-1")
    headers = {"Host": "rekognition.eu-west-1.amazonaws.com", "X-Amz-Target": REKOGNITION_TARGET}
    expected = sigv4.SigV4Signer("rekognition", "eu-west-1").sign(
        "POST",
        "https://rekognition.eu-west-1.amazonaws.com/",
        headers,
        b"{}",
        credentials=CREDENTIALS,
        timestamp=FIXED_TIME,
    )
    assert (
        bound.sign(
            "POST", "https://rekognition.eu-west-1.amazonaws.com/", headers, b"{}", FIXED_TIME
        )
        == expected
    )
    assert "very-secret" not in repr(bound)
