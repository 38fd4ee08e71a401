#!/usr/bin/env bash
# URL Rewrite under load: a 1 KiB static file reached through ten inbound rules that do not match
# and one that rewrites, Weir beside nginx with the equivalent rewrite rules, in the same run.
# From the repository root:
#
#   weir-bench/rewrite-bench.sh [DURATION_S] [CONNECTIONS]      (ROUNDS=N, default 3)
#
# Each server runs alone pinned to CPU 0, wrk pinned to CPU 1 with one thread, 64 connections,
# keep-alive, over 127.0.0.1; servers alternate, round after round, and the script ends with the
# median requests/s of each and the ratio. Both servers write an access log (nginx buffered, as
# Weir's writer is), so the comparison is like for like. Needs wrk and nginx.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
dur=${1:-8}; conns=${2:-64}; rounds=${ROUNDS:-3}
weir_port=18095; nginx_port=18096
work=$(mktemp -d "${TMPDIR:-/tmp}/weir-rewrite-bench.XXXXXX"); chmod 755 "$work"
# shellcheck source=bench-lib.sh
. "$repo/weir-bench/bench-lib.sh"
trap bench_cleanup EXIT

www=$work/www
mkdir -p "$www/files" "$work/nginx/logs" "$work/weir-logs"
head -c 1024 /dev/urandom > "$www/files/1k.bin"

# The same eleven rules for both servers.
{
  echo '<configuration><system.webServer><rewrite><rules>'
  for i in $(seq 1 10); do
    echo "  <rule name=\"No match $i\"><match url=\"^nomatch$i/(.*)\$\" /><action type=\"Rewrite\" url=\"/files/x$i/{R:1}\" /></rule>"
  done
  echo '  <rule name="Rewrite" stopProcessing="true"><match url="^r/(.*)$" /><action type="Rewrite" url="/files/{R:1}" /></rule>'
  echo '</rules></rewrite></system.webServer></configuration>'
} > "$www/web.config"
nginx_rules=$(for i in $(seq 1 10); do echo "    rewrite ^/nomatch$i/(.*)\$ /files/x$i/\$1 last;"; done)
cat > "$work/nginx/nginx.conf" <<NG
worker_processes 1;
daemon off;
error_log $work/nginx/logs/error.log warn;
pid $work/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log $work/nginx/logs/access.log combined buffer=64k flush=1s;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$nginx_port;
    root $www;
$nginx_rules
    rewrite ^/r/(.*)\$ /files/\$1 last;
    location /files/ { }
  }
}
NG

"$repo/weir" --help > /dev/null   # builds the launcher's distribution when stale (untimed)

check() { # port: the rewritten URL must serve the file
  local got; got=$(curl -s "http://127.0.0.1:$1/r/1k.bin" | cmp -s - "$www/files/1k.bin" && echo ok || echo bad)
  [ "$got" = ok ] || { echo "port $1 did not serve /r/1k.bin as /files/1k.bin" >&2; exit 1; }
}

echo "# $(date -u +%FT%TZ) dur=${dur}s conns=$conns rounds=$rounds server=cpu0 wrk=cpu1 (shared machine: read ratios)"
for round in $(seq 1 "$rounds"); do
  bench_start nginx "http://127.0.0.1:$nginx_port/r/1k.bin" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
  check "$nginx_port"
  bench_warm "http://127.0.0.1:$nginx_port/r/1k.bin" 3s
  echo "nginx rewrite $(bench_load "http://127.0.0.1:$nginx_port/r/1k.bin")"
  bench_stop nginx
  WEIR_JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC" \
    bench_start weir "http://127.0.0.1:$weir_port/r/1k.bin" "$repo/weir" serve --root "$www" --port "$weir_port"
  check "$weir_port"
  bench_warm "http://127.0.0.1:$weir_port/r/1k.bin" 8s   # JIT warm-up
  bench_warm "http://127.0.0.1:$weir_port/files/1k.bin" 4s
  # the order alternates between rounds, so that neither URL always gets the later, warmer JIT
  if [ $((round % 2)) -eq 1 ]; then
    echo "weir rewrite $(bench_load "http://127.0.0.1:$weir_port/r/1k.bin")"
    echo "weir direct $(bench_load "http://127.0.0.1:$weir_port/files/1k.bin")"
  else
    echo "weir direct $(bench_load "http://127.0.0.1:$weir_port/files/1k.bin")"
    echo "weir rewrite $(bench_load "http://127.0.0.1:$weir_port/r/1k.bin")"
  fi
  bench_stop weir
done | tee "$work/all.txt"
medians=$(bench_medians "$work/all.txt")
echo "$medians"
bench_ratio "$medians" "weir rewrite" "nginx rewrite" "weir/nginx (rewrite)"
bench_ratio "$medians" "weir rewrite" "weir direct" "weir rewrite/direct"
