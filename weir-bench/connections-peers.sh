#!/usr/bin/env bash
# Many concurrent keep-alive connections, Weir beside nginx, on loopback. From the repository root:
#
#   weir-bench/connections-peers.sh [CONNECTIONS] [DURATION_S]
#
# Defaults: 10000 connections, 10 s. For each server in turn (nginx, one worker; then Weir as
# weir-bench/candidate.sh serves it, with the harness's JVM flags), pinned to CPU 0:
#   1. warm-up: 5 s of /hello with 64 connections (wrk pinned to CPU 1), then the resident memory;
#   2. CONNECTIONS idle keep-alive connections (a Python client, on CPU 1), each after one
#      /hello request answered, held open while the resident memory is read again: the growth
#      divided by CONNECTIONS is the memory per idle connection;
#   3. those closed, wrk -t1 -cCONNECTIONS on /hello for DURATION_S (requests/s, p50, p99,
#      errors), then the resident memory after the run.
# Needs nginx, wrk, python3 and `ulimit -n` above CONNECTIONS + 100 (the script raises its soft limit
# to the hard one). Prints one line per server and measure; compare servers within one run only.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
conns=${1:-10000}
dur=${2:-10}
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -le $((conns + 100)) ]; then
  echo "connections-peers.sh: ulimit -n is $(ulimit -n); $conns connections need more" >&2
  exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/weir-conns.XXXXXX")
chmod 755 "$work"
export BENCH_ROOT=$work/www
mkdir -p "$BENCH_ROOT"
head -c 1024 /dev/urandom > "$BENCH_ROOT/1k.bin"
server_pid=

cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The resident memory of a server and its child processes, KiB.
rss_kib() {
  ps -o rss= --ppid "$1" -p "$1" | awk '{s += $1} END {print s}'
}

# Opens N keep-alive connections to 127.0.0.1:PORT, sends GET PATH on each, reads every response
# whole (Content-Length), prints "ready OPEN", then holds them until its standard input closes.
cat > "$work/hold.py" <<'PY'
import selectors, socket, sys, time
port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
request = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode()
sel = selectors.DefaultSelector()
socks, pending = [], {}

def read_ready(timeout):
    for key, _ in sel.select(timeout=timeout):
        s = key.fileobj
        data = s.recv(65536)
        if not data:
            sys.exit("a connection closed before its response")
        buf = pending[s] + data
        head, sep, body = buf.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if sep and len(body) >= length:
            if not head.startswith(b"HTTP/1.1 200"):
                sys.exit("unexpected response: %r" % head[:80])
            sel.unregister(s)
            del pending[s]
        else:
            pending[s] = buf

for i in range(n):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(request)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    socks.append(s)
    pending[s] = b""
    if i % 100 == 99:
        read_ready(0)
deadline = time.monotonic() + 120
while pending and time.monotonic() < deadline:
    read_ready(1)
if pending:
    sys.exit("%d responses missing" % len(pending))
print("ready", len(socks), flush=True)
sys.stdin.read()
for s in socks:
    s.close()
PY

measure() { # name port pid
  local name=$1 port=$2 pid=$3
  taskset -c 1 wrk -t1 -c64 -d5s "http://127.0.0.1:$port/hello" > /dev/null 2>&1
  sleep 1
  local before after held
  before=$(rss_kib "$pid")
  coproc HOLD { taskset -c 1 python3 "$work/hold.py" "$port" /hello "$conns"; }
  local line
  if ! read -r -t 300 line <&"${HOLD[0]}" || [ "${line%% *}" != ready ]; then
    echo "$name: could not hold $conns connections (${line:-no answer})" >&2
    return 1
  fi
  sleep 2
  held=$(rss_kib "$pid")
  exec {HOLD[1]}>&-
  wait "$HOLD_PID" 2>/dev/null || true
  printf '%-6s idle     connections=%s rss_before_kib=%s rss_held_kib=%s per_connection_kib=%s\n' \
    "$name" "$conns" "$before" "$held" "$(awk -v a="$before" -v b="$held" -v n="$conns" 'BEGIN {printf "%.2f", (b - a) / n}')"
  sleep 2
  local out
  out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${dur}s" --latency "http://127.0.0.1:$port/hello" 2>&1)
  printf '%-6s load     connections=%s req/s=%s p50=%s p99=%s %s\n' "$name" "$conns" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")" "$(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out")"
  after=$(rss_kib "$pid")
  printf '%-6s rss      after_run_mib=%s\n' "$name" "$((after / 1024))"
}

wait_port() {
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$1/hello" && return 0
    kill -0 "$server_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

echo "# $(date -u +%FT%TZ) connections=$conns duration=${dur}s server=cpu0 client=cpu1"

# nginx: one worker, as the side-by-side harness configures it, with room for the connections.
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<NG
worker_processes 1;
worker_rlimit_nofile $((conns * 2 + 100));
daemon off;
error_log $work/nginx/logs/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections $((conns * 2 + 100)); }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:18081 backlog=4096;
    location = /hello { default_type text/plain; return 200 "Hello, World!"; }
  }
}
NG
taskset -c 0 nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" > "$work/nginx.log" 2>&1 &
server_pid=$!
wait_port 18081 || { echo "nginx did not start" >&2; cat "$work/nginx.log" >&2; exit 1; }
measure nginx 18081 "$server_pid"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=

"$repo/weir-bench/candidate.sh" --build
export CANDIDATE_PORT=18090
taskset -c 0 "$repo/weir-bench/candidate.sh" > "$work/weir.log" 2>&1 &
server_pid=$!
wait_port 18090 || { echo "Weir did not start" >&2; tail -20 "$work/weir.log" >&2; exit 1; }
measure weir 18090 "$server_pid"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
