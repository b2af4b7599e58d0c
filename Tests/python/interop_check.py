#!/usr/bin/env python3
"""Checks the Python client against the Swift encoder, both ways.

1. The worked example in docs/wire-format.md (hex produced by the Swift encoder and verified by
   WireFormatExampleTests) must decode here to the documented fields.
2. The frames this client builds must equal the committed fixtures in Tests/python/fixtures,
   which PythonInteropTests decodes with the Swift decoder. --write-fixtures rewrites them.
3. The signed answer in docs/wire-format.md (signed by the Swift signer; SignedAnswerExampleTests
   recomputes it) verifies here with the `cryptography` package, and stops verifying when a
   payload byte, the call id, the method or the server time changes.
4. With --tls-example HOST:PORT CERTS (an mTLS server, FACEMATCH_API_KEY set): runs the TLS
   example of docs/wire-format.md as written, then one call through this client over TLS with
   the client certificate CERTS/client.pem (scripts/tls-loopback.sh).
"""
import os, re, struct, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import facematch_client as fc

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIXTURES = os.path.join(REPO, "Tests", "python", "fixtures")
SOURCE, TARGET = b"\xff\xd8\xff source image", b"\x89PNG target image"


def body_of(frame: bytes) -> bytes:
    (length,) = struct.unpack(">I", frame[:4])
    assert length == len(frame) - 4, f"prefix says {length}, {len(frame) - 4} bytes follow"
    return frame[4:]


def check_documented_example(pb):
    doc = open(os.path.join(REPO, "docs", "wire-format.md")).read()
    hexes = dict(re.findall(r"^(request frame|response frame|error frame): ([0-9a-f ]+)$", doc, re.M))
    request = pb.RequestEnvelope.FromString(body_of(bytes.fromhex(hexes["request frame"])))
    assert (request.call_id, request.method, request.api_key, request.timeout_ms) == (1, "Health", "dev-key", 5000), request
    response = pb.ResponseEnvelope.FromString(body_of(bytes.fromhex(hexes["response frame"])))
    health = pb.HealthResult.FromString(response.payload)
    assert (response.call_id, response.status, health.serving, health.model_id, health.subjects, health.templates,
            health.store_bytes) == (1, 0, True, "dlib-resnet-v1", 2, 3, 4096), (response, health)
    error = pb.ResponseEnvelope.FromString(body_of(bytes.fromhex(hexes["error frame"])))
    assert (error.call_id, error.status, error.message, error.payload) == (2, 16, "unknown API key", b""), error


def check_signed_example(pb):
    doc = open(os.path.join(REPO, "docs", "wire-format.md")).read()
    lines = dict(re.findall(r"^(public key|key id|signed statement|signed response frame): ([0-9a-f ]+)$", doc, re.M))
    public_key = bytes.fromhex(lines["public key"])
    assert fc.key_id(public_key) == lines["key id"], (fc.key_id(public_key), lines["key id"])
    envelope = pb.ResponseEnvelope.FromString(body_of(bytes.fromhex(lines["signed response frame"])))
    report = pb.MatchReport.FromString(envelope.payload)
    statement = fc.answer_statement("Verify", envelope.call_id, envelope.server_unix_ms, report.info.request_id,
                                    envelope.payload)
    assert statement == bytes.fromhex(lines["signed statement"]), statement.hex()
    fc.verify_answer(public_key, "Verify", envelope, report, now_ms=envelope.server_unix_ms)

    def refused(change, method="Verify", now_ms=envelope.server_unix_ms):
        altered = pb.ResponseEnvelope()
        altered.CopyFrom(envelope)
        change(altered)
        try:
            fc.verify_answer(public_key, method, altered, pb.MatchReport.FromString(altered.payload), now_ms=now_ms)
        except fc.SignatureError as error:
            return str(error)
        raise AssertionError(f"an altered answer verified: {altered}")

    flipped = bytearray(envelope.payload)
    flipped[3] ^= 0x01  # inside the score
    refused(lambda e: setattr(e, "payload", bytes(flipped)))
    refused(lambda e: setattr(e, "call_id", 8))
    refused(lambda e: setattr(e, "server_unix_ms", envelope.server_unix_ms - 60_000))
    refused(lambda e: None, method="Compare")
    refused(lambda e: setattr(e, "signature", b""))
    assert "ms from now" in refused(lambda e: None, now_ms=envelope.server_unix_ms + fc.MAX_CLOCK_SKEW_MS + 1)


def python_frames(pb):
    client = fc.Client(pb, None, None, "py-key", 30000)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, data in (("source", SOURCE), ("target", TARGET)):
            paths.append(os.path.join(tmp, name))
            open(paths[-1], "wb").write(data)
        frames = {}
        for name, command, args in (("python-compare.frame", "compare", paths),
                                    ("python-verify.frame", "verify", ["subject-é", paths[0]])):
            method, request, _ = fc.build_call(pb, command, args)
            frames[name] = client.request_frame(method, request)[1]
    report = pb.MatchReport(
        status=pb.MATCH_STATUS_IN_REVIEW, score=61.5, distance=0.52, distance_present=True,
        warnings=[pb.Warning(risk="LOW_FACE_MATCH_SIMILARITY", log_type=pb.LOG_TYPE_WARNING,
                             short_description="Low similarity", long_description="Between the thresholds.")],
        source_face=pb.Face(left=1, top=2, right=3, bottom=4, confidence=0.5,
                            landmarks=[pb.Point(x=i, y=i + 0.5) for i in range(5)]),
        vendor_data=b"\x01\x02", info=pb.CallInfo(request_id="r-9", model_id="m", server_time_ms=12.25))
    envelope = pb.ResponseEnvelope(call_id=9, status=0, payload=report.SerializeToString())
    frames["python-report-response.frame"] = fc.frame(envelope.SerializeToString())
    return frames


def run_documented_tls_example(pb, server, certs):
    doc = open(os.path.join(REPO, "docs", "wire-format.md")).read()
    block = re.search(r"<!-- tls-example: begin -->\n```python\n(.*?)```\n<!-- tls-example: end -->", doc, re.S)
    assert block, "docs/wire-format.md has no tls-example block"
    host, _, port = server.rpartition(":")
    os.environ.update(FACEMATCH_HOST=host, FACEMATCH_PORT=port, CERTS=certs)
    sys.modules["facematch_pb2"] = pb
    exec(compile(block.group(1), "docs/wire-format.md (tls-example)", "exec"), {"__name__": "tls_example"})
    tls = fc.tls_context(os.path.join(certs, "ca.pem"), os.path.join(certs, "client.pem"), os.path.join(certs, "client.key"))
    client = fc.Client(pb, host, int(port), os.environ["FACEMATCH_API_KEY"], 5000, tls)
    output = fc.run_call(client, pb, "health", [])
    assert output["status"] == "OK" and client.sock.version() == "TLSv1.3", output
    print("interop: the documented TLS example and facematch_client.py called over mTLS (TLS 1.3)")


def main():
    pb = fc.load_messages()
    if "--tls-example" in sys.argv:
        at = sys.argv.index("--tls-example")
        run_documented_tls_example(pb, sys.argv[at + 1], sys.argv[at + 2])
    check_documented_example(pb)
    check_signed_example(pb)
    frames = python_frames(pb)
    if "--write-fixtures" in sys.argv:
        os.makedirs(FIXTURES, exist_ok=True)
        for name, data in frames.items():
            open(os.path.join(FIXTURES, name), "wb").write(data)
        print(f"wrote {len(frames)} fixtures to {FIXTURES}")
        return 0
    for name, data in frames.items():
        committed = open(os.path.join(FIXTURES, name), "rb").read()
        assert committed == data, f"{name}: Python now encodes {data.hex()} but the fixture holds {committed.hex()}"
    print(f"interop: documented example decodes; documented signed answer verifies (and 6 alterations do not); "
          f"{len(frames)} Python frames match the Swift-checked fixtures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
