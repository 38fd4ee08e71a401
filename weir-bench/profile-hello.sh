#!/usr/bin/env bash
# Profiles Weir's hello test with Java Flight Recorder, as the side-by-side harness runs it: the
# candidate configuration (weir-bench/candidate.sh, the harness's JVM flags), the server pinned to
# CPU 0, wrk pinned to CPU 1 with one thread. From the repository root:
#
#   weir-bench/profile-hello.sh [DURATION_S] [CONNECTIONS] [PATH]
#
# Defaults: 10 s of recorded load after 5 s of warm-up, 64 connections, /hello. The recording
# (JFR's "profile" settings) starts after the warm-up and stops with the load. Prints wrk's figures,
# then the recording's hottest methods (CPU samples, top frame) and its allocation by site and by
# class (JDK 21+ `jfr view`), and leaves the recording in $PROFILE_OUT (default a temporary folder,
# printed). CANDIDATE_LOGGING=off profiles the server with its access log off; SERVER_CPUS and
# CLIENT_CPUS (default 0 and 1, as the harness pins them) choose the CPUs for taskset.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
dur=${1:-10}
conns=${2:-64}
url_path=${3:-/hello}
port=${CANDIDATE_PORT:-18095}

# shellcheck source=../.mvn/find-jdk.sh
. "$repo/.mvn/find-jdk.sh"
weir_find_jdk || exit 1
jfr_tool="$JAVA_HOME/bin/jfr"

out=${PROFILE_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/weir-profile.XXXXXX")}
mkdir -p "$out/www"
head -c 1024 /dev/urandom > "$out/www/1k.bin"
head -c 65536 /dev/urandom > "$out/www/64k.bin"
recording="$out/hello.jfr"

"$repo/weir-bench/candidate.sh" --build
export CANDIDATE_PORT=$port BENCH_ROOT="$out/www"
export WEIR_JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC"
server_cpus=${SERVER_CPUS:-0}
client_cpus=${CLIENT_CPUS:-1}
taskset -c "$server_cpus" "$repo/weir-bench/candidate.sh" > "$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  kill -0 "$server" 2>/dev/null || { echo "the server stopped; log:" >&2; tail -20 "$out/server.log" >&2; exit 1; }
  sleep 0.1
done
taskset -c "$client_cpus" wrk -t1 -c"$conns" -d5s "http://127.0.0.1:$port$url_path" > /dev/null
"$JAVA_HOME/bin/jcmd" "$server" JFR.start name=hello settings=profile > /dev/null
taskset -c "$client_cpus" wrk -t1 -c"$conns" -d"${dur}s" --latency "http://127.0.0.1:$port$url_path"
"$JAVA_HOME/bin/jcmd" "$server" JFR.stop name=hello filename="$recording" > /dev/null
kill "$server"
wait "$server" 2>/dev/null || true
trap - EXIT
echo "recording: $recording"
"$jfr_tool" view --width 160 hot-methods "$recording"
"$jfr_tool" view --width 160 allocation-by-site "$recording"
"$jfr_tool" view --width 160 allocation-by-class "$recording"
