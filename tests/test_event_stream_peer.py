"""Input event streams against an independent implementation: smithy-python, AWS's Python SDK
runtime (`smithy-aws-event-stream` frames and decodes messages, `aws-sdk-signers`'
`AsyncEventSigner` signs them in the SigV4 chain).

botocore cannot serve as the reference here: it reads event streams but has no writer or signer
of them; awscrt's Python binding exposes neither (only its RPC client protocol, and SigV4 for
whole requests). smithy-python needs Python 3.12 or later, which the project does not require:
the test extras install it on 3.12 and later only, and these tests skip where it is absent.

- Each event our client writes decodes in smithy-python into the same headers and payload, and
  smithy-python encodes that message again into the same bytes.
- Given the same messages, the request's signature and the same `:date`s, our client's signed
  stream is byte for byte the one smithy-python's signer makes.
- A stream framed and signed by smithy-python, chained from a request signed by botocore, is
  accepted by our stub with SigV4 verification on, over HTTP, and its handler gets the events.
"""

from __future__ import annotations

import asyncio
import datetime
import http.client
import importlib
import json
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.cli import main
from tests.test_event_input_streams import SECRET, Recorder, _events, _model

events_module = pytest.importorskip(
    "smithy_aws_event_stream.events",
    reason="smithy-python (smithy-aws-event-stream, Python 3.12+) is not installed",
)
signers = pytest.importorskip(
    "aws_sdk_signers", reason="smithy-python's aws-sdk-signers (Python 3.12+) is not installed"
)

ACCESS_KEY = "AKID"
REGION = "us-east-1"
SERVICE = "events"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root: Path = tmp_path_factory.mktemp("event-peer")
    model = _model("restJson1")
    model["shapes"]["example.events#Events"]["traits"]["aws.api#service"]["sdkId"] = "Event Peer"
    (root / "model.json").write_text(json.dumps(model))
    (root / "shapesmith.toml").write_text('models = ["model.json"]\noutput = "out"\n')
    assert main(["generate", "-q", "--config", str(root / "shapesmith.toml")]) == 0
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("event_peer")
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == "event_peer"]:
            del sys.modules[name]
        sys.path.remove(str(root / "out"))


def _writer(package: ModuleType) -> Any:
    """The codec's writer of one PublishEvents message (`naming.event_writer_function`)."""
    return importlib.import_module("event_peer._restjson")._event_serialize_publish_events


def _decoded(data: bytes) -> list[Any]:
    """smithy-python's messages of a stream."""
    import io

    source = io.BytesIO(data)
    found = []
    while (event := events_module.Event.decode(source)) is not None:
        found.append(event.message)
    return found


def _frames(package: ModuleType) -> list[bytes]:
    """Our client's frame of each event of every kind, unsigned."""
    writer = _writer(package)
    return [writer(event).encode() for event in _events(package.shapes)]


def _smithy_signed(messages: list[Any], seed: str) -> tuple[bytes, list[datetime.datetime]]:
    """The stream smithy-python's signer makes of `messages`, chained from `seed` (hex), and
    the `:date` of each signed message."""
    signer = signers.AsyncEventSigner(
        initial_signature=seed.encode(), event_encoder_cls=events_module.EventHeaderEncoder
    )
    identity = signers.AWSCredentialIdentity(access_key_id=ACCESS_KEY, secret_access_key=SECRET)
    properties = {"region": REGION, "service": SERVICE}

    async def sign() -> list[Any]:
        signed = [
            await signer.sign(event=message, identity=identity, properties=properties)
            for message in messages
        ]
        last = events_module.EventMessage()
        signed.append(await signer.sign_empty(event=last, identity=identity, properties=properties))
        return signed

    signed = asyncio.run(sign())
    dates = [message.headers[":date"] for message in signed]
    return b"".join(message.encode() for message in signed), dates


def test_our_event_messages_decode_in_smithy_python_and_encode_back_the_same(
    package: ModuleType,
) -> None:
    eventstream = importlib.import_module("event_peer._eventstream")
    frames = _frames(package)
    theirs = _decoded(b"".join(frames))
    assert len(theirs) == len(frames)
    for frame, message in zip(frames, theirs, strict=True):
        ours = eventstream.decode_message(frame)
        assert message.payload == ours.payload
        assert set(message.headers) == set(ours.headers)
        assert message.headers[":event-type"] == ours.event_type
        assert message.encode() == frame


def test_our_signed_stream_is_the_one_smithy_pythons_signer_makes(package: ModuleType) -> None:
    event_wire = importlib.import_module("event_peer._event_wire")
    sigv4 = importlib.import_module("event_peer._sigv4")
    seed = "7" * 64
    smithy_stream, dates = _smithy_signed(_decoded(b"".join(_frames(package))), seed)
    day = dates[0].strftime("%Y%m%d")
    signing = sigv4.EventSigning(
        sigv4.signing_key(SECRET, day, REGION, SERVICE),
        f"{day}/{REGION}/{SERVICE}/aws4_request",
        seed,
    )
    body = event_wire.EventBody(_events(package.shapes), _writer(package))
    clock = iter(dates)
    body.sign_with(signing, lambda: next(clock))
    assert body.read() == smithy_stream


def test_our_stub_accepts_a_stream_smithy_python_framed_and_signed(package: ModuleType) -> None:
    """The request is signed by botocore (STREAMING-AWS4-HMAC-SHA256-EVENTS), its messages by
    smithy-python in a chain from that signature; the stub checks both and the handler reads
    every event."""
    from botocore.auth import SigV4Auth  # type: ignore[import-untyped]
    from botocore.awsrequest import AWSRequest  # type: ignore[import-untyped]
    from botocore.credentials import Credentials  # type: ignore[import-untyped]

    stub = importlib.import_module("event_peer.stub")
    handler = Recorder(package.shapes)
    with stub.StubServer(stub.create_app(handler, credentials=(ACCESS_KEY, SECRET))) as server:
        host = urllib.parse.urlsplit(server.url).netloc
        request = AWSRequest(
            method="POST",
            url=f"{server.url}/channels/news/events",
            headers={
                "Content-Type": "application/vnd.amazon.eventstream",
                "X-Amz-Content-SHA256": "STREAMING-AWS4-HMAC-SHA256-EVENTS",
                "Host": host,
            },
        )
        SigV4Auth(Credentials(ACCESS_KEY, SECRET), SERVICE, REGION).add_auth(request)
        seed = request.headers["Authorization"].rpartition("Signature=")[2]
        body, _ = _smithy_signed(_decoded(b"".join(_frames(package))), seed)
        connection = http.client.HTTPConnection(host, timeout=10)
        try:
            headers = {name: str(value) for name, value in request.headers.items()}
            connection.request("POST", "/channels/news/events", body=iter([body]), headers=headers)
            answer = connection.getresponse()
            status, text = answer.status, answer.read()
        finally:
            connection.close()
    assert status == 200, text
    assert json.loads(text) == {"Read": len(_events(package.shapes))}
    assert handler.received == _events(package.shapes)
    assert handler.channels == ["news"]
