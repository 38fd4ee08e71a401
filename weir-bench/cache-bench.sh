#!/usr/bin/env bash
# The kernel-style cache under load, Weir beside nginx in the same run: a 1 KiB and a 64 KiB
# static file, asked for again and again (no Accept-Encoding), which Weir answers from its
# kernel-style cache (the transport, before the pipeline) once they are frequently hit, and nginx
# from its static file path (sendfile, open_file_cache). From the repository root:
#
#   weir-bench/cache-bench.sh [DURATION_S] [CONNECTIONS]      (ROUNDS=N, default 3)
#
# Each server runs alone pinned to CPU 0, wrk pinned to CPU 1 with one thread, 64 connections,
# keep-alive, over 127.0.0.1; servers alternate, round after round, and the script ends with the
# median requests/s of each and the ratios. Both servers write an access log (nginx buffered, as
# Weir's writer is). After each Weir load the script checks, through the admin endpoint's /status,
# that the kernel-style cache answered it. Needs wrk and nginx. On a shared machine read the ratios,
# not the absolute figures.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
dur=${1:-8}; conns=${2:-64}; rounds=${ROUNDS:-3}
weir_port=18095; nginx_port=18096; admin_port=18094
work=$(mktemp -d "${TMPDIR:-/tmp}/weir-cache-bench.XXXXXX"); chmod 755 "$work"
# shellcheck source=bench-lib.sh
. "$repo/weir-bench/bench-lib.sh"
trap bench_cleanup EXIT

www=$work/www
mkdir -p "$www" "$work/nginx/logs" "$work/data"
# text files (base64 of random bytes), cut to size from a whole encoding (a pipe into head would
# end base64 with SIGPIPE, which pipefail makes fatal)
head -c 65536 /dev/urandom | base64 -w 76 > "$work/text"
head -c 1024 "$work/text" > "$www/1k.txt"
head -c 65536 "$work/text" > "$www/64k.txt"
cat > "$work/nginx/nginx.conf" <<NG
worker_processes 1;
daemon off;
error_log $work/nginx/logs/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log $work/nginx/logs/access.log combined buffer=64k flush=1s;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  open_file_cache max=1000 inactive=60s; open_file_cache_valid 60s;
  default_type text/plain;
  server { listen 127.0.0.1:$nginx_port; root $www; }
}
NG

"$repo/weir" --help > /dev/null   # builds the launcher's distribution when stale (untimed)

check() { # url file: the body is the file's
  curl -fs "$1" | cmp -s - "$2" || { echo "$1 did not answer $2" >&2; exit 1; }
}
kernel_hits() {
  curl -fs -H "Authorization: Bearer $(cat "$work/admin.token")" "http://127.0.0.1:$admin_port/status" \
    | sed -n 's/.*"kernelCacheHits": \([0-9]*\).*/\1/p'
}

echo "# $(date -u +%FT%TZ) dur=${dur}s conns=$conns rounds=$rounds server=cpu0 wrk=cpu1 (shared machine: read ratios)"
for round in $(seq 1 "$rounds"); do
  bench_start nginx "http://127.0.0.1:$nginx_port/1k.txt" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
  check "http://127.0.0.1:$nginx_port/1k.txt" "$www/1k.txt"; check "http://127.0.0.1:$nginx_port/64k.txt" "$www/64k.txt"
  bench_warm "http://127.0.0.1:$nginx_port/1k.txt" 3s
  echo "nginx 1k $(bench_load "http://127.0.0.1:$nginx_port/1k.txt")"
  echo "nginx 64k $(bench_load "http://127.0.0.1:$nginx_port/64k.txt")"
  bench_stop nginx
  WEIR_DATA_HOME="$work/data" WEIR_JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC \
-Dweir.admin.port=$admin_port -Dweir.admin.tokenFile=$work/admin.token" \
    bench_start weir "http://127.0.0.1:$weir_port/1k.txt" "$repo/weir" serve --root "$www" --port "$weir_port"
  bench_warm "http://127.0.0.1:$weir_port/1k.txt" 8s   # JIT warm-up; the file becomes a kernel-style cache entry
  bench_warm "http://127.0.0.1:$weir_port/64k.txt" 4s
  check "http://127.0.0.1:$weir_port/1k.txt" "$www/1k.txt"; check "http://127.0.0.1:$weir_port/64k.txt" "$www/64k.txt"
  for size in $( [ $((round % 2)) -eq 1 ] && echo "1k 64k" || echo "64k 1k" ); do
    before=$(kernel_hits)
    result=$(bench_load "http://127.0.0.1:$weir_port/$size.txt")
    after=$(kernel_hits)
    [ "$after" -gt "$before" ] || { echo "weir $size was not answered from the kernel-style cache" >&2; exit 1; }
    echo "weir $size $result"
  done
  bench_stop weir
done | tee "$work/all.txt"
medians=$(bench_medians "$work/all.txt")
echo "$medians"
bench_ratio "$medians" "weir 1k" "nginx 1k" "weir/nginx 1k"
bench_ratio "$medians" "weir 64k" "nginx 64k" "weir/nginx 64k"
