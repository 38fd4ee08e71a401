#!/usr/bin/env bash
# The asynchronous-completion load proof, against the real `./weir serve --config FILE`:
#
#   "Under load (wrk, 64 connections, 30 s) with a module that completes asynchronously after 10 ms
#    on another thread: every request answered exactly once, and the event-loop overrun counter
#    stays 0."
#
# The module is AsyncDelayModule from the weir-examples JAR (classifier asyncdelay), loaded by
# image=: BEGIN_REQUEST returns PENDING, a scheduled executor calls postCompletion 10 ms later,
# onAsyncCompletion writes "done after 10 ms" and returns FINISH_REQUEST. At the end the server is
# stopped (SIGTERM, graceful), which prints the module's counts (requests begun, completions fired,
# responses sent) and the engine's (requests ended, event-loop overruns). The script prints wrk's
# totals beside them and checks: no socket errors, no non-2xx, begun = completed = responses =
# ended >= wrk's count (wrk does not count the requests it had in flight when it stopped: at most
# one per connection), and 0 overruns.
#
# Environment: PORT (18432), DURATION (30, seconds), CONNECTIONS (64), THREADS (2), KEEP (0; 1 keeps
# the temporary folder).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PORT=${PORT:-18432}
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
KEEP=${KEEP:-0}

command -v wrk >/dev/null || { echo "installing wrk…" >&2; apt-get install -y wrk >/dev/null; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

jar=$(ls "$repo"/weir-examples/target/weir-examples-*-asyncdelay.jar 2>/dev/null | head -1 || true)
if [ -z "$jar" ]; then
  echo "building the weir-examples JARs…" >&2
  . "$repo/.mvn/find-jdk.sh"; weir_find_jdk
  (cd "$repo" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    ./mvnw -q -B -o -pl weir-examples -am package -DskipTests </dev/null) >&2
  jar=$(ls "$repo"/weir-examples/target/weir-examples-*-asyncdelay.jar | head -1)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/weir-async.XXXXXX")
site="$work/site"
mkdir -p "$site"
conf="$work/applicationHost.config"
log="$work/weir.log"
url="http://127.0.0.1:$PORT/async"
cat >"$conf" <<XML
<configuration>
  <configSections>
    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
    <sectionGroup name="system.webServer">
      <section name="globalModules" /><section name="modules" /><section name="handlers" />
    </sectionGroup>
  </configSections>
  <system.applicationHost><sites>
    <site name="Async" id="1">
      <application path="/"><virtualDirectory path="/" physicalPath="$site" /></application>
      <bindings><binding protocol="http" bindingInformation="127.0.0.1:$PORT:" /></bindings>
    </site>
  </sites></system.applicationHost>
  <system.webServer>
    <globalModules>
      <add name="AsyncDelayModule" image="$jar" />
    </globalModules>
    <modules>
      <add name="AsyncDelayModule" />
    </modules>
    <handlers accessPolicy="Read" />
  </system.webServer>
</configuration>
XML

cleanup() {
  [ -n "${wrk_pid:-}" ] && kill "$wrk_pid" 2>/dev/null || true
  if [ -n "${weir_pid:-}" ] && kill -0 "$weir_pid" 2>/dev/null; then
    kill -TERM "$weir_pid"; wait "$weir_pid" 2>/dev/null || true
  fi
  [ "$KEEP" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

echo "== weir serve --config $conf --no-watch"
"$repo/weir" serve --config "$conf" --no-watch >"$log" 2>&1 &
weir_pid=$!
for _ in $(seq 1 600); do
  curl -s -o /dev/null "$url" && break
  kill -0 "$weir_pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
curl -s -o /dev/null "$url" || { echo "the server did not start"; cat "$log"; exit 1; }
grep -E "^  AsyncDelayModule" "$log" || true
echo "== probe: $(curl -s -w ' (%{http_code}, %{time_total} s)' "$url")"

echo "== wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency $url"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" >"$work/wrk.out" 2>&1 || true
cat "$work/wrk.out"

echo "== stopping the server (SIGTERM, graceful)"
kill -TERM "$weir_pid"; wait "$weir_pid" 2>/dev/null || true
weir_pid=
grep -E "AsyncDelayModule '|engine closed|event-loop overrun|released its event loop" "$log" | sed -E 's/^[0-9:. ]+//' || true

requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$work/wrk.out")
socket=$(awk '/Socket errors/ {sub(/^ *Socket errors: */, ""); print}' "$work/wrk.out")
counts=$(grep -E "AsyncDelayModule '" "$log" | tail -1)
begun=$(sed -E 's/.*begun ([0-9]+).*/\1/' <<<"$counts")
completed=$(sed -E 's/.*completed ([0-9]+).*/\1/' <<<"$counts")
responses=$(sed -E 's/.*responses ([0-9]+).*/\1/' <<<"$counts")
closed=$(grep -E "engine closed" "$log" | tail -1)
ended=$(sed -E 's/.*closed: ([0-9]+) requests ended.*/\1/' <<<"$closed")
overruns=$(sed -E 's/.* ([0-9]+) event-loop overruns.*/\1/' <<<"$closed")
probes=2   # the start-up poll and the probe above also went through the module
echo "== totals"
echo "  wrk:    ${requests:-?} responses, non-2xx/3xx: ${non2xx:-0}, socket errors: ${socket:-none}"
echo "  module: begun ${begun:-?}, completed ${completed:-?}, responses sent ${responses:-?}"
echo "  engine: requests ended ${ended:-?}, event-loop overruns ${overruns:-?}"
echo "  (the module and engine counts include $probes requests made by curl before wrk)"
ok=1
[ -n "${requests:-}" ] && [ -n "${begun:-}" ] && [ -n "${ended:-}" ] || ok=0
if [ "$ok" = 1 ]; then
  [ "$begun" = "$completed" ] && [ "$completed" = "$responses" ] && [ "$responses" = "$ended" ] || ok=0
  in_flight=$(( begun - probes - requests ))   # wrk stops with requests in flight that it does not count
  [ "$in_flight" -ge 0 ] && [ "$in_flight" -le "$CONNECTIONS" ] || ok=0
  echo "  wrk stopped with $in_flight requests in flight (answered by the server, not counted by wrk; at most $CONNECTIONS)"
fi
[ "${non2xx:-0}" = 0 ] && [ -z "$socket" ] && [ "${overruns:-1}" = 0 ] || ok=0
if [ "$ok" = 1 ]; then
  echo "PASSED: every request answered exactly once (begun = completed = responses = ended), 0 event-loop overruns"
else
  echo "FAILED"; exit 1
fi
