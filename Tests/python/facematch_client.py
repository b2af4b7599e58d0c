#!/usr/bin/env python3
"""A minimal facematch client written from proto/facematch.proto and docs/wire-format.md alone.

Message code is generated at run time by `protoc --python_out` (Debian protobuf-compiler 3.21)
into a temporary directory; it needs the PyPI runtime `protobuf==4.21.12` (same release), which
run_python_client.sh provides.

  facematch_client.py --server HOST:PORT --api-key-file FILE compare SOURCE TARGET
  facematch_client.py --server HOST:PORT --api-key-file FILE enroll SUBJECT IMAGE
  facematch_client.py --server HOST:PORT --api-key-file FILE verify SUBJECT IMAGE
  facematch_client.py --server HOST:PORT --api-key-file FILE delete SUBJECT
  facematch_client.py --server HOST:PORT --api-key-file FILE health
  facematch_client.py --server HOST:PORT --api-key-file FILE compare-verify SOURCE TARGET [--subject S]
      (Compare, then Enroll TARGET as S, Verify SOURCE against S, Delete S; a JSON list)
  facematch_client.py ... --dump-frame FILE compare ...   (write the request frame, send nothing)
  facematch_client.py --tls-ca CA.pem [--tls-cert C.pem --tls-key C.key] ...   (TLS 1.3, mTLS)
  facematch_client.py ... --server-public-key HEX ...  (every signed answer must verify; see
      docs/wire-format.md "Signed answers"; Ed25519 from the `cryptography` package)

Prints JSON ({"method", "status", "status_code", "message", and "report" (MatchReport) or
"result"}); exits 0 when every call's status is OK, 1 otherwise. The key may also come from
FACEMATCH_API_KEY.
"""
import argparse, importlib, json, os, socket, ssl, struct, subprocess, sys, tempfile, time

PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto")
STATUS_NAMES = {0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED",
                5: "NOT_FOUND", 6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED",
                9: "FAILED_PRECONDITION", 10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED",
                13: "INTERNAL", 14: "UNAVAILABLE", 15: "DATA_LOSS", 16: "UNAUTHENTICATED"}


def load_messages(proto_dir=PROTO_DIR):
    """Runs protoc on facematch.proto and imports the generated facematch_pb2."""
    out = tempfile.mkdtemp(prefix="facematch-pb2-")
    subprocess.run(["protoc", f"--proto_path={proto_dir}", f"--python_out={out}",
                    os.path.join(proto_dir, "facematch.proto")], check=True)
    sys.path.insert(0, out)
    return importlib.import_module("facematch_pb2")


SIGNED_METHODS = {"Compare", "Verify", "Enroll", "Identify", "DeleteEnrollment"}
MAX_CLOCK_SKEW_MS = 300_000


class SignatureError(Exception):
    pass


def answer_statement(method: str, call_id: int, server_unix_ms: int, request_id: str, payload: bytes) -> bytes:
    """The bytes an answer's Ed25519 signature covers (docs/wire-format.md, "Signed answers")."""
    name, request = method.encode("ascii"), request_id.encode("utf-8")
    return (b"facematch-answer" + bytes([1]) + struct.pack(">I", len(name)) + name
            + struct.pack(">QQ", call_id, server_unix_ms) + struct.pack(">I", len(request)) + request
            + struct.pack(">I", len(payload)) + payload)


def key_id(public_key: bytes) -> str:
    import hashlib
    return hashlib.sha256(public_key).digest()[:8].hex()


def verify_answer(public_key: bytes, method: str, envelope, result, now_ms=None):
    """Raises SignatureError unless `envelope` (status OK, answering `method`) carries a valid
    Ed25519 signature by `public_key` over its statement, signed within MAX_CLOCK_SKEW_MS of now."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    if not envelope.signature:
        raise SignatureError(f"the {method} answer is not signed")
    if envelope.signing_key_id != key_id(public_key):
        raise SignatureError(f"signed by key {envelope.signing_key_id!r}, not the trusted {key_id(public_key)}")
    statement = answer_statement(method, envelope.call_id, envelope.server_unix_ms, result.info.request_id,
                                 envelope.payload)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(envelope.signature, statement)
    except InvalidSignature:
        raise SignatureError(f"the {method} answer's signature does not verify") from None
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    if abs(now_ms - envelope.server_unix_ms) > MAX_CLOCK_SKEW_MS:
        raise SignatureError(f"signed at {envelope.server_unix_ms} ms, {now_ms - envelope.server_unix_ms} ms from now")


def frame(body: bytes) -> bytes:
    """A frame: 4-byte big-endian length, then the body."""
    return struct.pack(">I", len(body)) + body


def read_exactly(sock, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError(f"connection closed after {len(data)} of {n} bytes")
        data += chunk
    return data


def tls_context(ca_file, cert_file=None, key_file=None):
    """TLS 1.3 only, trusting the CA that signed the server's certificate; with a client
    certificate for a server that requires one (mTLS). The server's name is checked."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_verify_locations(cafile=ca_file)
    if cert_file:
        context.load_cert_chain(cert_file, key_file)
    return context


class Client:
    def __init__(self, pb, host, port, api_key, timeout_ms=30000, tls=None, server_hostname=None, public_key=None):
        """tls: an ssl.SSLContext (see tls_context) or None for plaintext; server_hostname: the
        name the certificate must carry (default host); public_key: the server's Ed25519 key
        (32 bytes) every signed answer must verify against, or None."""
        self.pb, self.api_key, self.timeout_ms, self.next_id = pb, api_key, timeout_ms, 1
        self.public_key = public_key
        self.sock = socket.create_connection((host, port), timeout=timeout_ms / 1000 + 5) if host else None
        if self.sock and tls:
            self.sock = tls.wrap_socket(self.sock, server_hostname=server_hostname or host)

    def request_frame(self, method: str, request) -> (int, bytes):
        call_id, self.next_id = self.next_id, self.next_id + 1
        envelope = self.pb.RequestEnvelope(call_id=call_id, method=method, api_key=self.api_key,
                                           timeout_ms=self.timeout_ms, payload=request.SerializeToString())
        return call_id, frame(envelope.SerializeToString())

    def call(self, method: str, request, response_type):
        """Sends one call and waits for its answer; returns (status, message, response or None)."""
        call_id, data = self.request_frame(method, request)
        self.sock.sendall(data)
        while True:
            (length,) = struct.unpack(">I", read_exactly(self.sock, 4))
            envelope = self.pb.ResponseEnvelope.FromString(read_exactly(self.sock, length))
            if envelope.call_id == call_id:
                break
        result = response_type.FromString(envelope.payload) if envelope.status == 0 else None
        if result is not None and self.public_key is not None and method in SIGNED_METHODS:
            verify_answer(self.public_key, method, envelope, result)
        return envelope.status, envelope.message, result


def build_call(pb, command, args):
    """(method name, request message, response type) for a command line."""
    read = lambda path: open(path, "rb").read()
    if command == "compare":
        return "Compare", pb.CompareRequest(source_image=read(args[0]), target_image=read(args[1])), pb.MatchReport
    if command == "enroll":
        return "Enroll", pb.EnrollRequest(subject_id=args[0], image=read(args[1]),
                                          mode=pb.ENROLL_MODE_REPLACE), pb.EnrollResult
    if command == "verify":
        return "Verify", pb.VerifyRequest(subject_id=args[0], image=read(args[1])), pb.MatchReport
    if command == "delete":
        return "DeleteEnrollment", pb.DeleteEnrollmentRequest(subject_id=args[0]), pb.DeleteEnrollmentResult
    if command == "health":
        return "Health", pb.HealthRequest(), pb.HealthResult
    raise SystemExit(f"unknown command {command!r}")


def run_call(client, pb, command, args):
    from google.protobuf import json_format
    method, request, response_type = build_call(pb, command, args)
    status, message, result = client.call(method, request, response_type)
    output = {"method": method, "status": STATUS_NAMES.get(status, str(status)), "status_code": status,
              "message": message, "signature_verified": client.public_key is not None and result is not None
              and method in SIGNED_METHODS}
    if result is not None:
        key = "report" if response_type is pb.MatchReport else "result"
        output[key] = json_format.MessageToDict(result, preserving_proto_field_name=True)
    return output


def main(argv=None):
    parser = argparse.ArgumentParser(description="facematch Python client")
    parser.add_argument("--server", default="127.0.0.1:7470")
    parser.add_argument("--api-key-file")
    parser.add_argument("--api-key", default=os.environ.get("FACEMATCH_API_KEY", ""))
    parser.add_argument("--timeout-ms", type=int, default=30000)
    parser.add_argument("--subject", default=f"python-client-{os.getpid()}")
    parser.add_argument("--dump-frame", help="write the request frame to this file instead of calling")
    parser.add_argument("--tls-ca", help="CA certificate (PEM) of the server's certificate: connect over TLS 1.3")
    parser.add_argument("--tls-cert", help="client certificate (PEM) for mTLS, with --tls-key")
    parser.add_argument("--tls-key", help="private key (PEM) of --tls-cert")
    parser.add_argument("--tls-server-name", help="name the server's certificate must carry (default: the host)")
    parser.add_argument("--server-public-key", help="the server's Ed25519 public key, 64 hex digits")
    parser.add_argument("command", choices=["compare", "enroll", "verify", "delete", "health", "compare-verify"])
    parser.add_argument("args", nargs="*")
    options = parser.parse_args(argv)
    key = open(options.api_key_file).read().strip() if options.api_key_file else options.api_key
    pb = load_messages()
    if options.dump_frame:
        method, request, _ = build_call(pb, options.command, options.args)
        _, data = Client(pb, None, None, key, options.timeout_ms).request_frame(method, request)
        open(options.dump_frame, "wb").write(data)
        return 0
    host, _, port = options.server.rpartition(":")
    public_key = bytes.fromhex(options.server_public_key) if options.server_public_key else None
    try:
        tls = tls_context(options.tls_ca, options.tls_cert, options.tls_key) if options.tls_ca else None
        client = Client(pb, host, int(port), key, options.timeout_ms, tls, options.tls_server_name, public_key)
    except (OSError, ValueError) as error:
        print(json.dumps({"error": f"cannot connect to {options.server}: {error}"}), file=sys.stderr)
        return 2
    try:
        return run_command(client, pb, options)
    except SignatureError as error:
        print(json.dumps({"error": f"answer not trusted: {error}"}), file=sys.stderr)
        return 3


def run_command(client, pb, options):
    if options.command == "compare-verify":
        source, target = options.args
        steps = [("compare", [source, target]), ("enroll", [options.subject, target]),
                 ("verify", [options.subject, source]), ("delete", [options.subject])]
        outputs = [run_call(client, pb, command, args) for command, args in steps]
        print(json.dumps(outputs, indent=2, sort_keys=True))
        return 0 if all(o["status_code"] == 0 for o in outputs) else 1
    output = run_call(client, pb, options.command, options.args)
    print(json.dumps(output, indent=2, sort_keys=True))
    return 0 if output["status_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
