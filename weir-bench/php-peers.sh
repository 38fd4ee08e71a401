#!/usr/bin/env bash
# PHP side by side on loopback: nginx + php-fpm, Weir + php-cgi (its own FastCGI pool) and
# Weir + php-fpm (scriptProcessor="unix:..."), each with the same number of PHP workers, on a
# hello-world page and a 1 KiB echo page. From the repository root:
#
#   weir-bench/php-peers.sh [SECONDS] [CONNECTIONS]        (defaults 10 and 16)
#   ROUNDS=3 WORKERS=4 weir-bench/php-peers.sh
#
# Servers and their PHP processes run on CPU 0, wrk (one thread) on CPU 1. Access logs are off
# on both servers. Needs nginx, php-fpm8.2, php-cgi and wrk (apt-get install nginx php-fpm php-cgi wrk).
# The machine may be shared: compare servers measured in the same run, as ratios.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
dur=${1:-10}
conns=${2:-16}
workers=${WORKERS:-4}
fpm=${PHP_FPM:-$(command -v php-fpm8.2 || echo /usr/sbin/php-fpm8.2)}
work=$(mktemp -d "${TMPDIR:-/tmp}/weir-php-bench.XXXXXX")
trap 'for f in "$work"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done; sleep 0.5; rm -rf "$work"' EXIT

site=$work/site
mkdir -p "$site"
printf '<?php echo "Hello, World!";\n' > "$site/hello.php"
printf '<?php $s = str_repeat("0123456789abcdef", 64); echo $s;\n' > "$site/1k.php"

cat > "$work/fpm.conf" <<FPM
[global]
pid = $work/fpm-master.pid
error_log = $work/fpm.log
daemonize = no
[bench]
listen = $work/fpm.sock
pm = static
pm.max_children = $workers
pm.max_requests = 0
FPM

nginx_user=""; [ "$(id -u)" = 0 ] && nginx_user="user root;"   # the workers must reach the 0700 work folder and the socket
cat > "$work/nginx.conf" <<NG
$nginx_user
worker_processes 1;
daemon off;
error_log $work/nginx-error.log warn;
pid $work/nginx-master.pid;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:18181;
    root $site;
    location = / { return 200 "ok"; }
    location ~ \.php\$ {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_pass unix:$work/fpm.sock;
    }
  }
}
NG

# Weir: the embedded configuration, bound to 127.0.0.1:PORT, access log off, php-cgi pool of $workers.
weir_config() { # port handler-scriptProcessor
  sed -e 's#bindingInformation="\*:8080:"#bindingInformation="127.0.0.1:'"$1"':"#' \
      -e 's#<logFile logFormat="W3C" enabled="true"#<logFile logFormat="W3C" enabled="false"#' \
      -e 's#<application fullPath="/usr/bin/php-cgi" maxInstances="4"#<application fullPath="/usr/bin/php-cgi" maxInstances="'"$workers"'"#' \
      -e 's#<handlers accessPolicy="Read, Script">#<handlers accessPolicy="Read, Script">\n        <add name="PHP" path="*.php" verb="GET,HEAD,POST" modules="FastCgiModule" scriptProcessor="'"$2"'" resourceType="File" requireAccess="Script" />#' \
      "$repo/weir-config/src/main/resources/io/weir/config/applicationHost.config"
}

start() { # name port cmd...
  local name=$1 port=$2; shift 2
  taskset -c 0 "$@" > "$work/$name.log" 2>&1 &
  echo $! > "$work/$name.pid"
  for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:$port/hello.php" && return 0; sleep 0.1; done
  echo "$name did not start; log:" >&2; tail -5 "$work/$name.log" >&2; return 1
}
stop() { local pid; pid=$(cat "$work/$1.pid" 2>/dev/null) && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -f "$work/$1.pid"; true; }
load() { # url -> "rps p50 p99 [errors]"
  local out; out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${dur}s" --latency "$1" 2>&1)
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="50%" {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out") $(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out")"
}
bench_one() { # name port
  taskset -c 1 wrk -t1 -c"$conns" -d5s "http://127.0.0.1:$2/hello.php" >/dev/null 2>&1
  for t in hello 1k; do
    printf '%-12s %-6s %s\n' "$1" "$t" "$(load "http://127.0.0.1:$2/$t.php")"
  done
}

"$repo/weir" --help >/dev/null   # builds the launcher's distribution when stale, outside the timing
weir_config 18182 "/usr/bin/php-cgi" > "$work/weir-cgi.config"
weir_config 18183 "unix:$work/fpm.sock" > "$work/weir-fpm.config"
export WEIR_JAVA_OPTS=${WEIR_JAVA_OPTS:-"-Xms256m -Xmx256m -XX:+UseParallelGC"}

echo "# $(date -u +%FT%TZ) dur=${dur}s conns=$conns php_workers=$workers server+php=cpu0 wrk=cpu1 rounds=${ROUNDS:-1}"
echo "# name        test   req/s  p50  p99  [errors]"
for round in $(seq 1 "${ROUNDS:-1}"); do
  taskset -c 0 "$fpm" -F -R -y "$work/fpm.conf" > "$work/fpm.out" 2>&1 &
  echo $! > "$work/fpm.pid"
  for _ in $(seq 1 100); do [ -S "$work/fpm.sock" ] && break; sleep 0.1; done
  start nginx 18181 nginx -p "$work" -c "$work/nginx.conf" && bench_one nginx+fpm 18181; stop nginx
  start weir-fpm 18183 "$repo/weir" serve --config "$work/weir-fpm.config" --var "WEIR_SITE_ROOT=$site" \
    && bench_one weir+fpm 18183; stop weir-fpm
  stop fpm
  start weir-cgi 18182 "$repo/weir" serve --config "$work/weir-cgi.config" --var "WEIR_SITE_ROOT=$site" \
    && bench_one weir+php-cgi 18182; stop weir-cgi
done | tee "$work/all.txt"
if [ "${ROUNDS:-1}" -gt 1 ]; then
  awk '$2 ~ /^(hello|1k)$/ {v[$1" "$2] = v[$1" "$2] " " $3}
       END {for (k in v) {n = split(v[k], a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) {t = a[i]; a[i] = a[j]; a[j] = t}
                          printf "median %s %s\n", k, (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)}}' "$work/all.txt" | sort
fi
