#!/usr/bin/env python3
"""A facematch client written from proto/facematch.proto and docs/wire-format.md alone.

Usage: facematch_client.py HOST:PORT KEY compare SOURCE TARGET
       facematch_client.py HOST:PORT KEY verify SUBJECT IMAGE
Prints the result as one JSON object. Needs the protoc-generated module facematch_pb2 on
sys.path (run_python_client.sh generates it).
"""
import json
import socket
import struct
import sys

import facematch_pb2 as pb
from google.protobuf.json_format import MessageToDict


def recv_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("server closed the connection")
        data += chunk
    return data


def call(sock, call_id, method, key, request, timeout_ms=30000):
    env = pb.RequestEnvelope(call_id=call_id, method=method, api_key=key,
                             timeout_ms=timeout_ms, payload=request.SerializeToString())
    body = env.SerializeToString()
    sock.sendall(struct.pack(">I", len(body)) + body)
    (n,) = struct.unpack(">I", recv_exactly(sock, 4))
    response = pb.ResponseEnvelope.FromString(recv_exactly(sock, n))
    if response.call_id != call_id:
        raise RuntimeError(f"answer for call {response.call_id}, expected {call_id}")
    return response


def main(argv):
    address, key, command, *args = argv[1:]
    host, port = address.rsplit(":", 1)
    read = lambda path: open(path, "rb").read()
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        if command == "compare":
            request = pb.CompareRequest(source_image=read(args[0]), target_image=read(args[1]))
            response = call(sock, 1, "Compare", key, request)
        elif command == "verify":
            request = pb.VerifyRequest(subject_id=args[0], image=read(args[1]))
            response = call(sock, 1, "Verify", key, request)
        else:
            raise SystemExit(f"unknown command {command}")
    out = {"status_code": response.status, "message": response.message}
    if response.status == 0:
        report = pb.MatchReport.FromString(response.payload)
        out["report"] = MessageToDict(report, preserving_proto_field_name=True)
    print(json.dumps(out))
    return 0 if response.status == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
