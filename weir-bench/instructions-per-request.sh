#!/usr/bin/env bash
# Instructions the server executes per request, through the real Netty transport, counted by
# valgrind's callgrind (load-independent, unlike a request rate: the machine may be busy). From the
# repository root:
#
#   weir-bench/instructions-per-request.sh [REQUESTS] [WARMUP_REQUESTS]
#
# Serves the micro-benchmarks' configuration (io.weir.bench.TransportPerRequest --serve: Weir's
# embedded default, access log on, Hello World under /hello, a 1 KiB file at /1k.bin) in a JVM
# under callgrind with instrumentation off; warms it up with WARMUP_REQUESTS (default 30,000) of
# each path from a keep-alive client in another process, then for each path switches
# instrumentation on, sends REQUESTS (default 2,000) and divides the instructions of the server's
# threads (event loop, access-log writer, GC, ...; the JIT compiler's threads are printed apart)
# by them. The JVM runs many times slower under valgrind: a run takes 10-30 minutes, most of it the
# warm-up. Prints one line per path: instructions per request, and the folder of callgrind's files
# (callgrind_annotate reads them; compiled Java code shows as addresses).
# CALLGRIND_JAVA_OPTS replaces the JVM options that keep HotSpot's compiled code from relying on
# faults valgrind does not deliver as HotSpot expects (implicit null checks; on-stack replacement).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
requests=${1:-2000}
warmup=${2:-30000}

# shellcheck source=../.mvn/find-jdk.sh
. "$repo/.mvn/find-jdk.sh"
weir_find_jdk || exit 1
# as the launcher (./weir) runs the server: Netty may use sun.misc.Unsafe
unsafe_opt=""
[ "$(weir_java_major "$JAVA_HOME/bin/java")" -ge 23 ] && unsafe_opt=--sun-misc-unsafe-memory-access=allow

out=$(mktemp -d "${TMPDIR:-/tmp}/weir-callgrind.XXXXXX")
cp_file="$out/bench.cp"
(cd "$repo" && ./mvnw -q -B -pl weir-bench dependency:build-classpath -Dmdep.outputFile="$cp_file" </dev/null) >&2
# Weir's own modules from this checkout's target/classes, not from the local Maven repository
# (which holds whatever checkout installed last)
sed -i -E "s#[^:]*/io/weir/(weir-[a-z-]+)/[^/]+/[^/:]*\.jar#$repo/\1/target/classes#g" "$cp_file"

mkfifo "$out/stdin"
valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes --callgrind-out-file="$out/callgrind.%p" \
  "$JAVA_HOME/bin/java" -Xms256m -Xmx256m -XX:+UseParallelGC ${unsafe_opt} ${CALLGRIND_JAVA_OPTS--XX:+UnlockDiagnosticVMOptions -XX:-ImplicitNullChecks -XX:-UseOnStackReplacement} \
  -cp "$repo/weir-bench/target/classes:$(cat "$cp_file")" io.weir.bench.TransportPerRequest --serve \
  < "$out/stdin" > "$out/server.out" 2> "$out/server.err" &
server=$!
exec 3> "$out/stdin"
trap 'exec 3>&-; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 1200); do
  grep -q '^port ' "$out/server.out" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "the server stopped; log:" >&2; tail -20 "$out/server.err" >&2; exit 1; }
  sleep 0.5
done
port=$(sed -n 's/^port //p' "$out/server.out")

# N keep-alive requests on one connection, each response read to its end before the next
client() {
  python3 - "$port" "$1" "$2" <<'PY'
import socket, sys
port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
req = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
buf = b""
for _ in range(n):
    s.sendall(req)
    while b"\r\n\r\n" not in buf:
        buf += s.recv(65536)
    head, _, buf = buf.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 2"):
        sys.exit("not a 2xx response: " + head.decode())
    length = next(int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:"))
    while len(buf) < length:
        buf += s.recv(65536)
    buf = buf[length:]
s.close()
PY
}

for path in /hello /1k.bin; do
  client "$path" "$warmup"
done
for path in /hello /1k.bin; do
  callgrind_control -i on "$server" > /dev/null 2>&1
  callgrind_control --zero "$server" > /dev/null 2>&1
  client "$path" "$requests"
  callgrind_control --dump="$path" "$server" > /dev/null 2>&1
  callgrind_control -i off "$server" > /dev/null 2>&1
  # one file per thread of this dump. The event loops are the threads in Netty's epoll_wait; HotSpot's
  # JIT compiler threads (C1/C2 code, no epoll) are counted apart: when they compile during the
  # measured requests is the JIT's schedule, not the request's cost; GC threads and the rest count.
  dump=$(ls -t "$out"/callgrind.*.*-* | head -1)
  dump=${dump%-*}
  loops=0 others=0 jit=0
  for file in "$dump"-*; do
    n=$(sed -n 's/^summary: //p; s/^totals: //p' "$file" | head -1)
    n=${n:-0}
    if grep -q 'netty_epoll_native_epollWait' "$file"; then
      loops=$((loops + n))
    elif grep -Eq 'C2Compiler::compile_method|Compiler::compile_method|PhaseIdealLoop::|PhaseChaitin::|LinearScan::|Compilation::compile' "$file"; then
      jit=$((jit + n))
    else
      others=$((others + n))
    fi
  done
  echo "$path $(((loops + others) / requests)) instructions/request, of which the event loops $((loops / requests))" \
    "($requests requests; JIT compiler threads $((jit / requests)) more per request; $dump-*)"
done
