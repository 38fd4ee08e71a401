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
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

www=$work/www
mkdir -p "$www" "$work/nginx/logs" "$work/data"
head -c 1024 /dev/urandom | base64 -w 76 | head -c 1024 > "$www/1k.txt"
head -c 65536 /dev/urandom | base64 -w 76 | head -c 65536 > "$www/64k.txt"
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

start() { # name port path cmd...
  local name=$1 port=$2 path=$3; shift 3
  taskset -c 0 "$@" > "$work/$name.log" 2>&1 &
  pids+=($!); echo $! > "$work/$name.pid"
  for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$port$path" && return 0; sleep 0.1; done
  echo "$name did not start:" >&2; tail -5 "$work/$name.log" >&2; return 1
}
stop() { local pid; pid=$(cat "$work/$1.pid"); kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
load() { # url -> req/s, and non-2xx if any
  local out; out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${dur}s" "$1" 2>&1)
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out")"
}
check() { # url file: the body is the file's
  curl -fs "$1" | cmp -s - "$2" || { echo "$1 did not answer $2" >&2; exit 1; }
}
warm() { taskset -c 1 wrk -t1 -c"$conns" -d"$2" "$1" > /dev/null 2>&1; }
kernel_hits() {
  curl -fs -H "Authorization: Bearer $(cat "$work/admin.token")" "http://127.0.0.1:$admin_port/status" \
    | sed -n 's/.*"kernelCacheHits": \([0-9]*\).*/\1/p'
}

echo "# $(date -u +%FT%TZ) dur=${dur}s conns=$conns rounds=$rounds server=cpu0 wrk=cpu1 (shared machine: read ratios)"
for round in $(seq 1 "$rounds"); do
  start nginx "$nginx_port" /1k.txt nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
  check "http://127.0.0.1:$nginx_port/1k.txt" "$www/1k.txt"; check "http://127.0.0.1:$nginx_port/64k.txt" "$www/64k.txt"
  warm "http://127.0.0.1:$nginx_port/1k.txt" 3s
  echo "nginx 1k $(load "http://127.0.0.1:$nginx_port/1k.txt")"
  echo "nginx 64k $(load "http://127.0.0.1:$nginx_port/64k.txt")"
  stop nginx
  WEIR_DATA_HOME="$work/data" WEIR_JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC \
-Dweir.admin.port=$admin_port -Dweir.admin.tokenFile=$work/admin.token" \
    start weir "$weir_port" /1k.txt "$repo/weir" serve --root "$www" --port "$weir_port"
  warm "http://127.0.0.1:$weir_port/1k.txt" 8s   # JIT warm-up; the file becomes a kernel-style cache entry
  warm "http://127.0.0.1:$weir_port/64k.txt" 4s
  check "http://127.0.0.1:$weir_port/1k.txt" "$www/1k.txt"; check "http://127.0.0.1:$weir_port/64k.txt" "$www/64k.txt"
  for size in $( [ $((round % 2)) -eq 1 ] && echo "1k 64k" || echo "64k 1k" ); do
    before=$(kernel_hits)
    result=$(load "http://127.0.0.1:$weir_port/$size.txt")
    after=$(kernel_hits)
    [ "$after" -gt "$before" ] || { echo "weir $size was not answered from the kernel-style cache" >&2; exit 1; }
    echo "weir $size $result"
  done
  stop weir
done | tee "$work/all.txt"
awk '{v[$1" "$2] = v[$1" "$2] " " $3}
     END {for (k in v) {n = split(v[k], a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) {t = a[i]; a[i] = a[j]; a[j] = t}
                        m[k] = (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2); printf "median %s %s\n", k, m[k]}
          if (m["nginx 1k"] > 0) printf "ratio weir/nginx 1k %.2f\n", m["weir 1k"] / m["nginx 1k"]
          if (m["nginx 64k"] > 0) printf "ratio weir/nginx 64k %.2f\n", m["weir 64k"] / m["nginx 64k"]}' "$work/all.txt"
