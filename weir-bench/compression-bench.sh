#!/usr/bin/env bash
# Compression under load, Weir beside nginx in the same run: a 64 KiB text file asked for with
# "Accept-Encoding: gzip",
#   static   Weir's static compression (the compressed copy from its cache folder) against nginx
#            gzip_static (a .gz made beforehand) and against nginx "gzip on" (compressed per request);
#   dynamic  Weir's dynamic compression of the same file (static compression off for that folder,
#            so every response is compressed as it is sent, gzip at IIS's dynamic level 0) against
#            nginx "gzip on" (gzip_comp_level 1).
# From the repository root:
#
#   weir-bench/compression-bench.sh [DURATION_S] [CONNECTIONS]      (ROUNDS=N, default 3)
#
# Each server runs alone pinned to CPU 0, wrk pinned to CPU 1 with one thread, 64 connections,
# keep-alive, over 127.0.0.1; servers alternate, round after round, and the script ends with the
# median requests/s of each and the ratios. Both servers write an access log (nginx buffered, as
# Weir's writer is). Weir's dynamic compression is told not to stop above 90 % CPU (IIS's default
# would stop it under a saturating load). Needs wrk and nginx.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
dur=${1:-8}; conns=${2:-64}; rounds=${ROUNDS:-3}
weir_port=18097; nginx_port=18098
work=$(mktemp -d "${TMPDIR:-/tmp}/weir-compression-bench.XXXXXX"); chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

www=$work/www
mkdir -p "$www/static" "$www/dyn" "$www/otf" "$work/nginx/logs" "$work/data"
seq 1 3000 | sed 's/.*/.rule-& { margin: 0; padding: &px }/' > "$www/static/64k.txt"
truncate -s 65536 "$www/static/64k.txt"
cp "$www/static/64k.txt" "$www/dyn/64k.txt"; cp "$www/static/64k.txt" "$www/otf/64k.txt"
gzip -k -6 "$www/static/64k.txt"    # nginx gzip_static serves this; Weir ignores it (no weirServePrecompressed)
cat > "$www/web.config" <<'XML'
<configuration><system.webServer>
  <httpCompression dynamicCompressionDisableCpuUsage="100" />
</system.webServer></configuration>
XML
cat > "$www/dyn/web.config" <<'XML'
<configuration><system.webServer>
  <urlCompression doStaticCompression="false" doDynamicCompression="true" />
</system.webServer></configuration>
XML
cat > "$work/nginx/nginx.conf" <<NG
worker_processes 1;
daemon off;
error_log $work/nginx/logs/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log $work/nginx/logs/access.log combined buffer=64k flush=1s;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  default_type text/plain;
  server {
    listen 127.0.0.1:$nginx_port;
    root $www;
    location /static/ { gzip_static on; }
    location /otf/ { gzip on; gzip_types text/plain; gzip_min_length 0; gzip_comp_level 1; }
  }
}
NG

"$repo/weir" --help > /dev/null   # builds the launcher's distribution when stale (untimed)

start() { # name port path cmd...
  local name=$1 port=$2 path=$3; shift 3
  taskset -c 0 "$@" > "$work/$name.log" 2>&1 &
  pids+=($!); echo $! > "$work/$name.pid"
  for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$port$path" && return 0; sleep 0.1; done
  echo "$name did not start:" >&2; tail -5 "$work/$name.log" >&2; return 1
}
stop() { local pid; pid=$(cat "$work/$1.pid"); kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
load() { # url -> req/s, and non-2xx if any
  local out; out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${dur}s" -H 'Accept-Encoding: gzip' "$1" 2>&1)
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out")"
}
check() { # url: answered gzip-encoded, decoding to the file
  local headers; headers=$(curl -s -D - -o "$work/check.gz" -H 'Accept-Encoding: gzip' "$1")
  grep -qi '^content-encoding: gzip' <<<"$headers" || { echo "$1 was not gzip-encoded" >&2; exit 1; }
  gzip -dc "$work/check.gz" | cmp -s - "$www/static/64k.txt" || { echo "$1 did not decode to the file" >&2; exit 1; }
}
warm() { taskset -c 1 wrk -t1 -c"$conns" -d"$2" -H 'Accept-Encoding: gzip' "$1" > /dev/null 2>&1; }

echo "# $(date -u +%FT%TZ) dur=${dur}s conns=$conns rounds=$rounds server=cpu0 wrk=cpu1 (shared machine: read ratios)"
for round in $(seq 1 "$rounds"); do
  start nginx "$nginx_port" /static/64k.txt nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
  check "http://127.0.0.1:$nginx_port/static/64k.txt"; check "http://127.0.0.1:$nginx_port/otf/64k.txt"
  warm "http://127.0.0.1:$nginx_port/static/64k.txt" 3s
  echo "nginx gzip_static $(load "http://127.0.0.1:$nginx_port/static/64k.txt")"
  echo "nginx gzip_on $(load "http://127.0.0.1:$nginx_port/otf/64k.txt")"
  stop nginx
  WEIR_DATA_HOME="$work/data" WEIR_JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC" \
    start weir "$weir_port" /static/64k.txt "$repo/weir" serve --root "$www" --port "$weir_port"
  warm "http://127.0.0.1:$weir_port/static/64k.txt" 8s   # JIT warm-up; the compressed copy is made meanwhile
  check "http://127.0.0.1:$weir_port/static/64k.txt"; check "http://127.0.0.1:$weir_port/dyn/64k.txt"
  warm "http://127.0.0.1:$weir_port/dyn/64k.txt" 4s
  if [ $((round % 2)) -eq 1 ]; then
    echo "weir static $(load "http://127.0.0.1:$weir_port/static/64k.txt")"
    echo "weir dynamic $(load "http://127.0.0.1:$weir_port/dyn/64k.txt")"
  else
    echo "weir dynamic $(load "http://127.0.0.1:$weir_port/dyn/64k.txt")"
    echo "weir static $(load "http://127.0.0.1:$weir_port/static/64k.txt")"
  fi
  stop weir
done | tee "$work/all.txt"
awk '{v[$1" "$2] = v[$1" "$2] " " $3}
     END {for (k in v) {n = split(v[k], a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) {t = a[i]; a[i] = a[j]; a[j] = t}
                        m[k] = (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2); printf "median %s %s\n", k, m[k]}
          if (m["nginx gzip_static"] > 0) printf "ratio weir static/nginx gzip_static %.2f\n", m["weir static"] / m["nginx gzip_static"]
          if (m["nginx gzip_on"] > 0) printf "ratio weir static/nginx gzip_on %.2f\n", m["weir static"] / m["nginx gzip_on"]
          if (m["nginx gzip_on"] > 0) printf "ratio weir dynamic/nginx gzip_on %.2f\n", m["weir dynamic"] / m["nginx gzip_on"]}' "$work/all.txt"
