#!/usr/bin/env bash
# Weir beside nginx over TLS, in one run, on loopback. From the repository root:
#
#   ROUNDS=3 weir-bench/tls-peers.sh
#
# Both servers get the same ECDSA P-256 certificate (made here with openssl), the same files (a
# 13-byte hello.txt and a 1 KiB 1k.bin) and run one after another pinned to CPU 0 (nginx: one
# worker, access log off; Weir: ./weir serve with its embedded default configuration plus an https
# binding, its access log off); the load runs pinned to CPU 1. Per round and server:
#   handshakes  wrk, $SECONDS_HS (10) s, 10 connections, each request with "Connection: close" so
#               each one is a new TCP connection and a full TLS handshake (wrk resumes no session)
#   h2-hello    h2load, $REQUESTS (10000) requests, 10 connections x 10 streams (100 streams), hello.txt
#   h2-1k       the same with 1k.bin
#   h1-1k       wrk, $SECONDS_H1 (10) s, 10 connections, HTTPS 1 KiB over HTTP/1.1 keep-alive
# Before measuring, each server gets the same warm-up of every path (Weir's JVM compiles what runs
# most). WEIR_CLASSPATH runs a given build instead of this checkout's (see ./weir).
# Prints requests/s per test and server, and Weir/nginx ratios. Read the ratios, not the numbers,
# and only from one run: the machine may be shared.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
rounds=${ROUNDS:-3}
seconds_hs=${SECONDS_HS:-10}
requests=${REQUESTS:-10000}
seconds_h1=${SECONDS_H1:-10}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port_nginx=18943
port_weir=18944

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
mkdir -p "$work/www" "$work/store/My"
printf 'hello, world\n' >"$work/www/hello.txt"
head -c 1024 /dev/urandom >"$work/www/1k.bin"
cat "$work/key.pem" "$work/cert.pem" >"$work/store/My/bench.pem"
thumbprint=$(openssl x509 -in "$work/cert.pem" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')

cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  types { text/plain txt; application/octet-stream bin; }
  server {
    listen 127.0.0.1:$port_nginx ssl http2;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:SSL:10m;
    root $work/www;
  }
}
CONF

sed -e 's#bindingInformation="\*:8080:" />#bindingInformation="127.0.0.1:18945:" />\n          <binding protocol="https" bindingInformation="127.0.0.1:'"$port_weir"':" certificateHash="'"$thumbprint"'" />#' \
    -e 's#<sites>#<sites weirCertificateStorePath="'"$work/store"'" weirHttp3="false">#' \
    -e 's#<httpLogging dontLog="false"#<httpLogging dontLog="true"#' \
    "$repo/weir-config/src/main/resources/io/weir/config/applicationHost.config" >"$work/applicationHost.config"
grep -qF "$thumbprint" "$work/applicationHost.config" || { echo "tls-peers.sh: the default configuration changed shape" >&2; exit 1; }
grep -qF 'weirCertificateStorePath' "$work/applicationHost.config" || { echo "tls-peers.sh: no <sites> to extend" >&2; exit 1; }
grep -qF '<httpLogging dontLog="true"' "$work/applicationHost.config" || { echo "tls-peers.sh: no <httpLogging> to turn off" >&2; exit 1; }
"$repo/weir" --help >/dev/null

wait_for() { for _ in $(seq 1 120); do curl -sk -o /dev/null "https://localhost:$1/hello.txt" && return 0; sleep 0.5; done; return 1; }

start() {
  case $1 in
    nginx) taskset -c 0 nginx -c "$work/nginx.conf" >/dev/null 2>&1 & ;;
    weir) (cd "$work" && WEIR_JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC" \
            taskset -c 0 "$repo/weir" serve --config "$work/applicationHost.config" --var WEIR_SITE_ROOT="$work/www" \
            >"$work/weir.log" 2>&1) & ;;
  esac
  echo $! >"$work/$1.job"
}

measure() { # server port -> "handshakes h2-hello h2-1k h1-1k"
  local url="https://localhost:$2"
  # warm-up, the same for both, of every path measured (the JVM compiles what runs most)
  h2load -n 20000 -c 10 -m 10 "$url/hello.txt" >/dev/null 2>&1 || true
  h2load -n 20000 -c 10 -m 10 "$url/1k.bin" >/dev/null 2>&1 || true
  wrk -t1 -c10 -d3s "$url/1k.bin" >/dev/null 2>&1 || true
  wrk -t1 -c10 -d3s -H 'Connection: close' "$url/hello.txt" >/dev/null 2>&1 || true
  local hs h2h h21 h11
  hs=$(taskset -c 1 wrk -t1 -c10 -d"${seconds_hs}s" -H 'Connection: close' "$url/hello.txt" 2>/dev/null | awk '/Requests\/sec/ {print $2}' || true)
  h2h=$(taskset -c 1 h2load -n "$requests" -c 10 -m 10 "$url/hello.txt" 2>/dev/null | awk '/^finished in/ {print $4}' || true)
  h21=$(taskset -c 1 h2load -n "$requests" -c 10 -m 10 "$url/1k.bin" 2>/dev/null | awk '/^finished in/ {print $4}' || true)
  h11=$(taskset -c 1 wrk -t1 -c10 -d"${seconds_h1}s" "$url/1k.bin" 2>/dev/null | awk '/Requests\/sec/ {print $2}' || true)
  echo "${hs:-0} ${h2h:-0} ${h21:-0} ${h11:-0}"
}

printf '%-6s %-6s %12s %12s %12s %12s\n' round server handshakes/s h2-hello h2-1k h1-1k
for round in $(seq 1 "$rounds"); do
  for server in nginx weir; do
    port=$([ $server = nginx ] && echo $port_nginx || echo $port_weir)
    start $server
    wait_for $port || { echo "$server did not start" >&2; cat "$work/weir.log" >&2 || true; exit 1; }
    read -r hs h2h h21 h11 < <(measure $server $port)
    printf '%-6s %-6s %12s %12s %12s %12s\n' "$round" "$server" "$hs" "$h2h" "$h21" "$h11"
    echo "$server $hs $h2h $h21 $h11" >>"$work/results"
    if [ $server = nginx ]; then kill "$(cat "$work/nginx.pid")"; else pkill -TERM -P "$(cat "$work/weir.job")" 2>/dev/null || true; kill "$(cat "$work/weir.job")" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    sleep 1
  done
done
awk '{n[$1]++; for (i = 2; i <= 5; i++) s[$1, i] += $i}
     END {printf "ratio  weir/nginx"; for (i = 2; i <= 5; i++) printf " %12.2f", (s["nginx", i] > 0 ? (s["weir", i] / n["weir"]) / (s["nginx", i] / n["nginx"]) : 0); print ""}' "$work/results"
