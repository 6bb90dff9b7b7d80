"""Endpoint resolution: a Smithy endpoint rule set evaluated against a client's parameters.

A rule set is the JSON value of a service's `smithy.rules#endpointRuleSet` trait (rules engine 1.x).
The client passes it with the endpoint parameters by name (`Region`, `UseFIPS`, `UseDualStack`,
`Endpoint`, ...) and gets back an `Endpoint` or an `EndpointResolutionError`. The AWS partition
facts that `aws.partition` needs are built in, so this works with the standard library alone.

Nothing is prepared at import or per rule set: the rule set is read as it is, so a caller that
resolves often keeps the parsed rule set and passes the same mapping each time.

Where implementations disagree, this one follows the rules engine's own test suites first, then
botocore, which runs the rule sets AWS ships; `parse_url` and `is_virtual_hostable_s3_bucket`
say where they differ from botocore.
"""

from __future__ import annotations

from ._record import Record

# A client resolves its endpoint when it is built, so this module imports nothing at load time:
# `re`, `urllib.parse` and `ipaddress` are imported by the functions that need them, which a rule
# set like Rekognition's reaches only for regions that are not listed in a partition.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any, Final

    _Pieces = tuple[str | tuple[str, str | None], ...]
    """A template split into literal text and (name, getAttr path or None) placeholders."""

__all__ = [
    "PARTITIONS",
    "ClientEndpoints",
    "Endpoint",
    "EndpointResolutionError",
    "ParameterBinding",
    "Partition",
    "aws_partition",
    "bound_value",
    "get_attr",
    "is_valid_host_label",
    "is_virtual_hostable_s3_bucket",
    "parse_arn",
    "parse_url",
    "resolve_endpoint",
    "substring",
    "uri_encode",
]


class EndpointResolutionError(ValueError):
    """No endpoint for these parameters.

    Raised when an `error` rule applies (the message is the rule's), when a parameter is missing
    or has the wrong type, and when the rule set uses something this evaluator does not know.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _MissingParameter(EndpointResolutionError):
    """A required parameter has no value (an operation may bind it)."""


class Endpoint(Record):
    """Where to send a request: the URL, extra headers, and properties such as `authSchemes`."""

    __slots__ = ("url", "headers", "properties")  # noqa: RUF023 (the constructor's order)
    url: str
    headers: dict[str, list[str]]
    properties: dict[str, Any]

    def __init__(
        self,
        url: str,
        headers: dict[str, list[str]] | None = None,
        properties: dict[str, Any] | None = None,
    ) -> None:
        self._fill(
            url=url,
            headers={} if headers is None else headers,
            properties={} if properties is None else properties,
        )


class Partition(Record):
    """One AWS partition: the facts `aws.partition` reports for the regions inside it."""

    # Field order is the constructor's and the repr's, not the alphabet's.
    __slots__ = (  # noqa: RUF023
        "name",
        "region_regex",
        "dns_suffix",
        "dual_stack_dns_suffix",
        "supports_fips",
        "supports_dual_stack",
        "implicit_global_region",
        "regions",
    )
    name: str
    region_regex: str
    """A region that is not listed belongs here if it matches this (Java regex syntax, ASCII)."""
    dns_suffix: str
    dual_stack_dns_suffix: str
    supports_fips: bool
    supports_dual_stack: bool
    implicit_global_region: str
    regions: tuple[str, ...]
    """The regions AWS lists for the partition, including pseudo regions like `aws-global`."""

    def __init__(
        self,
        *,
        name: str,
        region_regex: str,
        dns_suffix: str,
        dual_stack_dns_suffix: str,
        supports_fips: bool,
        supports_dual_stack: bool,
        implicit_global_region: str,
        regions: tuple[str, ...],
    ) -> None:
        self._fill(
            name=name,
            region_regex=region_regex,
            dns_suffix=dns_suffix,
            dual_stack_dns_suffix=dual_stack_dns_suffix,
            supports_fips=supports_fips,
            supports_dual_stack=supports_dual_stack,
            implicit_global_region=implicit_global_region,
            regions=regions,
        )

    def outputs(self) -> dict[str, object]:
        """The record `aws.partition` returns, keyed the way rule sets read it."""
        return {
            "name": self.name,
            "dnsSuffix": self.dns_suffix,
            "dualStackDnsSuffix": self.dual_stack_dns_suffix,
            "supportsFIPS": self.supports_fips,
            "supportsDualStack": self.supports_dual_stack,
            "implicitGlobalRegion": self.implicit_global_region,
        }


# AWS partitions as partitions.json (version 1.1) publishes them; botocore 1.44.8 ships this
# copy, and tests/test_endpoints.py compares them with the installed botocore's. The first one is
# also the answer for a region no partition claims.
PARTITIONS: Final[tuple[Partition, ...]] = (
    Partition(
        name="aws",
        region_regex=r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$",
        dns_suffix="amazonaws.com",
        dual_stack_dns_suffix="api.aws",
        supports_fips=True,
        supports_dual_stack=True,
        implicit_global_region="us-east-1",
        regions=(
            "af-south-1",
            "ap-east-1",
            "ap-east-2",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-6",
            "ap-southeast-7",
            "aws-global",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "me-west-1",
            "mx-central-1",
            "sa-east-1",
            "sa-west-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ),
    ),
    Partition(
        name="aws-cn",
        region_regex=r"^cn\-\w+\-\d+$",
        dns_suffix="amazonaws.com.cn",
        dual_stack_dns_suffix="api.amazonwebservices.com.cn",
        supports_fips=True,
        supports_dual_stack=True,
        implicit_global_region="cn-northwest-1",
        regions=("aws-cn-global", "cn-north-1", "cn-northwest-1"),
    ),
    Partition(
        name="aws-eusc",
        region_regex=r"^eusc\-(de)\-\w+\-\d+$",
        dns_suffix="amazonaws.eu",
        dual_stack_dns_suffix="api.amazonwebservices.eu",
        supports_fips=True,
        supports_dual_stack=True,
        implicit_global_region="eusc-de-east-1",
        regions=("eusc-de-east-1",),
    ),
    Partition(
        name="aws-iso",
        region_regex=r"^us\-iso\-\w+\-\d+$",
        dns_suffix="c2s.ic.gov",
        dual_stack_dns_suffix="api.aws.ic.gov",
        supports_fips=True,
        supports_dual_stack=True,
        implicit_global_region="us-iso-east-1",
        regions=("aws-iso-global", "us-iso-east-1", "us-iso-west-1"),
    ),
    Partition(
        name="aws-iso-b",
        region_regex=r"^us\-isob\-\w+\-\d+$",
        dns_suffix="sc2s.sgov.gov",
        dual_stack_dns_suffix="api.aws.scloud",
        supports_fips=True,
        supports_dual_stack=True,
        implicit_global_region="us-isob-east-1",
        regions=("aws-iso-b-global", "us-isob-east-1", "us-isob-west-1"),
    ),
    Partition(
        name="aws-iso-e",
        region_regex=r"^eu\-isoe\-\w+\-\d+$",
        dns_suffix="cloud.adc-e.uk",
        dual_stack_dns_suffix="api.cloud-aws.adc-e.uk",
        supports_fips=True,
        supports_dual_stack=True,
        implicit_global_region="eu-isoe-west-1",
        regions=("aws-iso-e-global", "eu-isoe-west-1"),
    ),
    Partition(
        name="aws-iso-f",
        region_regex=r"^us\-isof\-\w+\-\d+$",
        dns_suffix="csp.hci.ic.gov",
        dual_stack_dns_suffix="api.aws.hci.ic.gov",
        supports_fips=True,
        supports_dual_stack=True,
        implicit_global_region="us-isof-south-1",
        regions=("aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"),
    ),
    Partition(
        name="aws-us-gov",
        region_regex=r"^us\-gov\-\w+\-\d+$",
        dns_suffix="amazonaws.com",
        dual_stack_dns_suffix="api.aws",
        supports_fips=True,
        supports_dual_stack=True,
        implicit_global_region="us-gov-west-1",
        regions=("aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"),
    ),
)

_HOST_LABEL_CHARACTERS: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
)
_BUCKET: Final = r"[a-z0-9][a-z0-9-]*[a-z0-9]"
_BUCKET_WITH_DOTS: Final = r"[a-z0-9][a-z0-9.-]*[a-z0-9]"
_DOTTED_QUAD: Final = r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}"
_ATTR_PART: Final = r"([^\[\]]*)((?:\[[0-9]+\])*)"
_ARN_RESOURCE_DELIMITER: Final = r"[:/]"
_CACHE_SIZE: Final = 1024
_PARAMETER_KINDS: Final = frozenset({"string", "boolean", "stringarray"})
_KIND_NAMES: Final = {
    "string": "a string",
    "string?": "a string",
    "boolean": "a boolean",
    "integer": "an integer",
    "stringarray": "a list of strings",
}


_compiled: dict[str, re.Pattern[str]] = {}


def _regex(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled once, ASCII-only (`\\w` and `\\d` as the rules engine means them)."""
    compiled = _compiled.get(pattern)
    if compiled is None:
        import re

        if len(_compiled) >= _CACHE_SIZE:
            _compiled.clear()
        compiled = _compiled[pattern] = re.compile(pattern, re.ASCII)
    return compiled


# --- the standard library --------------------------------------------------------------------


def aws_partition(
    region: str | None, partitions: Sequence[Partition] = PARTITIONS
) -> dict[str, object]:
    """`aws.partition`: the partition a region belongs to.

    A listed region wins over a pattern match, and a region nobody claims gets the first
    partition (`aws`), so the result is never unset. So does an unset region, as in botocore and
    the JavaScript SDK: some rule sets (SimpleDB's) ask before checking that `Region` is set.
    """
    partitions = tuple(partitions)
    if not partitions:
        raise EndpointResolutionError("aws.partition: no partitions to choose from")
    if region is None:
        return partitions[0].outputs()
    found = _listed_regions(partitions).get(region) or next(
        (p for p in partitions if _regex(p.region_regex).fullmatch(region)), partitions[0]
    )
    return found.outputs()


_region_indexes: dict[tuple[Partition, ...], dict[str, Partition]] = {}


def _listed_regions(partitions: tuple[Partition, ...]) -> dict[str, Partition]:
    index = _region_indexes.get(partitions)
    if index is None:
        index = {}
        for partition in partitions:
            for region in partition.regions:
                index.setdefault(region, partition)
        if len(_region_indexes) >= 8:
            _region_indexes.clear()
        _region_indexes[partitions] = index
    return index


def get_attr(value: object, path: str) -> object:
    """`getAttr`: `value` read along `path`, e.g. `resourceId[1]` or `a.b` or `[0]`.

    An index past the end of a list, or a key the record lacks, gives unset (None), and so does
    anything read from unset.
    """
    for part in _attr_path(path):
        if value is None:
            return None
        if isinstance(part, int):
            if not isinstance(value, list):
                raise EndpointResolutionError(f"getAttr: cannot index {value!r} with [{part}]")
            value = value[part] if part < len(value) else None
        else:
            if not isinstance(value, dict):
                raise EndpointResolutionError(f"getAttr: cannot read {part!r} of {value!r}")
            value = value.get(part)
    return value


_attr_paths: dict[str, tuple[str | int, ...]] = {}


def _attr_path(path: str) -> tuple[str | int, ...]:
    parsed = _attr_paths.get(path)
    if parsed is not None:
        return parsed
    parts: list[str | int] = []
    for component in path.split("."):
        if component.isidentifier():  # the common case, such as `supportsFIPS`, needs no regex
            parts.append(component)
            continue
        match = _regex(_ATTR_PART).fullmatch(component)
        if match is None or not (match[1] or match[2]):
            raise EndpointResolutionError(f"getAttr: invalid path {path!r}")
        if match[1]:
            parts.append(match[1])
        parts.extend(int(index) for index in _regex(r"[0-9]+").findall(match[2]))
    if len(_attr_paths) >= _CACHE_SIZE:
        _attr_paths.clear()
    parsed = _attr_paths[path] = tuple(parts)
    return parsed


def substring(value: str, start: int, stop: int, reverse: bool) -> str | None:
    """`substring`: characters `start` to `stop` (exclusive), counted from the end if `reverse`.

    Unset when the range is empty or longer than the string, or the string is not all ASCII.
    """
    if start < 0 or start >= stop or len(value) < stop or not value.isascii():
        return None
    if reverse:
        return value[len(value) - stop : len(value) - start]
    return value[start:stop]


def uri_encode(value: str) -> str:
    """`uriEncode`: percent-encodes UTF-8 bytes of everything but `A-Z a-z 0-9 - _ . ~`."""
    from urllib.parse import quote

    try:
        return quote(value, safe="")
    except UnicodeEncodeError as error:
        raise EndpointResolutionError(f"uriEncode: {value!r} is not valid Unicode") from error


def parse_url(value: str) -> dict[str, object] | None:
    """`parseURL`: scheme, authority, path, normalizedPath and isIp of an http(s) URL.

    Unset for anything else: another scheme, no host, a query (even an empty one), a bad port or
    IPv6 literal, whitespace or control characters. `normalizedPath` is the path with a leading
    and a trailing slash, otherwise as written, as in Smithy's reference implementation; botocore
    also drops dot segments and repeated slashes and percent-encodes it once more.
    """
    if any(char <= " " or char == "\x7f" for char in value):
        return None
    if "?" in value.partition("#")[0]:
        return None
    import ipaddress
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        _ = parts.port  # a bad port only shows when it is read
    except ValueError:
        return None
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        return None
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return None
        is_ip = True
    else:
        is_ip = _looks_like_ipv4(host)
    path = parts.path
    normalized = path if path.startswith("/") else "/" + path
    if not normalized.endswith("/"):
        normalized += "/"
    return {
        "scheme": parts.scheme,
        "authority": parts.netloc,
        "path": path,
        "normalizedPath": normalized,
        "isIp": is_ip,
    }


def _looks_like_ipv4(host: str) -> bool:
    """Four dot-separated numbers of up to three digits, as botocore sees an IPv4 address."""
    return _regex(_DOTTED_QUAD).fullmatch(host) is not None


def is_valid_host_label(value: str, allow_sub_domains: bool) -> bool:
    """`isValidHostLabel`: 1 to 63 letters, digits and hyphens, not starting or ending with a
    hyphen (RFC 1123); with `allow_sub_domains`, every dot-separated label must be one."""
    labels = value.split(".") if allow_sub_domains else [value]
    return all(
        0 < len(label) <= 63
        and _HOST_LABEL_CHARACTERS.issuperset(label)
        and not label.startswith("-")
        and not label.endswith("-")
        for label in labels
    )


def parse_arn(value: str) -> dict[str, object] | None:
    """`aws.parseArn`: partition, service, region, accountId and resourceId (the resource split
    on `:` and `/`) of `arn:partition:service:region:account:resource`.

    Unset unless there are six fields, the first is `arn`, and partition, service and resource
    are not empty; region and account may be.
    """
    fields = value.split(":", 5)
    if len(fields) != 6 or fields[0] != "arn" or not (fields[1] and fields[2] and fields[5]):
        return None
    return {
        "partition": fields[1],
        "service": fields[2],
        "region": fields[3],
        "accountId": fields[4],
        "resourceId": _regex(_ARN_RESOURCE_DELIMITER).split(fields[5]),
    }


def is_virtual_hostable_s3_bucket(value: str, allow_sub_domains: bool) -> bool:
    """`aws.isVirtualHostableS3Bucket`: can this bucket name be the first labels of a host name?

    3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit.
    With `allow_sub_domains`, dots may separate labels too, but no label may be empty or start or
    end with a hyphen, and the name may not look like an IPv4 address. The 63 count the whole
    name, as S3 does; botocore only limits each label.
    """
    if not 3 <= len(value) <= 63:
        return False
    if not allow_sub_domains:
        return _regex(_BUCKET).fullmatch(value) is not None
    return (
        _regex(_BUCKET_WITH_DOTS).fullmatch(value) is not None
        and ".." not in value
        and ".-" not in value
        and "-." not in value
        and not _looks_like_ipv4(value)
    )


# What each library function takes (`any` includes unset) and how it is computed. Functions that
# inspect a string give unset (or false) for an unset one, as botocore's do: rule sets in the wild
# call `parseURL` and the like before proving the value is set.
_LIBRARY: Final[dict[str, tuple[tuple[str, ...], Callable[..., object]]]] = {
    "isSet": (("any",), lambda value: value is not None),
    "not": (("boolean",), lambda value: not value),
    "booleanEquals": (("boolean", "boolean"), lambda left, right: left == right),
    "stringEquals": (("string", "string"), lambda left, right: left == right),
    "getAttr": (("any", "string"), get_attr),
    "substring": (("string", "integer", "integer", "boolean"), substring),
    "uriEncode": (("string?",), lambda value: None if value is None else uri_encode(value)),
    "parseURL": (("string?",), lambda value: None if value is None else parse_url(value)),
    "isValidHostLabel": (
        ("string?", "boolean"),
        lambda value, dots: value is not None and is_valid_host_label(value, dots),
    ),
    "aws.partition": (("string?",), aws_partition),
    "aws.parseArn": (("string?",), lambda value: None if value is None else parse_arn(value)),
    "aws.isVirtualHostableS3Bucket": (
        ("string?", "boolean"),
        lambda value, dots: value is not None and is_virtual_hostable_s3_bucket(value, dots),
    ),
}


def _is_kind(value: object, kind: str) -> bool:
    if kind == "any" or (value is None and kind.endswith("?")):
        return True
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


# --- evaluation ------------------------------------------------------------------------------


def resolve_endpoint(
    rule_set: Mapping[str, Any],
    params: Mapping[str, object],
    *,
    partitions: Sequence[Partition] = PARTITIONS,
) -> Endpoint:
    """The endpoint `rule_set` gives for `params`, or `EndpointResolutionError` saying why none.

    `params` holds parameter values by the rule set's names (`Region`, `UseFIPS`, ...) or by their
    `builtIn` ids (`AWS::Region`, `SDK::Endpoint`, ...); None is the same as leaving a value out,
    and names the rule set does not declare are ignored. Declared defaults fill the gaps.
    `partitions` replaces the built-in partition facts, e.g. to try a region AWS has not
    published yet.
    """
    version = rule_set.get("version")
    if not isinstance(version, str) or not version.startswith("1."):
        raise EndpointResolutionError(
            f"unsupported endpoint rule set version {version!r}; this evaluator implements 1.x"
        )
    scope = _bind_parameters(rule_set.get("parameters", {}), params)
    evaluation = _Evaluation(tuple(partitions))
    for rule in rule_set.get("rules", []):
        endpoint = evaluation.rule(rule, scope)
        if endpoint is not None:
            return endpoint
    shown = ", ".join(f"{name}={value!r}" for name, value in scope.items() if value is not None)
    raise EndpointResolutionError(f"no endpoint rule matched the parameters ({shown})")


def _bind_parameters(
    declared: Mapping[str, Mapping[str, Any]], given: Mapping[str, object]
) -> dict[str, object]:
    scope: dict[str, object] = {}
    for name, spec in declared.items():
        value = given.get(name)
        built_in = spec.get("builtIn")
        if value is None and isinstance(built_in, str):
            value = given.get(built_in)
        if value is None:
            value = spec.get("default")
        kind = str(spec.get("type", "")).lower()
        if kind not in _PARAMETER_KINDS:
            raise EndpointResolutionError(
                f"parameter {name!r} has unknown type {spec.get('type')!r}"
            )
        if value is None:
            if spec.get("required"):
                raise _MissingParameter(f"missing required endpoint parameter {name!r}")
        elif not _is_parameter_kind(value, kind):
            raise EndpointResolutionError(
                f"endpoint parameter {name!r} must be {_KIND_NAMES[kind]}, got {value!r}"
            )
        scope[name] = list(value) if isinstance(value, (list, tuple)) else value
    return scope


def _is_parameter_kind(value: object, kind: str) -> bool:
    if kind == "stringarray":
        return isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value)
    return _is_kind(value, kind)


class _Evaluation:
    """One resolution: the partition facts in force, and the walk over the rules."""

    __slots__ = ("partitions",)

    def __init__(self, partitions: tuple[Partition, ...]) -> None:
        self.partitions = partitions

    def rule(self, rule: Mapping[str, Any], outer: Mapping[str, object]) -> Endpoint | None:
        """The rule's endpoint if its conditions hold, None if they do not; raises for errors."""
        # Assignments made while testing conditions belong to this rule and its children only.
        scope = dict(outer)
        for condition in rule.get("conditions", []):
            result = self.call(condition, scope)
            if result is None or result is False:
                return None
            target = condition.get("assign")
            if target is not None:
                if target in scope:
                    raise EndpointResolutionError(
                        f"assignment to {target!r} shadows a name in scope"
                    )
                scope[target] = result
        kind = rule.get("type")
        if kind == "endpoint":
            return self.endpoint(rule["endpoint"], scope)
        if kind == "error":
            raise EndpointResolutionError(self.text(rule["error"], scope, "error message"))
        if kind == "tree":
            # A tree none of whose rules applies hands over to the rules after it, as in botocore:
            # S3's rule set counts on that to reach its more specific errors.
            for child in rule["rules"]:
                endpoint = self.rule(child, scope)
                if endpoint is not None:
                    return endpoint
            return None
        raise EndpointResolutionError(f"unknown rule type {kind!r}")

    def endpoint(self, spec: Mapping[str, Any], scope: Mapping[str, object]) -> Endpoint:
        headers = {
            name: [self.text(value, scope, f"header {name}") for value in values]
            for name, values in spec.get("headers", {}).items()
        }
        properties = {
            key: _literal(value, scope) for key, value in spec.get("properties", {}).items()
        }
        return Endpoint(self.text(spec["url"], scope, "endpoint URL"), headers, properties)

    def text(self, expression: object, scope: Mapping[str, object], what: str) -> str:
        value = self.value(expression, scope)
        if not isinstance(value, str):
            raise EndpointResolutionError(f"the {what} must be a string, got {value!r}")
        return value

    def value(self, expression: object, scope: Mapping[str, object]) -> object:
        if isinstance(expression, str):
            return _render(expression, scope)
        if isinstance(expression, dict):  # rule sets are JSON values: records are dicts
            if "fn" in expression:
                return self.call(expression, scope)
            if "ref" in expression:
                return _lookup(scope, expression["ref"])
            return {key: self.value(item, scope) for key, item in expression.items()}
        if isinstance(expression, list):
            return [self.value(item, scope) for item in expression]
        return expression

    def call(self, node: Mapping[str, Any], scope: Mapping[str, object]) -> object:
        name = node.get("fn")
        entry = _LIBRARY.get(name) if isinstance(name, str) else None
        if entry is None:
            raise EndpointResolutionError(f"unknown function {name!r} in the endpoint rule set")
        kinds, function = entry
        args = [self.value(argument, scope) for argument in node.get("argv", [])]
        if len(args) != len(kinds):
            raise EndpointResolutionError(
                f"{name} takes {len(kinds)} argument(s), the rule set passes {len(args)}"
            )
        for position, (arg, kind) in enumerate(zip(args, kinds, strict=True), start=1):
            if not _is_kind(arg, kind):
                raise EndpointResolutionError(
                    f"{name}: argument {position} must be {_KIND_NAMES[kind]}, got {arg!r}"
                )
        if name == "aws.partition":  # the one function that reads the partition facts in force
            region = args[0]
            return aws_partition(region if isinstance(region, str) else None, self.partitions)
        return function(*args)


def _lookup(scope: Mapping[str, object], name: object) -> object:
    if not isinstance(name, str) or name not in scope:
        raise EndpointResolutionError(f"reference to undefined name {name!r}")
    return scope[name]


def _literal(value: object, scope: Mapping[str, object]) -> object:
    """An endpoint property: strings are templates, lists and records hold more literals."""
    if isinstance(value, str):
        return _render(value, scope)
    if isinstance(value, dict):
        return {key: _literal(item, scope) for key, item in value.items()}
    if isinstance(value, list):
        return [_literal(item, scope) for item in value]
    return value


def _render(template: str, scope: Mapping[str, object]) -> str:
    """A template string with `{Name}` and `{Name#path}` filled in; `{{` and `}}` are braces."""
    if "{" not in template and "}" not in template:
        return template
    out: list[str] = []
    for piece in _template_pieces(template):
        if isinstance(piece, str):
            out.append(piece)
            continue
        name, path = piece
        value = _lookup(scope, name)
        if path is not None:
            value = get_attr(value, path)
        if not isinstance(value, str):
            shown = name if path is None else f"{name}#{path}"
            raise EndpointResolutionError(
                f"template {template!r}: {shown} is {value!r}, not a string"
            )
        out.append(value)
    return "".join(out)


_templates: dict[str, _Pieces] = {}


def _template_pieces(template: str) -> _Pieces:
    known = _templates.get(template)
    if known is None:
        if len(_templates) >= _CACHE_SIZE:
            _templates.clear()
        known = _templates[template] = _parse_template(template)
    return known


def _parse_template(template: str) -> _Pieces:
    pieces: list[str | tuple[str, str | None]] = []
    literal: list[str] = []
    index = 0
    while index < len(template):
        char = template[index]
        if char in "{}" and template.startswith(char * 2, index):
            literal.append(char)
            index += 2
        elif char == "{":
            end = template.find("}", index)
            if end < 0:
                raise EndpointResolutionError(f"template {template!r}: unclosed '{{'")
            name, hash_sign, path = template[index + 1 : end].partition("#")
            if not name:
                raise EndpointResolutionError(f"template {template!r}: empty placeholder")
            if literal:
                pieces.append("".join(literal))
                literal = []
            pieces.append((name, path if hash_sign else None))
            index = end + 1
        elif char == "}":
            raise EndpointResolutionError(f"template {template!r}: unmatched '}}'")
        else:
            literal.append(char)
            index += 1
    if literal:
        pieces.append("".join(literal))
    return tuple(pieces)


# --- parameters an operation binds -----------------------------------------------------------

_EACH: Final = "[*]"
_KEYS: Final = "keys()"


class ParameterBinding(Record):
    """The endpoint parameters an operation sets itself, from its model's `smithy.rules` traits.

    `static` holds `@staticContextParams` values; `members` maps a parameter to the request
    attribute whose member has `@contextParam`; `paths` maps a parameter to an
    `@operationContextParams` path, compiled to request attribute names, `[*]` (every item of a
    list) and a final `keys()` (the keys of a map). Where one parameter has several sources, the
    first that gives a value wins, in that order, as in botocore.
    """

    __slots__ = ("static", "members", "paths")  # noqa: RUF023 (the constructor's order)
    _unhashed = __slots__
    static: dict[str, object]
    members: dict[str, str]
    paths: dict[str, tuple[str, ...]]

    def __init__(
        self,
        *,
        static: dict[str, object] | None = None,
        members: dict[str, str] | None = None,
        paths: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._fill(
            static={} if static is None else static,
            members={} if members is None else members,
            paths={} if paths is None else paths,
        )

    def parameters(self, request: object) -> dict[str, object]:
        """The parameters `request` gives values to; unset ones are left out."""
        found: dict[str, object] = {}
        for name, value in self.static.items():
            found[name] = value
        for name, attribute in self.members.items():
            if name not in found:
                value = _plain(getattr(request, attribute, None))
                if value is not None:
                    found[name] = value
        for name, path in self.paths.items():
            if name not in found:
                value = bound_value(request, path)
                if value is not None:
                    found[name] = value
        return found


def bound_value(request: object, path: Sequence[str]) -> object:
    """The value a compiled `@operationContextParams` path reads from `request`.

    As JMESPath reads botocore's parameter dict: a missing value anywhere gives unset, a `[*]`
    over something that is not a list gives unset, and a projection leaves out the items that
    give unset. `keys()` of an unset map is unset here; botocore raises a JMESPath type error.
    """
    value: object = request
    for index, step in enumerate(path):
        if value is None:
            return None
        if step == _EACH:
            if not isinstance(value, list | tuple):
                return None
            rest = path[index + 1 :]
            items = (bound_value(item, rest) for item in value)
            return [item for item in items if item is not None]
        if step == _KEYS:
            return [_plain(key) for key in value] if isinstance(value, dict) else None
        value = getattr(value, step, None)
    return _plain(value)


def _plain(value: object) -> object:
    """A model enum's value as the plain `str` botocore would be given."""
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)
    return value


class ClientEndpoints:
    """A client's endpoints: the rule set with the client's own parameters, resolved once, and
    again for the parameters an operation binds (a few hundred results are kept)."""

    __slots__ = ("_cache", "_client_params", "_default", "_rule_set")

    def __init__(self, rule_set: Mapping[str, Any], client_params: Mapping[str, object]) -> None:
        self._rule_set = rule_set
        self._client_params = dict(client_params)
        self._cache: dict[tuple[tuple[str, object], ...], Endpoint] = {}
        try:
            self._default: Endpoint | str = resolve_endpoint(rule_set, self._client_params)
        except _MissingParameter as error:
            # A parameter the rule set requires may be bound by every operation alone (Neptune
            # Graph's `ApiType`, by @staticContextParams): the client is made all the same, and
            # a call that binds none is refused with the reason.
            self._default = error.message

    @property
    def default(self) -> Endpoint:
        """The endpoint of an operation that binds no parameters."""
        if isinstance(self._default, str):
            raise EndpointResolutionError(self._default)
        return self._default

    @property
    def default_url(self) -> str | None:
        """The default endpoint's URL; None where only an operation's parameters give one."""
        return None if isinstance(self._default, str) else self._default.url

    def resolve(self, bound: Mapping[str, object]) -> Endpoint:
        """The endpoint for the client's parameters with `bound` (by parameter name) on top."""
        if not bound:
            return self.default
        key = tuple(
            (name, tuple(value) if isinstance(value, list) else value)
            for name, value in sorted(bound.items())
        )
        try:
            found = self._cache.get(key)
        except TypeError:  # a value no rule set parameter can take; resolving says so
            return resolve_endpoint(self._rule_set, {**self._client_params, **bound})
        if found is None:
            found = resolve_endpoint(self._rule_set, {**self._client_params, **bound})
            if len(self._cache) >= 256:
                self._cache.clear()
            self._cache[key] = found
        return found
