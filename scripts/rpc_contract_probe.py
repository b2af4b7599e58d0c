#!/usr/bin/env python3
"""Contract checks against a running `facematch serve`, over raw sockets, with a hand-written
protobuf encoder (no dependency): what docs/service.md and docs/wire-format.md promise about
sequential clients, lost answers, envelope strings, deadlines, large frames and log flooding.

  rpc_contract_probe.py PORT KEY IMAGE LOGFILE CHECK...

CHECK is any of: sequential, lost-answers, envelope-strings, deadlines, large-frames, log-flood.
Prints "ok: ..." per check (and measured figures); exits 1 at the first failure.
"""
import os, socket, struct, sys, threading, time

port, key, image_path, log_path = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3], sys.argv[4]
checks = sys.argv[5:]
image = open(image_path, "rb").read()

OK, INVALID_ARGUMENT, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED = 0, 3, 4, 8


def varint(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def field_bytes(number, data):
    return varint(number << 3 | 2) + varint(len(data)) + data


def envelope(call_id, method, payload=b"", timeout_ms=0, api_key=None):
    body = field_varint(1, call_id) + field_bytes(2, method) + field_bytes(3, key if api_key is None else api_key)
    if timeout_ms:
        body += field_varint(4, timeout_ms)
    return frame(body + field_bytes(5, payload))


def frame(body):
    return struct.pack(">I", len(body)) + body


def verify(call_id, subject=b"probe-subject", timeout_ms=0, picture=None):
    payload = field_bytes(1, subject) + field_bytes(2, image if picture is None else picture)
    return envelope(call_id, b"Verify", payload, timeout_ms)


def enroll(call_id, subject):
    return envelope(call_id, b"Enroll", field_bytes(1, subject) + field_bytes(2, image))


def health(call_id):
    return envelope(call_id, b"Health")


def connect():
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.settimeout(60)
    return s


def read_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError(f"closed after {len(data)} of {n} bytes")
        data += chunk
    return data


def read_reply(s):
    """(call_id, status, message) of the next response frame."""
    (length,) = struct.unpack(">I", read_exactly(s, 4))
    body, i, fields = read_exactly(s, length), 0, {}
    while i < len(body):
        key_byte, i = decode_varint(body, i)
        number, wire = key_byte >> 3, key_byte & 7
        if wire == 0:
            fields[number], i = decode_varint(body, i)
        elif wire == 2:
            n, i = decode_varint(body, i)
            fields[number], i = body[i:i + n], i + n
        else:
            raise ValueError(f"unexpected wire type {wire}")
    return fields.get(1, 0), fields.get(2, 0), fields.get(3, b"").decode("utf-8", "replace")


def decode_varint(data, i):
    value, shift = 0, 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def closed_by_server(s):
    try:
        return s.recv(1) == b""
    except (ConnectionResetError, socket.timeout):
        return True


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def check_sequential():
    # One connection, each call sent as soon as the previous answer arrived: never refused.
    s = connect()
    statuses = []
    for call_id in range(1, 101):
        s.sendall(verify(call_id))
        statuses.append(read_reply(s)[1])
    refused = sum(1 for status in statuses if status == RESOURCE_EXHAUSTED)
    if refused or any(status != OK for status in statuses):
        fail(f"sequential client: {refused} of 100 refused, statuses {sorted(set(statuses))}")
    s.close()
    print("ok: 100 sequential Verify calls on one connection, none refused")


def check_lost_answers():
    # Enroll, Health, then a frame that is no envelope: every call read is answered, then close.
    s = connect()
    s.sendall(enroll(1, b"lost-answers") + health(2) + frame(b"\x08\x03\x2a\x7f\x01"))
    replies = {}
    for _ in range(3):
        call_id, status, _ = read_reply(s)
        replies[call_id] = status
    if replies != {1: OK, 2: OK, 3: INVALID_ARGUMENT}:
        fail(f"malformed frame after calls in flight: {replies}")
    if not closed_by_server(s):
        fail("connection not closed after the protocol error")
    # Half-close with calls in flight: all answered, then closed. (One engine call: a second one
    # pipelined behind it could be refused by the latency budget, which is an answer too.)
    s = connect()
    s.sendall(verify(1, b"lost-answers") + health(2) + health(3))
    s.shutdown(socket.SHUT_WR)
    replies = {}
    for _ in range(3):
        call_id, status, _ = read_reply(s)
        replies[call_id] = status
    if replies != {1: OK, 2: OK, 3: OK}:
        fail(f"half-close with calls in flight: {replies}")
    if not closed_by_server(s):
        fail("connection not closed after half-close")
    print("ok: protocol error and half-close: every call in flight answered, then closed")


def check_envelope_strings():
    s = connect()
    bad_method = frame(field_varint(1, 1) + field_bytes(2, b"Hea\x00lth") + field_bytes(3, key))
    bad_key = frame(field_varint(1, 2) + field_bytes(2, b"Health") + field_bytes(3, b"\xc3\x28"))
    s.sendall(bad_method + bad_key + health(3))
    replies = [read_reply(s) for _ in range(3)]
    if [(r[0], r[1]) for r in replies] != [(1, INVALID_ARGUMENT), (2, INVALID_ARGUMENT), (3, OK)]:
        fail(f"NUL / invalid UTF-8 in the envelope: {replies}")
    s.close()
    print("ok: NUL and invalid UTF-8 in method and api_key answered INVALID_ARGUMENT, connection kept")


def check_deadlines():
    s = connect()
    started = time.monotonic()
    s.sendall(verify(1, timeout_ms=1))
    call_id, status, message = read_reply(s)
    elapsed = (time.monotonic() - started) * 1000
    if status != DEADLINE_EXCEEDED:
        fail(f"1 ms deadline answered status {status}: {message}")
    if elapsed > 500:
        fail(f"1 ms deadline answered after {elapsed:.0f} ms")
    s.close()
    print(f"ok: a 1 ms deadline is answered DEADLINE_EXCEEDED after {elapsed:.1f} ms")


def check_large_frames():
    # With the workers saturated, every Compare is refused RESOURCE_EXHAUSTED before its payload is
    # decoded. A prober measures small-frame refusals (last byte to answer) while another client
    # streams 10 MB frames, and alone, in the same run: if the event loop worked per byte of the
    # large frames, the prober's refusals sharing that loop would wait behind them.
    stop = threading.Event()

    def load():
        s = connect()
        call_id = 0
        while not stop.is_set():
            call_id += 1
            s.sendall(verify(call_id))
            read_reply(s)
        s.close()

    big = image + os.urandom(4_999_000 - len(image))
    large_frame = envelope(1, b"Compare", field_bytes(1, big) + field_bytes(2, big))
    large_times = []

    def stream_large(until):
        s = connect()
        while not until.is_set():
            s.sendall(large_frame[:-1])
            started = time.monotonic()
            s.sendall(large_frame[-1:])
            _, status, _ = read_reply(s)
            if status == RESOURCE_EXHAUSTED:
                large_times.append((time.monotonic() - started) * 1000)
        s.close()

    def probe(count):
        # Several connections, so that some share an event loop with the large frames.
        sockets = [connect() for _ in range(4)]
        times = []
        for call_id in range(1, count + 1):
            s = sockets[call_id % len(sockets)]
            data = envelope(call_id, b"Compare", field_bytes(1, image[:100]) + field_bytes(2, image[:100]))
            s.sendall(data[:-1])
            started = time.monotonic()
            s.sendall(data[-1:])
            _, status, _ = read_reply(s)
            if status == RESOURCE_EXHAUSTED:
                times.append((time.monotonic() - started) * 1000)
            time.sleep(0.005)
        for s in sockets:
            s.close()
        return times

    loaders = [threading.Thread(target=load) for _ in range(3)]
    for t in loaders:
        t.start()
    alone = probe(100)
    streaming = threading.Event()
    streamer = threading.Thread(target=stream_large, args=(streaming,))
    streamer.start()
    beside_large = probe(100)
    # The large frames' own refusals need enough samples too; how many fit in the probe above
    # depends on the machine (5 to 45 seen), so stream on until there are 20 (at most 30 s).
    deadline = time.monotonic() + 30
    while len(large_times) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    streaming.set()
    streamer.join()
    stop.set()
    for t in loaders:
        t.join()
    if min(len(alone), len(beside_large), len(large_times)) < 10:
        fail(f"too few refusals under load: {len(alone)}, {len(beside_large)}, {len(large_times)}")
    a50, a99 = percentile(alone, 50), percentile(alone, 99)
    b50, b99 = percentile(beside_large, 50), percentile(beside_large, 99)
    print(f"ok: small-frame refusals under load, last byte to answer: alone p50 {a50:.2f} ms, p99 {a99:.2f} ms; "
          f"while another client streams 10 MB frames p50 {b50:.2f} ms, p99 {b99:.2f} ms; the 10 MB frames' own "
          f"refusals (last byte sent to answer, including the server reading the buffered megabytes) "
          f"p50 {percentile(large_times, 50):.1f} ms, {len(large_times)} frames")
    if b50 > a50 + float(os.environ.get("LARGE_FRAME_SLACK_MS", "5")):
        fail("refusals wait behind the 10 MB frames: the event loop still works per byte")


def check_log_flood():
    before = open(log_path, "rb").read().count(b"protocol error")
    for _ in range(300):
        s = connect()
        s.sendall(b"\x00\x00\x00\x03\xff\xff\xff")
        closed_by_server(s)
        s.close()
    # The server writes the log before closing the connection, so the lines are there now.
    lines = open(log_path, "rb").read().count(b"protocol error") - before
    if lines > 6:
        fail(f"300 protocol errors from one peer wrote {lines} log lines")
    print(f"ok: 300 protocol errors from one peer wrote {lines} log lines")


for check in checks:
    globals()["check_" + check.replace("-", "_")]()
