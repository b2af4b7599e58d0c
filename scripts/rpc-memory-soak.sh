#!/usr/bin/env bash
# Memory after large frames: a release `facematch serve` on loopback, 8 clients sending Compare
# frames of about 10 MB (two JPEGs of about 4.9 MB with a face) for MINUTES, honouring
# retry_after_ms; then the clients stop and, once idle, the server's resident memory must be at
# most 220 MiB (docs/service.md, "Memory"). Prints RSS at start, peak and idle.
# Usage: scripts/rpc-memory-soak.sh [MINUTES]   (default 10; FACEMATCH_BIN skips the build)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
minutes="${1:-10}"
. "$repo/scripts/lib/facematch-bin.sh"
facematch_bin release

work="$(mktemp -d)"
port=$(free_port)
"$bin" serve --data-dir "$work/data" --port "$port" --metrics-port 0 --models "$repo/models" 2>"$work/server.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
  [ -f "$work/data/dev-api-key" ] && FACEMATCH_API_KEY="$(cat "$work/data/dev-api-key")" \
    "$bin" health --server "127.0.0.1:$port" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
rss() { awk -v f="$1" '$1 == f":" {print int($2 / 1024)}' "/proc/$server/status"; }
echo "RSS at start: $(rss VmRSS) MiB"

python3 - "$port" "$(cat "$work/data/dev-api-key")" "$repo/Tests/Fixtures/faces/obama.jpg" "$minutes" <<'PY'
import io, random, socket, struct, sys, threading, time
from PIL import Image

port, key, face, minutes = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3], float(sys.argv[4])
# A large JPEG with a face: the fixture upscaled, with noise so that it compresses poorly.
img = Image.open(face).convert("RGB").resize((3000, 2400))
noise = Image.effect_noise((3000, 2400), 40).convert("RGB")
img = Image.blend(img, noise, 0.25)
buf = io.BytesIO(); img.save(buf, "JPEG", quality=97)
jpeg = buf.getvalue()[:4_900_000]
print(f"image {len(jpeg)} bytes")

def varint(n):
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n: return bytes(out)
def field(num, data): return varint(num << 3 | 2) + varint(len(data)) + data
payload = field(1, jpeg) + field(2, jpeg)

def read_exactly(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk: raise EOFError
        data += chunk
    return data

stop = time.time() + minutes * 60
counts = {"ok": 0, "refused": 0, "other": 0}
lock = threading.Lock()
def client():
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(120)
    call = 0
    while time.time() < stop:
        call += 1
        body = varint(1 << 3) + varint(call) + field(2, b"Compare") + field(3, key) + field(5, payload)
        s.sendall(struct.pack(">I", len(body)) + body)
        (n,) = struct.unpack(">I", read_exactly(s, 4))
        reply, i, status, retry = read_exactly(s, n), 0, 0, 0
        while i < len(reply):
            k = reply[i]; i += 1
            if k & 7 == 0:
                v, shift = 0, 0
                while True:
                    b = reply[i]; i += 1; v |= (b & 0x7F) << shift; shift += 7
                    if not b & 0x80: break
                if k >> 3 == 2: status = v
                if k >> 3 == 5: retry = v
            else:
                ln, shift = 0, 0
                while True:
                    b = reply[i]; i += 1; ln |= (b & 0x7F) << shift; shift += 7
                    if not b & 0x80: break
                i += ln
        with lock:
            counts["ok" if status == 0 else "refused" if status == 8 else "other"] += 1
        if status == 8:
            time.sleep(retry / 1000 * random.uniform(0.8, 1.2))
    s.close()
threads = [threading.Thread(target=client) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(f"calls: {counts}")
PY
peak=$(rss VmHWM)
# Idle: no client left; give the server a few seconds to finish and free the last buffers.
sleep 5
idle=$(rss VmRSS)
echo "RSS: peak $peak MiB, idle after $minutes min of 10 MB frames: $idle MiB (limit 220)"
[ "$idle" -le 220 ] || { echo "FAIL: resident memory stays at $idle MiB"; exit 1; }
echo "ok"
