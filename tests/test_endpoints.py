"""Endpoint rule sets: the runtime evaluator in templates/_endpoints.py.

- AWS's own endpoint tests (`smithy.rules#endpointTests` in the official models under
  ../shared/reference/models), run against our model's rule set and against the official model's.
  Four cases of each suite were written when the aws-iso and aws-iso-b partitions had no
  dual-stack endpoints; they pass with those facts, and with today's they agree with botocore.
- Differential against botocore's `EndpointProvider`: the Rekognition rule set over regions of
  every partition and made-up ones, FIPS, dual-stack and custom endpoints; every rule set botocore
  ships over the standard parameters; the rule sets with more parameters (S3, S3 Control, ...) on
  generated values; the library functions one by one.
- The engine's own rules (templates, scopes, parameters) and the library functions' edge cases.
"""

from __future__ import annotations

import ast
import gzip
import importlib.util
import itertools
import json
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import botocore  # type: ignore[import-untyped]
import pytest
from botocore.endpoint_provider import (  # type: ignore[import-untyped]
    EndpointProvider,
    RuleSetStandardLibrary,
)
from botocore.exceptions import (  # type: ignore[import-untyped]
    EndpointResolutionError as BotocoreEndpointError,
)
from botocore.loaders import create_loader  # type: ignore[import-untyped]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REFERENCE, REPO

OUR_MODEL = REPO / "models" / "rekognition.json"
REKOGNITION = "com.amazonaws.rekognition#RekognitionService"
OFFICIAL_MODELS = {
    "rekognition": REFERENCE / "models" / "rekognition-2016-06-27.json",
    "timestream-influxdb": REFERENCE / "models" / "timestream-influxdb-2023-01-27.json",
}
RULE_SET_TRAIT = "smithy.rules#endpointRuleSet"
TESTS_TRAIT = "smithy.rules#endpointTests"


# templates/_endpoints.py as the generated package holds it (the tests check that the two agree).
endpoints = importlib.import_module("rekognition._endpoints")


# --- outcomes ----------------------------------------------------------------------------------

Outcome = dict[str, Any]
"""Shaped like an endpoint test's `expect`: {"endpoint": {url, headers, properties}} or {"error"}."""


def ours(rule_set: Mapping[str, Any], params: Mapping[str, object], **options: Any) -> Outcome:
    try:
        found = endpoints.resolve_endpoint(rule_set, params, **options)
    except endpoints.EndpointResolutionError as error:
        return {"error": str(error)}
    return {
        "endpoint": {"url": found.url, "headers": found.headers, "properties": found.properties}
    }


# botocore's messages for problems its engine finds itself, as opposed to a rule set's `error`
# rules; for those only the fact of failing has to agree.
_BOTOCORE_ENGINE_ERRORS = (
    "Cannot find value for required parameter",
    "Both values must be strings",
    "Both arguments must be bools",
    "Input must be a string",
    "No endpoint found for parameters",
    "Value (",
)


def theirs(provider: Any, params: Mapping[str, object]) -> Outcome | None:
    """botocore's answer, or None when botocore fails in its engine (or crashes) rather than on an
    `error` rule."""
    arguments = {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}
    try:
        found = provider.resolve_endpoint(**arguments)
    except BotocoreEndpointError as error:
        message = str(error)
        return None if message.startswith(_BOTOCORE_ENGINE_ERRORS) else {"error": message}
    except (KeyError, TypeError, AttributeError):  # e.g. a template naming an unset parameter
        return None
    return {
        "endpoint": {"url": found.url, "headers": found.headers, "properties": found.properties}
    }


def assert_agrees_with_botocore(
    rule_set: Mapping[str, Any], provider: Any, params: Mapping[str, object]
) -> None:
    mine, expected = ours(rule_set, params), theirs(provider, params)
    if expected is None:
        assert "error" in mine, (params, mine)
    else:
        assert mine == expected, params


def matches_expectation(outcome: Outcome, expect: Mapping[str, Any]) -> bool:
    """An endpoint test's `expect` names the URL and, only when it cares, headers and properties."""
    if "error" in expect:
        return outcome == {"error": expect["error"]}
    if "endpoint" not in outcome:
        return False
    got = outcome["endpoint"]
    return all(got[key] == value for key, value in expect["endpoint"].items())


# --- the models --------------------------------------------------------------------------------


def _traits(model_path: Path, shape_id: str | None = None) -> tuple[str, dict[str, Any]]:
    """The service shape carrying the rule set (the only one, unless `shape_id` says) and its traits."""
    shapes = json.loads(model_path.read_text("utf-8"))["shapes"]
    found = [
        (name, shape["traits"])
        for name, shape in shapes.items()
        if shape.get("type") == "service" and RULE_SET_TRAIT in shape.get("traits", {})
    ]
    if shape_id is not None:
        found = [item for item in found if item[0] == shape_id]
    assert len(found) == 1, f"{model_path}: expected one service with a rule set, found {found}"
    return found[0]


@cache
def our_rule_set() -> dict[str, Any]:
    rule_set: dict[str, Any] = _traits(OUR_MODEL, REKOGNITION)[1][RULE_SET_TRAIT]
    return rule_set


@cache
def official(service: str) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """Service shape id, rule set and endpoint test cases of an official model."""
    shape_id, traits = _traits(OFFICIAL_MODELS[service])
    return shape_id, traits[RULE_SET_TRAIT], traits[TESTS_TRAIT]["testCases"]


def _missing_reference(service: str) -> str | None:
    path = OFFICIAL_MODELS[service]
    if path.exists():
        return None
    return f"reference model not available: {path} (CI provides ../shared beside the repo)"


def official_cases() -> list[Any]:
    """(rule set source, test case) for every case of every official suite.

    Rekognition's suite runs against our model's rule set and the official one; the Timestream
    for InfluxDB suite against its own model's.
    """
    runs = [
        ("rekognition", "ours"),
        ("rekognition", "official"),
        ("timestream-influxdb", "official"),
    ]
    cases = []
    for service, rule_set_source in runs:
        reason = _missing_reference(service)
        if reason is not None:
            skip = pytest.mark.skip(reason=reason)
            cases.append(pytest.param(service, rule_set_source, -1, marks=skip))
            continue
        cases.extend(
            pytest.param(service, rule_set_source, index, id=f"{service}-{rule_set_source}-{index}")
            for index in range(len(official(service)[2]))
        )
    return cases


def rule_set_for(service: str, source: str) -> dict[str, Any]:
    return our_rule_set() if source == "ours" else official(service)[1]


# The facts of partitions.json when these suites were generated: the ISO partitions (aws-iso,
# aws-iso-b, aws-iso-e, aws-iso-f) had no dual-stack endpoints. AWS has added them since.
ISO_PARTITIONS = frozenset({"aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f"})
PARTITIONS_BEFORE_ISO_DUAL_STACK = tuple(
    (
        p.replace(supports_dual_stack=False, dual_stack_dns_suffix=p.dns_suffix)
        if p.name in ISO_PARTITIONS
        else p
    )
    for p in endpoints.PARTITIONS
)


def written_before_iso_dual_stack(case: Mapping[str, Any]) -> bool:
    params = case.get("params", {})
    region = params.get("Region")
    return (
        region is not None
        and params.get("UseDualStack") is True
        and "Endpoint" not in params
        and endpoints.aws_partition(region)["name"] in ISO_PARTITIONS
    )


# --- AWS's endpoint tests ----------------------------------------------------------------------


def test_official_models_name_their_service_shapes() -> None:
    reason = _missing_reference("rekognition") or _missing_reference("timestream-influxdb")
    if reason:
        pytest.skip(reason)
    assert official("rekognition")[0] == REKOGNITION
    assert official("timestream-influxdb")[0] == (
        "com.amazonaws.timestreaminfluxdb#AmazonTimestreamInfluxDB"
    )
    assert len(official("rekognition")[2]) == 43
    assert len(official("timestream-influxdb")[2]) == 25


@pytest.mark.parametrize(("service", "source", "index"), official_cases())
def test_official_endpoint_case(service: str, source: str, index: int) -> None:
    case = official(service)[2][index]
    partitions = (
        PARTITIONS_BEFORE_ISO_DUAL_STACK
        if written_before_iso_dual_stack(case)
        else endpoints.PARTITIONS
    )
    outcome = ours(rule_set_for(service, source), case.get("params", {}), partitions=partitions)
    assert matches_expectation(outcome, case["expect"]), (case, outcome)


@pytest.mark.parametrize(("service", "source", "index"), official_cases())
def test_official_case_with_todays_partitions_agrees_with_botocore(
    service: str, source: str, index: int
) -> None:
    case = official(service)[2][index]
    rule_set = rule_set_for(service, source)
    params = case.get("params", {})
    assert_agrees_with_botocore(rule_set, botocore_provider(rule_set), params)
    if written_before_iso_dual_stack(case):
        # Today these regions have dual-stack endpoints; the test case still says they do not.
        assert not matches_expectation(ours(rule_set, params), case["expect"])
        assert "endpoint" in ours(rule_set, params)


def test_four_cases_of_each_suite_predate_iso_dual_stack() -> None:
    reason = _missing_reference("rekognition") or _missing_reference("timestream-influxdb")
    if reason:
        pytest.skip(reason)
    stale = {
        service: sum(written_before_iso_dual_stack(case) for case in official(service)[2])
        for service in OFFICIAL_MODELS
    }
    assert stale == {"rekognition": 4, "timestream-influxdb": 4}


# --- botocore: the same rule sets --------------------------------------------------------------


@cache
def botocore_partitions() -> dict[str, Any]:
    partitions: dict[str, Any] = create_loader().load_data("partitions")
    return partitions


_providers: dict[int, Any] = {}


def botocore_provider(rule_set: dict[str, Any]) -> Any:
    key = id(rule_set)  # rule sets here are cached for the whole run, so ids stay unique
    if key not in _providers:
        _providers[key] = EndpointProvider(
            ruleset_data=rule_set, partition_data=botocore_partitions()
        )
    return _providers[key]


def test_partition_facts_match_botocores_partitions_json() -> None:
    facts = [
        {
            "id": p.name,
            "regionRegex": p.region_regex,
            "outputs": p.outputs(),
            "regions": sorted(p.regions),
        }
        for p in endpoints.PARTITIONS
    ]
    published = [
        {
            "id": p["id"],
            "regionRegex": p["regionRegex"],
            "outputs": dict(p["outputs"]),
            "regions": sorted(p["regions"]),
        }
        for p in botocore_partitions()["partitions"]
    ]
    assert facts == published
    # The facts are all there is: no region overrides a partition's outputs.
    for p in botocore_partitions()["partitions"]:
        assert all(set(info) <= {"description"} for info in p["regions"].values())


MADE_UP_REGIONS = [
    "us-foo-1",
    "cn-mars-1",
    "eu-isoe-west-1",
    "us-gov-mars-1",
    "us-iso-mars-1",
    "us-isob-mars-2",
    "us-isof-mars-3",
    "eusc-de-mars-1",
    "eusc-fr-east-1",  # looks like aws-eusc, but only `de` is in its pattern: falls back to aws
    "mars-east-1",
    "US-EAST-1",
    "us-east-1-fips",
    "local",
    "",
]
REGIONS = sorted({r for p in endpoints.PARTITIONS for r in p.regions}) + MADE_UP_REGIONS
CUSTOM_ENDPOINTS = [None, "https://example.com", "http://localhost:8080/base/"]


def rekognition_rule_sets() -> list[Any]:
    reason = _missing_reference("rekognition")
    marks = [pytest.mark.skip(reason=reason)] if reason else []
    return [pytest.param("ours", id="ours"), pytest.param("official", id="official", marks=marks)]


@pytest.mark.parametrize("source", rekognition_rule_sets())
@pytest.mark.parametrize("region", [*REGIONS, None])
def test_rekognition_agrees_with_botocore(source: str, region: str | None) -> None:
    rule_set = rule_set_for("rekognition", source)
    provider = botocore_provider(rule_set)
    for fips, dual_stack, endpoint in itertools.product(
        [False, True], [False, True], CUSTOM_ENDPOINTS
    ):
        params = {"Region": region, "UseFIPS": fips, "UseDualStack": dual_stack}
        if endpoint is not None:
            params["Endpoint"] = endpoint
        assert_agrees_with_botocore(rule_set, provider, params)


region_names = st.one_of(
    st.from_regex(r"(us|eu|ap|cn|sa|me|il|mx|xx)-([a-z]{2,6}-){0,2}[0-9]{1,2}", fullmatch=True),
    st.from_regex(r"us-(gov|iso|isob|isoe|isof)-[a-z]{3,5}-[0-9]", fullmatch=True),
    st.from_regex(r"eusc-[a-z]{2}-[a-z]{4}-[0-9]", fullmatch=True),
    # Python's `$` and `\w` would let botocore accept a final newline or non-ASCII letters;
    # AWS's patterns are Java's, so the alphabet stays where both read them the same.
    st.text(alphabet="abcdefgiosuw-019._", max_size=16),
)


@settings(max_examples=300, deadline=None)
@given(
    region=region_names,
    fips=st.booleans(),
    dual_stack=st.booleans(),
    endpoint=st.sampled_from(CUSTOM_ENDPOINTS),
)
def test_rekognition_agrees_with_botocore_on_generated_regions(
    region: str, fips: bool, dual_stack: bool, endpoint: str | None
) -> None:
    rule_set = our_rule_set()
    params = {"Region": region, "UseFIPS": fips, "UseDualStack": dual_stack, "Endpoint": endpoint}
    assert_agrees_with_botocore(rule_set, botocore_provider(rule_set), params)


# --- botocore: every rule set it ships ---------------------------------------------------------

BOTOCORE_DATA = Path(botocore.__file__).parent / "data"


@cache
def shipped_rule_set(path: Path) -> dict[str, Any]:
    with gzip.open(path) as stream:
        rule_set: dict[str, Any] = json.load(stream)
    return rule_set


SHIPPED = sorted(BOTOCORE_DATA.glob("*/*/endpoint-rule-set-1.json.gz"))
SWEEP_REGIONS = [
    "us-east-1",
    "aws-global",
    "cn-north-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "eu-isoe-west-1",
    "us-foo-1",
    None,
]


def test_botocore_ships_rule_sets() -> None:
    assert len(SHIPPED) > 400


@pytest.mark.parametrize(
    "path", SHIPPED, ids=[f"{p.parent.parent.name}-{p.parent.name}" for p in SHIPPED]
)
def test_every_shipped_rule_set_agrees_with_botocore(path: Path) -> None:
    rule_set = shipped_rule_set(path)
    provider = botocore_provider(rule_set)
    declared = rule_set["parameters"]
    for region, fips, dual_stack, endpoint in itertools.product(
        SWEEP_REGIONS, [False, True], [False, True], [None, "https://example.com"]
    ):
        given_ = {"Region": region, "UseFIPS": fips, "UseDualStack": dual_stack}
        given_["Endpoint"] = endpoint
        params = {k: v for k, v in given_.items() if k in declared and v is not None}
        assert_agrees_with_botocore(rule_set, provider, params)


STANDARD_PARAMETERS = frozenset({"Region", "UseFIPS", "UseDualStack", "Endpoint"})
RICH = [p for p in SHIPPED if set(shipped_rule_set(p)["parameters"]) - STANDARD_PARAMETERS]

# Values for the other parameters: S3 bucket names of every shape, ARNs of every S3 kind and a
# few others, ids. Custom endpoints stay clear of paths botocore rewrites (see parse_url tests).
BUCKETS = [
    "bucket-name",
    "bucket.with.dots",
    "BucketUpper",
    "ab",
    "a" * 64,
    "192.168.1.1",
    "bucket--x",
    "bucket-",
    "my_bucket",
    "mybucket--usw2-az1--x-s3",
    "b--x-s3",
    "arn:aws:s3:us-west-2:123456789012:accesspoint:myendpoint",
    "arn:aws:s3:us-west-2:123456789012:accesspoint/myendpoint",
    "arn:aws:s3:us-west-2:123456789012:accesspoint:my.end.point",
    "arn:aws:s3-outposts:us-west-2:123456789012:outpost:op-01234567890123456:accesspoint:reports",
    "arn:aws:s3-outposts:us-west-2:123456789012:outpost/op-01234567890123456/bucket/mybucket",
    "arn:aws:s3-object-lambda:us-east-1:123456789012:accesspoint/mybanner",
    "arn:aws:s3::123456789012:accesspoint:mfzwi23gnjvgw.mrap",
    "arn:aws-cn:s3:cn-north-1:123456789012:accesspoint:myendpoint",
    "arn:aws-us-gov:s3:us-gov-west-1:123456789012:accesspoint:x",
    "arn:aws:s3:::bucket",
    "arn:aws:sqs:us-west-2:123456789012:someresource",
]
OTHER_STRINGS = [
    "arn:aws:kinesis:us-east-1:123456789012:stream/mystream",
    "arn:aws:kinesis:us-east-1:123456789012:stream/mystream/consumer/c:1",
    "arn:aws:dynamodb:us-east-1:123456789012:table/t",
    "arn:aws:events:us-east-1:123456789012:event-bus/b",
    "123456789012",
    "op-01234567890123456",
    "abc.def",
    "",
    "with space",
    "x" * 70,
    "data",
    "control",
]
RICH_ENDPOINTS = [
    "https://example.com",
    "http://beta.example.com:1234/path",
    "https://127.0.0.1:8443",
    "http://[::1]/x",
    "https://example.com?q=1",
    "ftp://example.com",
    "not a url",
    "https://example.com:99999",
]


def parameter_values(name: str, spec: Mapping[str, Any]) -> st.SearchStrategy[object]:
    kind = spec["type"].lower()
    values: st.SearchStrategy[object]
    if kind == "boolean":
        values = st.booleans()
    elif kind == "stringarray":
        values = st.lists(st.sampled_from(OTHER_STRINGS), max_size=2)
    elif name == "Region":
        values = st.sampled_from([r for r in SWEEP_REGIONS if r] + ["mars-east-1", "fips-x"])
    elif name == "Endpoint":
        values = st.sampled_from(RICH_ENDPOINTS)
    else:
        values = st.sampled_from(BUCKETS + OTHER_STRINGS)
    return st.none() | values


@pytest.mark.parametrize("path", RICH, ids=[p.parent.parent.name for p in RICH])
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_rule_sets_with_more_parameters_agree_with_botocore(
    path: Path, data: st.DataObject
) -> None:
    rule_set = shipped_rule_set(path)
    strategies = {n: parameter_values(n, s) for n, s in rule_set["parameters"].items()}
    drawn = data.draw(st.fixed_dictionaries(strategies))
    params = {k: v for k, v in drawn.items() if v is not None}
    assert_agrees_with_botocore(rule_set, botocore_provider(rule_set), params)


# --- botocore: the library functions one by one ------------------------------------------------


@cache
def botocore_library() -> Any:
    return RuleSetStandardLibrary(botocore_partitions())


LABEL_ALPHABET = "abcAZ09-._ "


@given(value=st.text(alphabet=LABEL_ALPHABET, max_size=70), dots=st.booleans())
def test_is_valid_host_label_agrees_with_botocore(value: str, dots: bool) -> None:
    expected = botocore_library().is_valid_host_label(value, dots)
    assert endpoints.is_valid_host_label(value, dots) == expected


@given(
    value=st.text(alphabet="abz09-.A_", max_size=63)
    | st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){3}", fullmatch=True),
    dots=st.booleans(),
)
def test_is_virtual_hostable_s3_bucket_agrees_with_botocore(value: str, dots: bool) -> None:
    expected = botocore_library().aws_is_virtual_hostable_s3_bucket(value, dots)
    assert endpoints.is_virtual_hostable_s3_bucket(value, dots) == expected


@given(
    value=st.text(alphabet="arn:aws3-/x", max_size=30) | st.from_regex(r"arn:.*", fullmatch=True)
)
def test_parse_arn_agrees_with_botocore(value: str) -> None:
    assert endpoints.parse_arn(value) == botocore_library().aws_parse_arn(value)


@given(value=st.text(max_size=30))
def test_uri_encode_agrees_with_botocore(value: str) -> None:
    try:
        expected = botocore_library().uri_encode(value)
    except UnicodeEncodeError:  # a lone surrogate
        with pytest.raises(endpoints.EndpointResolutionError):
            endpoints.uri_encode(value)
        return
    assert endpoints.uri_encode(value) == expected


@given(
    value=st.text(alphabet="abcdef\x7f\x80é", max_size=10),
    start=st.integers(0, 12),
    stop=st.integers(0, 12),
    reverse=st.booleans(),
)
def test_substring_agrees_with_botocore(value: str, start: int, stop: int, reverse: bool) -> None:
    expected = botocore_library().substring(value, start, stop, reverse)
    assert endpoints.substring(value, start, stop, reverse) == expected


urls = st.builds(
    "{}://{}{}{}{}".format,
    st.sampled_from(["http", "https", "HTTPS", "ftp"]),
    st.sampled_from(["example.com", "a-b.example.com", "127.0.0.1", "999.1.1.1", "[::1]", "u@h"]),
    st.sampled_from(["", ":80", ":0", ":65535", ":99999", ":x"]),
    st.builds(
        "".join,
        st.lists(st.from_regex(r"/[a-z0-9_-]{1,4}", fullmatch=True), max_size=3),
    ).flatmap(lambda path: st.sampled_from([path, path + "/"])),
    st.sampled_from(["", "?a=b"]),
)


@given(url=urls)
def test_parse_url_agrees_with_botocore_on_plain_paths(url: str) -> None:
    assert endpoints.parse_url(url) == botocore_library().parse_url(url)


@given(region=region_names)
def test_aws_partition_agrees_with_botocore(region: str) -> None:
    assert endpoints.aws_partition(region) == dict(botocore_library().aws_partition(region))


# --- the library functions: edge cases ---------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com", ("https", "example.com", "", "/", False)),
        ("https://example.com/", ("https", "example.com", "/", "/", False)),
        (
            "https://authority.com/custom-path",
            ("https", "authority.com", "/custom-path", "/custom-path/", False),
        ),
        ("http://example.com:8000/port", ("http", "example.com:8000", "/port", "/port/", False)),
        ("HTTPS://Example.com/A", ("https", "Example.com", "/A", "/A/", False)),
        ("http://192.168.1.1/foo/", ("http", "192.168.1.1", "/foo/", "/foo/", True)),
        ("http://192.168.1.1:1234/foo/", ("http", "192.168.1.1:1234", "/foo/", "/foo/", True)),
        (
            "https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443",
            ("https", "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443", "", "/", True),
        ),
        ("https://999.999.abc.blah", ("https", "999.999.abc.blah", "", "/", False)),
        ("http://99_ab-.com", ("http", "99_ab-.com", "", "/", False)),  # host labels unchecked
        # The path as written: botocore would give /a/b/ and /b/ here.
        ("https://example.com/a//b", ("https", "example.com", "/a//b", "/a//b/", False)),
        ("https://example.com/a/../b", ("https", "example.com", "/a/../b", "/a/../b/", False)),
    ],
)
def test_parse_url(url: str, expected: tuple[str, str, str, str, bool]) -> None:
    keys = ("scheme", "authority", "path", "normalizedPath", "isIp")
    assert endpoints.parse_url(url) == dict(zip(keys, expected, strict=True))


@pytest.mark.parametrize(
    "url",
    [
        "acbd://example.com",  # only http and https
        "http://abc.com:a/foo",  # port is not a number
        "https://example.com:99999",  # port out of range
        "https://example.com/path?query1=foo",  # queries are not supported
        "https://example.com/path?",  # not even an empty one
        "https://[not-an-ip]/",
        "https:///path",  # no host
        "https://exa\nmple.com",  # urlsplit would drop the newline and parse the rest
        "https://example.com/a b",
        "example.com",
        "",
    ],
)
def test_parse_url_rejects(url: str) -> None:
    assert endpoints.parse_url(url) is None


@pytest.mark.parametrize(
    ("label", "allow_sub_domains", "expected"),
    [
        ("us-east-1", False, True),
        ("3aws4", False, True),
        ("a", False, True),
        ("a" * 63, False, True),
        ("a" * 64, False, False),
        ("UPPER-case", False, True),
        ("part1.part2", False, False),  # dots only with sub-domains allowed
        ("part1.part2", True, True),
        ("part1 part2", True, False),
        ("", False, False),
        ("", True, False),
        ("part1.", True, False),  # empty last label
        (".part1", True, False),
        ("part1..part2", True, False),
        ("part1.-part2", True, False),  # labels cannot start with a hyphen
        ("part1-.part2", True, False),  # nor end with one (RFC 1123)
        ("-abc", False, False),
        ("abc-", False, False),
        ("a_b", False, False),
        ("a" * 63 + "." + "b" * 63, True, True),  # the limit is per label
        ("\u0661\u0662", False, False),  # Arabic-Indic digits are not ASCII digits
        ("abc\n", False, False),
    ],
)
def test_is_valid_host_label(label: str, allow_sub_domains: bool, expected: bool) -> None:
    assert endpoints.is_valid_host_label(label, allow_sub_domains) is expected


@pytest.mark.parametrize(
    ("value", "start", "stop", "reverse", "expected"),
    [
        ("abcdefg", 0, 4, False, "abcd"),
        ("abcd", 0, 4, False, "abcd"),  # exactly long enough
        ("abc", 0, 4, False, None),  # too short
        ("", 0, 4, False, None),
        ("abcdefg", 0, 4, True, "defg"),  # counted from the end
        ("defg", 0, 4, True, "defg"),
        ("abcdefg", 1, 3, True, "ef"),
        ("defg", 1, 3, False, "ef"),
        ("ab", 1, 3, False, None),
        ("abcdef\u0080", 0, 4, False, None),  # any non-ASCII character anywhere: unset
        ("\ufdfd", 0, 1, False, None),
        ("\x7fabcdef", 0, 4, False, "\x7fabc"),  # all of ASCII counts, control characters too
        ("abc", 2, 2, False, None),  # empty range
        ("abc", 3, 1, True, None),
    ],
)
def test_substring(value: str, start: int, stop: int, reverse: bool, expected: str | None) -> None:
    assert endpoints.substring(value, start, stop, reverse) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("abcdefg", "abcdefg"),
        ("abc:defg", "abc%3Adefg"),
        ("0123456789.underscore_dash-Tilda~", "0123456789.underscore_dash-Tilda~"),
        (
            "/:,?#[]{}|@! $&'()*+;=%<>\"^`\\",
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C",
        ),
        ("\U0001f639", "%F0%9F%98%B9"),  # UTF-8 bytes
        ("", ""),
    ],
)
def test_uri_encode(value: str, expected: str) -> None:
    assert endpoints.uri_encode(value) == expected


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        (
            "arn:aws:s3:us-east-2:012345678:outpost:op-1234",
            ("aws", "s3", "us-east-2", "012345678", ["outpost", "op-1234"]),
        ),
        ("arn:aws:s3:::bucket", ("aws", "s3", "", "", ["bucket"])),  # region, account may be empty
        (
            "arn:aws-cn:s3-outposts:cn-north-1:123:outpost/op-1/bucket/b",
            ("aws-cn", "s3-outposts", "cn-north-1", "123", ["outpost", "op-1", "bucket", "b"]),
        ),
        ("arn:aws:sns:us-west-2:0123:a:b/c", ("aws", "sns", "us-west-2", "0123", ["a", "b", "c"])),
        ("arn:aws:iam::123:role//x:", ("aws", "iam", "", "123", ["role", "", "x", ""])),
    ],
)
def test_parse_arn(arn: str, expected: tuple[str, str, str, str, list[str]]) -> None:
    keys = ("partition", "service", "region", "accountId", "resourceId")
    assert endpoints.parse_arn(arn) == dict(zip(keys, expected, strict=True))


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:s3:us-east-2:012345678",  # five fields
        "arn:aws:s3:::",  # no resource
        "arn::s3:::bucket",  # no partition
        "arn:aws::::bucket",  # no service
        "ARN:aws:s3:::bucket",
        "arm:aws:s3:::bucket",
        "",
    ],
)
def test_parse_arn_rejects(arn: str) -> None:
    assert endpoints.parse_arn(arn) is None


@pytest.mark.parametrize(
    ("bucket", "allow_sub_domains", "expected"),
    [
        ("bucket-name", False, True),
        ("bucket-with-number-1", False, True),
        ("bucket--name", False, True),
        ("BucketName", False, False),
        ("bucket_name", False, False),
        ("bucket.name", False, False),
        ("bucket.name", True, True),
        ("bucket.name.multiple.dots1", True, True),
        ("-bucket-name", True, False),
        ("bucket-name-", True, False),
        ("aa", True, False),
        ("a" * 63, False, True),
        ("a" * 64, True, False),
        ("a.b" + ".c" * 31, True, False),  # 65 characters, however short the labels
        (".bucket-name", True, False),
        ("bucket-name.", True, False),
        ("bucket..name", True, False),
        ("192.168.5.4", True, False),
        ("bucket-.name", True, False),
        ("bucket.-name", True, False),
    ],
)
def test_is_virtual_hostable_s3_bucket(
    bucket: str, allow_sub_domains: bool, expected: bool
) -> None:
    assert endpoints.is_virtual_hostable_s3_bucket(bucket, allow_sub_domains) is expected


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("us-east-1", "aws"),
        ("aws-global", "aws"),  # listed, though no pattern matches it
        ("aws-us-gov-global", "aws-us-gov"),
        ("us-gov-west-1", "aws-us-gov"),
        ("us-gov-mars-1", "aws-us-gov"),  # by pattern
        ("cn-mars-1", "aws-cn"),
        ("eu-isoe-west-1", "aws-iso-e"),
        ("eusc-de-mars-1", "aws-eusc"),
        ("mars-east-1", "aws"),  # nobody claims it: the first partition
        ("us-east-1\n", "aws"),  # the whole name must match, not a line of it
        (None, "aws"),
    ],
)
def test_aws_partition(region: str | None, partition: str) -> None:
    assert endpoints.aws_partition(region)["name"] == partition


def test_aws_partition_reports_the_partition_facts() -> None:
    assert endpoints.aws_partition("us-iso-west-1") == {
        "name": "aws-iso",
        "dnsSuffix": "c2s.ic.gov",
        "dualStackDnsSuffix": "api.aws.ic.gov",
        "supportsFIPS": True,
        "supportsDualStack": True,
        "implicitGlobalRegion": "us-iso-east-1",
    }


@pytest.mark.parametrize(
    ("value", "path", "expected"),
    [
        ({"a": {"b": "c"}}, "a.b", "c"),
        ({"resourceId": ["x", "y"]}, "resourceId[1]", "y"),
        ({"resourceId": ["x", "y"]}, "resourceId[2]", None),  # past the end: unset
        (["x", "y"], "[0]", "x"),
        ({"a": [["p", "q"]]}, "a[0][1]", "q"),
        ({"a": 1}, "b", None),
        (None, "a", None),
    ],
)
def test_get_attr(value: object, path: str, expected: object) -> None:
    assert endpoints.get_attr(value, path) == expected


@pytest.mark.parametrize("path", ["", "a..b", "a[x]", "a]", "a[0]b"])
def test_get_attr_rejects_malformed_paths(path: str) -> None:
    with pytest.raises(endpoints.EndpointResolutionError, match="invalid path"):
        endpoints.get_attr({"a": {"b": 1}}, path)


# --- the engine --------------------------------------------------------------------------------


def rule_set(*rules: dict[str, Any], **parameters: dict[str, Any]) -> dict[str, Any]:
    return {"version": "1.0", "parameters": parameters, "rules": list(rules)}


def endpoint_rule(url: object, *conditions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "endpoint", "conditions": list(conditions), "endpoint": {"url": url, **extra}}


def error_rule(message: object, *conditions: dict[str, Any]) -> dict[str, Any]:
    return {"type": "error", "conditions": list(conditions), "error": message}


def tree(*rules: dict[str, Any], conditions: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    return {"type": "tree", "conditions": list(conditions), "rules": list(rules)}


def fn(name: str, *argv: object, assign: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"fn": name, "argv": list(argv)}
    if assign is not None:
        node["assign"] = assign
    return node


def ref(name: str) -> dict[str, str]:
    return {"ref": name}


STRING = {"type": "String"}
REGION = {"type": "String", "builtIn": "AWS::Region"}


def test_endpoint_is_a_frozen_record_and_the_error_a_value_error() -> None:
    found = endpoints.resolve_endpoint(rule_set(endpoint_rule("https://x")), {})
    assert found == endpoints.Endpoint("https://x", {}, {}) == endpoints.Endpoint("https://x")
    assert found != endpoints.Endpoint("https://y") and "https://x" in repr(found)
    with pytest.raises(AttributeError, match="frozen"):
        found.url = "https://y"
    assert issubclass(endpoints.EndpointResolutionError, ValueError)


def test_templates_fill_in_values_and_attributes() -> None:
    rules = rule_set(
        endpoint_rule(
            "https://{Bucket}.{arn#resourceId[1]}.{{literal}}.{p#dnsSuffix}",
            fn("aws.parseArn", "{Arn}", assign="arn"),
            fn("aws.partition", ref("Region"), assign="p"),
            headers={"x-region": ["{Region}", "static"], "x-ref": [ref("Bucket")]},
            properties={
                "authSchemes": [{"name": "sigv4", "signingRegion": "{arn#region}", "flag": True}],
                "record": {"ref": "not evaluated: properties are literals"},
            },
        ),
        Bucket=STRING,
        Arn=STRING,
        Region=REGION,
    )
    params = {"Bucket": "b", "Arn": "arn:aws:s3:eu-west-1:1:accesspoint/ap", "Region": "cn-north-1"}
    found = endpoints.resolve_endpoint(rules, params)
    assert found.url == "https://b.ap.{literal}.amazonaws.com.cn"
    assert found.headers == {"x-region": ["cn-north-1", "static"], "x-ref": ["b"]}
    assert found.properties == {
        "authSchemes": [{"name": "sigv4", "signingRegion": "eu-west-1", "flag": True}],
        "record": {"ref": "not evaluated: properties are literals"},
    }


def test_error_rules_raise_their_message_as_a_template() -> None:
    rules = rule_set(
        error_rule("Invalid region {Region}", fn("isSet", ref("Region"))), Region=REGION
    )
    with pytest.raises(endpoints.EndpointResolutionError) as raised:
        endpoints.resolve_endpoint(rules, {"Region": "x"})
    assert str(raised.value) == "Invalid region x"
    assert raised.value.message == "Invalid region x"


def test_assignments_stay_inside_their_rule() -> None:
    rules = rule_set(
        # Assigns `url`, then fails: the sibling below must not see it.
        endpoint_rule(
            "https://first", fn("parseURL", "https://a.com", assign="url"), fn("not", True)
        ),
        endpoint_rule("https://second", fn("parseURL", "https://b.com", assign="url")),
    )
    assert endpoints.resolve_endpoint(rules, {}).url == "https://second"


def test_an_assignment_may_not_shadow_a_name() -> None:
    rules = rule_set(
        endpoint_rule("https://x", fn("isSet", ref("Region"), assign="Region")), Region=REGION
    )
    with pytest.raises(endpoints.EndpointResolutionError, match="shadows"):
        endpoints.resolve_endpoint(rules, {"Region": "us-east-1"})


def test_a_tree_without_a_matching_rule_passes_on_to_the_next_rule() -> None:
    rules = rule_set(
        tree(error_rule("never", fn("booleanEquals", True, False))),
        endpoint_rule("https://after"),
    )
    assert endpoints.resolve_endpoint(rules, {}).url == "https://after"


def test_no_matching_rule_is_an_error_listing_the_parameters() -> None:
    rules = rule_set(
        endpoint_rule("https://x", fn("isSet", ref("Endpoint"))), Region=REGION, Endpoint=STRING
    )
    with pytest.raises(endpoints.EndpointResolutionError, match="Region='us-east-1'"):
        endpoints.resolve_endpoint(rules, {"Region": "us-east-1"})


def test_unknown_functions_are_named() -> None:
    rules = rule_set(endpoint_rule("https://x", fn("aws.madeUp", "a")))
    with pytest.raises(endpoints.EndpointResolutionError, match=r"unknown function 'aws\.madeUp'"):
        endpoints.resolve_endpoint(rules, {})


def test_unknown_functions_in_rules_not_reached_do_not_matter() -> None:
    rules = rule_set(endpoint_rule("https://x"), endpoint_rule("https://y", fn("aws.madeUp")))
    assert endpoints.resolve_endpoint(rules, {}).url == "https://x"


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (fn("booleanEquals", ref("Region"), True), "booleanEquals: argument 1 must be a boolean"),
        (fn("stringEquals", "a"), "stringEquals takes 2 argument"),
        (fn("substring", "abc", 0, True, False), "substring: argument 3 must be an integer"),
        (fn("isSet", ref("Nowhere")), "reference to undefined name 'Nowhere'"),
        (fn("stringEquals", "{Nowhere}", "a"), "reference to undefined name 'Nowhere'"),
        (fn("stringEquals", "{Region", "a"), "unclosed"),
        (fn("stringEquals", "Region}", "a"), "unmatched"),
    ],
)
def test_malformed_rule_sets_are_reported(condition: dict[str, Any], message: str) -> None:
    rules = rule_set(endpoint_rule("https://x", condition), Region=REGION)
    with pytest.raises(endpoints.EndpointResolutionError, match=message):
        endpoints.resolve_endpoint(rules, {"Region": "us-east-1"})


def test_functions_on_strings_give_unset_for_an_unset_string() -> None:
    conditions = [
        fn("not", fn("isSet", fn("parseURL", ref("Endpoint")))),
        fn("not", fn("isSet", fn("uriEncode", ref("Endpoint")))),
        fn("not", fn("isSet", fn("aws.parseArn", ref("Endpoint")))),
        fn("not", fn("isValidHostLabel", ref("Endpoint"), False)),
        fn("not", fn("aws.isVirtualHostableS3Bucket", ref("Endpoint"), False)),
        fn("aws.partition", ref("Endpoint"), assign="p"),  # the default partition
    ]
    rules = rule_set(endpoint_rule("https://{p#name}", *conditions), Endpoint=STRING)
    assert endpoints.resolve_endpoint(rules, {}).url == "https://aws"


def test_conditions_hold_unless_false_or_unset() -> None:
    rules = rule_set(endpoint_rule("https://x", fn("uriEncode", ""), fn("getAttr", {"a": 0}, "a")))
    assert endpoints.resolve_endpoint(rules, {}).url == "https://x"


def test_parameters_take_defaults_and_builtin_names() -> None:
    rules = rule_set(
        endpoint_rule("https://{Region}/{Stage}", fn("booleanEquals", ref("UseFIPS"), False)),
        Region=REGION,
        Stage={"type": "string", "default": "prod", "required": True},
        UseFIPS={"type": "Boolean", "builtIn": "AWS::UseFIPS", "default": False, "required": True},
    )
    assert endpoints.resolve_endpoint(rules, {"Region": "r1"}).url == "https://r1/prod"
    assert endpoints.resolve_endpoint(rules, {"AWS::Region": "r2"}).url == "https://r2/prod"
    # By name wins over by built-in; None is the same as absent; undeclared names are ignored.
    both = {"Region": "r3", "AWS::Region": "r4", "Stage": None, "Other": 1}
    assert endpoints.resolve_endpoint(rules, both).url == "https://r3/prod"


def test_required_parameters_without_a_value_are_reported() -> None:
    rules = rule_set(endpoint_rule("https://x"), Bucket={"type": "String", "required": True})
    with pytest.raises(endpoints.EndpointResolutionError, match=r"missing required .*'Bucket'"):
        endpoints.resolve_endpoint(rules, {"Region": "us-east-1"})


@pytest.mark.parametrize(
    ("spec", "value"),
    [
        ({"type": "Boolean"}, "true"),
        ({"type": "Boolean"}, 1),
        ({"type": "String"}, True),
        ({"type": "StringArray"}, "a"),
        ({"type": "StringArray"}, ["a", 1]),
    ],
)
def test_parameters_of_the_wrong_type_are_reported(spec: dict[str, Any], value: object) -> None:
    rules = rule_set(endpoint_rule("https://x"), P=spec)
    with pytest.raises(endpoints.EndpointResolutionError, match="endpoint parameter 'P' must be"):
        endpoints.resolve_endpoint(rules, {"P": value})


def test_string_array_parameters() -> None:
    rules = rule_set(
        endpoint_rule("https://{first}", fn("getAttr", ref("Arns"), "[0]", assign="first")),
        error_rule("empty"),
        Arns={"type": "stringArray", "default": [], "required": True},
    )
    assert endpoints.resolve_endpoint(rules, {"Arns": ("a", "b")}).url == "https://a"
    with pytest.raises(endpoints.EndpointResolutionError, match=r"^empty$"):
        endpoints.resolve_endpoint(rules, {})


@pytest.mark.parametrize("version", ["2.0", None, 1.0])
def test_only_version_1_rule_sets_are_evaluated(version: object) -> None:
    rules = {"version": version, "parameters": {}, "rules": [endpoint_rule("https://x")]}
    with pytest.raises(endpoints.EndpointResolutionError, match="version"):
        endpoints.resolve_endpoint(rules, {})


def test_results_do_not_share_the_rule_sets_containers() -> None:
    rules = rule_set(endpoint_rule("https://x", properties={"list": [1]}, headers={"h": ["v"]}))
    found = endpoints.resolve_endpoint(rules, {})
    found.properties["list"].append(2)
    found.headers["h"].append("w")
    assert endpoints.resolve_endpoint(rules, {}) == endpoints.Endpoint(
        "https://x", {"h": ["v"]}, {"list": [1]}
    )


def test_the_module_needs_only_the_standard_library_and_imports_none_at_load() -> None:
    tree = ast.parse((REPO / "templates" / "_endpoints.py").read_text("utf-8"))
    absolute: set[str] = set()
    relative: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            absolute |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                relative.add(node.module)
            else:
                absolute.add((node.module or "").split(".")[0])
    assert absolute <= set(sys.stdlib_module_names) | {"__future__"}
    assert relative == {"_record"}
    # A client resolves its endpoint when it is built: loading the module imports nothing new.
    script = (
        "import sys; before = set(sys.modules); import rekognition._endpoints as e; "
        "e.resolve_endpoint({'version': '1.0', 'parameters': {}, 'rules': "
        "[{'type': 'endpoint', 'conditions': [], 'endpoint': {'url': 'https://x'}}]}, {}); "
        "print(sorted(set(sys.modules) - before))"
    )
    completed = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(REPO / 'generated')!r}); {script}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = ast.literal_eval(completed.stdout)
    assert [name for name in loaded if not name.startswith("rekognition")] == ["__future__"]
