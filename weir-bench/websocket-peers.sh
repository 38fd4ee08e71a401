#!/usr/bin/env bash
# WebSocket echo round trips per second, in one run: a Netty WebSocket echo server reached
# directly, through nginx's proxy_pass (HTTP/1.1 with the Upgrade headers passed on), and through
# Weir's reverse proxy (the direct configuration: a handler mapping to ApplicationRequestRouting).
# From the repository root:
#
#   ROUNDS=3 weir-bench/websocket-peers.sh [SECONDS] [CONNECTIONS] [BYTES]
#
# The load client (io.weir.bench.WebSocketEcho load, Netty's WebSocket codec on one event loop, as
# wrk -t1) opens CONNECTIONS WebSockets (default 64); each sends a BYTES-byte text message (default
# 32), waits for its echo and sends the next; after a warm-up it counts echoes for SECONDS (default
# 8). Weir runs from this checkout's target/classes (built here with compile), with the embedded
# default configuration, the access log off and the proxy on. Prints round trips per second per
# round and the ratios Weir / direct and Weir / nginx. Everything runs on loopback; every process
# started here is stopped on exit.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
seconds=${1:-8}
connections=${2:-64}
bytes=${3:-32}
rounds=${ROUNDS:-3}
echo_port=${ECHO_PORT:-18190}
nginx_port=${NGINX_PROXY_PORT:-18191}
weir_port=${WEIR_PROXY_PORT:-18192}

# shellcheck source=../.mvn/find-jdk.sh
. "$repo/.mvn/find-jdk.sh"
weir_find_jdk || exit 1

work=$(mktemp -d "${TMPDIR:-/tmp}/weir-ws-bench.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/proxy/nginx.pid" ] && kill "$(cat "$work/proxy/nginx.pid")" 2>/dev/null || true
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$repo" && ./mvnw -q -B -pl weir-bench -am compile dependency:build-classpath \
  -Dmdep.outputFile="$work/cp" -Dspotless.check.skip=true </dev/null) >&2
cp="$repo/weir-bench/target/classes:$(cat "$work/cp")"
java_cmd=("$JAVA_HOME/bin/java" -Xms256m -Xmx256m -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED -cp "$cp")

mkdir -p "$work/proxy" "$work/weir/root"
chmod -R a+rX "$work"   # nginx workers run as an unprivileged user
cat > "$work/proxy/nginx.conf" <<NG
worker_processes 1;
error_log $work/proxy/error.log warn;
pid $work/proxy/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/proxy/body; proxy_temp_path $work/proxy/proxy;
  fastcgi_temp_path $work/proxy/fcgi; uwsgi_temp_path $work/proxy/uwsgi; scgi_temp_path $work/proxy/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://127.0.0.1:$echo_port;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_read_timeout 600s;
    }
  }
}
NG

default_config="$repo/weir-config/src/main/resources/io/weir/config/applicationHost.config"
sed -e 's#bindingInformation="\*:8080:"#bindingInformation="127.0.0.1:'"$weir_port"':"#' \
    -e 's#<httpLogging dontLog="false"#<httpLogging dontLog="true"#' \
    -e 's#<proxy enabled="false" />#<proxy enabled="true" />#' \
    -e 's#^\( *\)<add name="StaticFile" path="\*"#\1<add name="Backend" path="*" verb="*" modules="ApplicationRequestRouting" scriptProcessor="http://127.0.0.1:'"$echo_port"'" resourceType="Unspecified" requireAccess="None" />\n&#' \
    "$default_config" > "$work/weir/applicationHost.config"
grep -q 'scriptProcessor="http://127.0.0.1:'"$echo_port" "$work/weir/applicationHost.config" \
  || { echo "websocket-peers.sh: the default configuration changed shape" >&2; exit 1; }

"${java_cmd[@]}" io.weir.bench.WebSocketEcho serve "$echo_port" > "$work/echo.log" 2>&1 &
pids+=($!)
"${java_cmd[@]}" io.weir.bench.WebSocketEcho weir "$work/weir/applicationHost.config" "$work/weir/root" \
  > "$work/weir/out.log" 2>&1 &
pids+=($!)
nginx -c "$work/proxy/nginx.conf" -p "$work/proxy" 2>"$work/proxy/start.err" \
  || { echo "websocket-peers.sh: nginx did not start (a port in use? ECHO_PORT, NGINX_PROXY_PORT and WEIR_PROXY_PORT move them):" >&2; cat "$work/proxy/start.err" >&2; exit 1; }

load() { # url
  "${java_cmd[@]}" io.weir.bench.WebSocketEcho load "$1" "$seconds" "$connections" "$bytes" \
    | awk '/^round-trips/ {print $2}'
}

for _ in $(seq 1 120); do
  grep -q '^listening' "$work/echo.log" 2>/dev/null && grep -q '^listening' "$work/weir/out.log" 2>/dev/null && break
  sleep 0.5
done
grep -q '^listening' "$work/weir/out.log" || { echo "Weir did not start:" >&2; tail -20 "$work/weir/out.log" >&2; exit 1; }

direct="ws://127.0.0.1:$echo_port/ws/echo"
via_nginx="ws://127.0.0.1:$nginx_port/ws/echo"
via_weir="ws://127.0.0.1:$weir_port/ws/echo"
echo "# WebSocket echo benchmark: $rounds rounds, ${seconds}s per test, $connections connections, $bytes-byte messages, $(nproc) cores (shared machine: compare within a row)"
printf '%-6s %12s %12s %12s %10s %10s\n' round direct nginx weir weir/direct weir/nginx
for round in $(seq 1 "$rounds"); do
  d=$(load "$direct")
  n=$(load "$via_nginx")
  w=$(load "$via_weir")
  printf '%-6s %12s %12s %12s %10s %10s\n' "$round" "$d" "$n" "$w" \
    "$(awk -v w="$w" -v d="$d" 'BEGIN { printf "%.2f", (d > 0 ? w / d : 0) }')" \
    "$(awk -v w="$w" -v n="$n" 'BEGIN { printf "%.2f", (n > 0 ? w / n : 0) }')"
done
