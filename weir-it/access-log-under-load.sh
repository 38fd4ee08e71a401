#!/usr/bin/env bash
# Proves that HttpLoggingModule loses no line under load and on a graceful stop.
#
#   1. starts ./weir serve on a free port (18000-19999) with a configuration whose site logs to a
#      temporary folder (W3C, IIS's default fields);
#   2. runs wrk -t2 -c64 -d30s against /hello.txt?via=wrk, with a Lua script that also counts the
#      requests wrk sent (wrk's own "N requests in" counts only the responses it read before its
#      timer ended; wrk calls request() once more on thread 0 at start-up to check the script,
#      without sending it, so "sent" is the Lua count minus one);
#   3. runs ab -k -c64 -n AB_REQUESTS against /hello.txt?via=ab (ab reads every response, so its
#      "Complete requests" is exact), when ab is installed;
#   4. sends SIGTERM (graceful stop: drain, then the log writer writes every queued line and closes
#      the file) and waits for the process to exit;
#   5. counts the log lines of each client (cs-uri-query via=wrk / via=ab; '#' directives excluded)
#      and compares:  wrk responses <= wrk lines <= wrk requests sent,  ab lines == ab complete.
#
# Usage: weir-it/access-log-under-load.sh [DURATION] (default 30s); env AB_REQUESTS (default 50000).
# Needs wrk (apt-get install -y wrk) and curl; ab (apache2-utils) is optional.
# Exits 1 when a comparison fails.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
duration=${1:-30s}
ab_requests=${AB_REQUESTS:-50000}
command -v wrk >/dev/null || { echo "$0: wrk is needed (apt-get install -y wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "$0: curl is needed" >&2; exit 2; }

tmp=$(mktemp -d)
pid=""
cleanup() {
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

port=$(python3 - <<'PY'
import random, socket
for p in random.sample(range(18000, 20000), 2000):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); s.close(); print(p); break
    except OSError:
        s.close()
PY
)
mkdir -p "$tmp/site" "$tmp/logs"
printf 'hello\n' > "$tmp/site/hello.txt"
printf 'ready\n' > "$tmp/site/ready.txt"
cat > "$tmp/applicationHost.config" <<XML
<configuration>
  <configSections>
    <sectionGroup name="system.applicationHost">
      <section name="sites" />
      <section name="log" />
    </sectionGroup>
    <sectionGroup name="system.webServer">
      <section name="globalModules" />
      <section name="modules" />
      <section name="handlers" />
      <section name="staticContent" />
      <section name="httpLogging" />
    </sectionGroup>
  </configSections>
  <system.applicationHost>
    <sites>
      <site name="Load" id="1">
        <application path="/"><virtualDirectory path="/" physicalPath="$tmp/site" /></application>
        <bindings><binding protocol="http" bindingInformation="127.0.0.1:$port:" /></bindings>
      </site>
      <siteDefaults><logFile logFormat="W3C" directory="$tmp/logs" /></siteDefaults>
    </sites>
    <log centralLogFileMode="Site" />
  </system.applicationHost>
  <system.webServer>
    <globalModules>
      <add name="StaticFileModule" type="io.weir.modules.staticfile.StaticFileModuleRegistration" />
      <add name="HttpLoggingModule" type="io.weir.modules.httplogging.HttpLoggingModuleRegistration" />
    </globalModules>
    <modules>
      <add name="StaticFileModule" />
      <add name="HttpLoggingModule" />
    </modules>
    <handlers>
      <add name="StaticFile" path="*" verb="*" modules="StaticFileModule" resourceType="File" requireAccess="Read" />
    </handlers>
    <staticContent><mimeMap fileExtension=".txt" mimeType="text/plain" /></staticContent>
  </system.webServer>
</configuration>
XML

echo "== starting ./weir serve on 127.0.0.1:$port, logging to $tmp/logs"
"$repo/weir" serve --config "$tmp/applicationHost.config" > "$tmp/server.out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/ready.txt" 2>/dev/null; then break; fi
    kill -0 "$pid" 2>/dev/null || { echo "the server exited:"; cat "$tmp/server.out"; exit 1; }
    sleep 0.2
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/ready.txt" || { echo "the server does not answer"; cat "$tmp/server.out"; exit 1; }

cat > "$tmp/count.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) sent = 0; received = 0 end
function request() sent = sent + 1; return wrk.request() end
function response(status, headers, body) received = received + 1 end
function done(summary, latency, requests)
  local s, r = 0, 0
  for _, t in ipairs(threads) do s = s + t:get("sent"); r = r + t:get("received") end
  io.write(string.format("lua: sent %d received %d\n", s, r))
end
LUA

echo "== wrk -t2 -c64 -d$duration http://127.0.0.1:$port/hello.txt?via=wrk"
wrk -t2 -c64 -d"$duration" -s "$tmp/count.lua" "http://127.0.0.1:$port/hello.txt?via=wrk" | tee "$tmp/wrk.out"
wrk_responses=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
wrk_sent=$(awk '/^lua: sent/ {print $3 - 1}' "$tmp/wrk.out") # minus script_verify_request's probe
wrk_errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$tmp/wrk.out")
wrk_errors=${wrk_errors:-0}
wrk_non2xx=$(awk '/Non-2xx/ {print $NF}' "$tmp/wrk.out"); wrk_non2xx=${wrk_non2xx:-0}

ab_complete=""
if command -v ab >/dev/null; then
    echo "== ab -k -c64 -n$ab_requests http://127.0.0.1:$port/hello.txt?via=ab"
    ab -q -k -c64 -n"$ab_requests" "http://127.0.0.1:$port/hello.txt?via=ab" > "$tmp/ab.out" 2>&1 || true
    grep -E "Complete requests|Failed requests|Non-2xx|Requests per second" "$tmp/ab.out" || true
    ab_complete=$(awk '/Complete requests/ {print $3}' "$tmp/ab.out")
    ab_failed=$(awk '/Failed requests/ {print $3}' "$tmp/ab.out")
else
    echo "== ab not installed: the exact-count phase is skipped"
fi

echo "== SIGTERM to $pid"
kill -TERM "$pid"
wait "$pid" || true
pid=""
tail -n 3 "$tmp/server.out"

files=$(ls "$tmp/logs/W3SVC1")
echo "== log files: $files"
count() { cat "$tmp/logs/W3SVC1/"*.log | awk -v q="$1" '!/^#/ && $6 == q' | wc -l; }
directives=$(cat "$tmp/logs/W3SVC1/"*.log | grep -c '^#' || true)
lines_wrk=$(count via=wrk)
lines_ab=$(count via=ab)
lines_all=$(cat "$tmp/logs/W3SVC1/"*.log | grep -vc '^#' || true)
bad=$(cat "$tmp/logs/W3SVC1/"*.log | awk '!/^#/ && NF != 15' | wc -l)

status=0
echo
echo "wrk: $wrk_responses responses read, $wrk_sent requests sent, $wrk_errors socket errors, $wrk_non2xx non-2xx"
echo "log: $lines_wrk lines for via=wrk (in-flight at wrk's deadline: $((lines_wrk - wrk_responses)) answered and logged but not counted by wrk)"
if (( lines_wrk < wrk_responses || lines_wrk > wrk_sent )); then
    echo "FAIL: expected wrk responses ($wrk_responses) <= log lines ($lines_wrk) <= wrk requests sent ($wrk_sent)"; status=1
else
    echo "OK:   $wrk_responses <= $lines_wrk <= $wrk_sent"
    if (( lines_wrk == wrk_sent )); then
        echo "      every request wrk sent was answered and logged; $((wrk_sent - wrk_responses)) of them were answered after wrk's timer ended"
    else
        echo "      $((wrk_sent - lines_wrk)) request(s) wrk wrote as it stopped never reached the server's pipeline (closed connection)"
    fi
fi
if [[ -n $ab_complete ]]; then
    echo "ab:  $ab_complete complete, $ab_failed failed; log: $lines_ab lines for via=ab"
    if (( lines_ab != ab_complete )); then echo "FAIL: ab complete requests ($ab_complete) != log lines ($lines_ab)"; status=1
    else echo "OK:   $lines_ab == $ab_complete"; fi
fi
echo "log: $lines_all entry lines in all ($directives directive lines), $bad malformed"
(( bad == 0 )) || { echo "FAIL: malformed lines"; status=1; }
exit $status
