#!/usr/bin/env bash
# Weir's reverse proxy beside nginx's proxy_pass, in one run, in front of the same backend (an
# nginx instance answering /hello with 13 bytes and serving a 64 KiB file). From the repository
# root:
#
#   ROUNDS=3 weir-bench/proxy-peers.sh [SECONDS] [CONNECTIONS]
#
# Each round loads each proxy in turn with wrk (one thread) for each test; both proxies keep
# their backend connections alive (nginx: upstream keepalive 64; Weir: its connection pool)
# and neither writes an access log. Prints requests/s per round and the ratio Weir / nginx.
# Everything runs on loopback; every process started here is stopped on exit.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
seconds=${1:-8}
connections=${2:-64}
rounds=${ROUNDS:-3}
backend_port=${BACKEND_PORT:-18180}
nginx_port=${NGINX_PROXY_PORT:-18181}
weir_port=${WEIR_PROXY_PORT:-18182}

work=$(mktemp -d "${TMPDIR:-/tmp}/weir-proxy-bench.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/backend/nginx.pid" ] && kill "$(cat "$work/backend/nginx.pid")" 2>/dev/null || true
  [ -f "$work/proxy/nginx.pid" ] && kill "$(cat "$work/proxy/nginx.pid")" 2>/dev/null || true
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/backend/www" "$work/proxy" "$work/weir"
head -c 65536 /dev/urandom > "$work/backend/www/64k.bin"
chmod -R a+rX "$work"   # nginx workers run as an unprivileged user

nginx_common() {
  cat <<NG
worker_processes 1;
error_log $1/error.log warn;
pid $1/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $1/body; proxy_temp_path $1/proxy; fastcgi_temp_path $1/fcgi;
  uwsgi_temp_path $1/uwsgi; scgi_temp_path $1/scgi;
  keepalive_requests 1000000;
NG
}

{ nginx_common "$work/backend"; cat <<NG
  server {
    listen 127.0.0.1:$backend_port;
    root $work/backend/www;
    location = /hello { default_type text/plain; return 200 "Hello, world!"; }
    location / { default_type application/octet-stream; }
  }
}
NG
} > "$work/backend/nginx.conf"

{ nginx_common "$work/proxy"; cat <<NG
  upstream backend { server 127.0.0.1:$backend_port; keepalive 64; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
NG
} > "$work/proxy/nginx.conf"

for role in backend proxy; do
  nginx -c "$work/$role/nginx.conf" -p "$work/$role" 2>"$work/$role/start.err" \
    || { echo "proxy-peers.sh: the $role nginx did not start (a port in use? BACKEND_PORT, NGINX_PROXY_PORT and WEIR_PROXY_PORT move them):" >&2; cat "$work/$role/start.err" >&2; exit 1; }
done

# Weir: the embedded default configuration with the binding moved, the access log off, the proxy
# enabled and a handler mapping that proxies every URL to the backend (the direct configuration).
default_config="$repo/weir-config/src/main/resources/io/weir/config/applicationHost.config"
sed -e 's#bindingInformation="\*:8080:"#bindingInformation="127.0.0.1:'"$weir_port"':"#' \
    -e 's#<httpLogging dontLog="false"#<httpLogging dontLog="true"#' \
    -e 's#<proxy enabled="false" />#<proxy enabled="true" />#' \
    -e 's#^\( *\)<add name="StaticFile" path="\*"#\1<add name="Backend" path="*" verb="*" modules="ApplicationRequestRouting" scriptProcessor="http://127.0.0.1:'"$backend_port"'" resourceType="Unspecified" requireAccess="None" />\n&#' \
    "$default_config" > "$work/weir/applicationHost.config"
grep -q 'scriptProcessor="http://127.0.0.1:'"$backend_port" "$work/weir/applicationHost.config" \
  || { echo "proxy-peers.sh: the default configuration changed shape" >&2; exit 1; }
mkdir -p "$work/weir/root"
WEIR_JAVA_OPTS=${WEIR_JAVA_OPTS:-"-Xms256m -Xmx256m -XX:+UseParallelGC"} \
  "$repo/weir" serve --config "$work/weir/applicationHost.config" --var "WEIR_SITE_ROOT=$work/weir/root" \
  > "$work/weir/out.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$weir_port/hello" && break
  sleep 0.5
done
for port in "$nginx_port" "$weir_port"; do
  body=$(curl -fs "http://127.0.0.1:$port/hello") || { echo "proxy on $port does not answer" >&2; cat "$work/weir/out.log" >&2; exit 1; }
  [ "$body" = "Hello, world!" ] || { echo "proxy on $port answered '$body'" >&2; exit 1; }
  size=$(curl -s "http://127.0.0.1:$port/64k.bin" | wc -c)
  [ "$size" = 65536 ] || { echo "proxy on $port sent $size bytes of 64k.bin" >&2; exit 1; }
done

rate() { # url
  wrk -t1 -c"$connections" -d"${seconds}s" "$1" 2>/dev/null | awk '/Requests\/sec/ {printf "%d", $2}'
}

echo "# proxy benchmark: $rounds rounds, ${seconds}s per test, $connections connections, $(nproc) cores (shared machine: compare within a row)"
printf '%-6s %-6s %12s %12s %8s\n' round test nginx weir ratio
for round in $(seq 1 "$rounds"); do
  for test in hello 64k; do
    path=/hello; [ "$test" = 64k ] && path=/64k.bin
    wrk -t1 -c"$connections" -d3s "http://127.0.0.1:$nginx_port$path" >/dev/null 2>&1
    n=$(rate "http://127.0.0.1:$nginx_port$path")
    wrk -t1 -c"$connections" -d3s "http://127.0.0.1:$weir_port$path" >/dev/null 2>&1
    w=$(rate "http://127.0.0.1:$weir_port$path")
    printf '%-6s %-6s %12s %12s %8s\n' "$round" "$test" "$n" "$w" "$(awk -v w="$w" -v n="$n" 'BEGIN { printf "%.2f", (n > 0 ? w / n : 0) }')"
  done
done
