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
# shellcheck source=bench-lib.sh
. "$repo/weir-bench/bench-lib.sh"
trap bench_cleanup EXIT

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

check() { # url: answered gzip-encoded, decoding to the file
  local headers; headers=$(curl -s -D - -o "$work/check.gz" -H 'Accept-Encoding: gzip' "$1")
  grep -qi '^content-encoding: gzip' <<<"$headers" || { echo "$1 was not gzip-encoded" >&2; exit 1; }
  gzip -dc "$work/check.gz" | cmp -s - "$www/static/64k.txt" || { echo "$1 did not decode to the file" >&2; exit 1; }
}
gzip=(-H 'Accept-Encoding: gzip')

echo "# $(date -u +%FT%TZ) dur=${dur}s conns=$conns rounds=$rounds server=cpu0 wrk=cpu1 (shared machine: read ratios)"
for round in $(seq 1 "$rounds"); do
  bench_start nginx "http://127.0.0.1:$nginx_port/static/64k.txt" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
  check "http://127.0.0.1:$nginx_port/static/64k.txt"; check "http://127.0.0.1:$nginx_port/otf/64k.txt"
  bench_warm "http://127.0.0.1:$nginx_port/static/64k.txt" 3s "${gzip[@]}"
  echo "nginx gzip_static $(bench_load "http://127.0.0.1:$nginx_port/static/64k.txt" "${gzip[@]}")"
  echo "nginx gzip_on $(bench_load "http://127.0.0.1:$nginx_port/otf/64k.txt" "${gzip[@]}")"
  bench_stop nginx
  WEIR_DATA_HOME="$work/data" WEIR_JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC" \
    bench_start weir "http://127.0.0.1:$weir_port/static/64k.txt" "$repo/weir" serve --root "$www" --port "$weir_port"
  bench_warm "http://127.0.0.1:$weir_port/static/64k.txt" 8s "${gzip[@]}"   # JIT warm-up; the compressed copy is made meanwhile
  check "http://127.0.0.1:$weir_port/static/64k.txt"; check "http://127.0.0.1:$weir_port/dyn/64k.txt"
  bench_warm "http://127.0.0.1:$weir_port/dyn/64k.txt" 4s "${gzip[@]}"
  if [ $((round % 2)) -eq 1 ]; then
    echo "weir static $(bench_load "http://127.0.0.1:$weir_port/static/64k.txt" "${gzip[@]}")"
    echo "weir dynamic $(bench_load "http://127.0.0.1:$weir_port/dyn/64k.txt" "${gzip[@]}")"
  else
    echo "weir dynamic $(bench_load "http://127.0.0.1:$weir_port/dyn/64k.txt" "${gzip[@]}")"
    echo "weir static $(bench_load "http://127.0.0.1:$weir_port/static/64k.txt" "${gzip[@]}")"
  fi
  bench_stop weir
done | tee "$work/all.txt"
medians=$(bench_medians "$work/all.txt")
echo "$medians"
bench_ratio "$medians" "weir static" "nginx gzip_static" "weir static/nginx gzip_static"
bench_ratio "$medians" "weir static" "nginx gzip_on" "weir static/nginx gzip_on"
bench_ratio "$medians" "weir dynamic" "nginx gzip_on" "weir dynamic/nginx gzip_on"
