#!/usr/bin/env bash
# Hot install / hot reload under load, against the real `./weir serve --config FILE`:
#
#   wrk -t2 -c64 -d30s runs against a static file while this script edits the configuration
#   CYCLES times: install a module (CustomHeaderModule from the weir-examples JAR, which adds
#   "X-Weir-Example: acquire-request-state"), then uninstall it; with INVALID=1 (the default) every
#   valid edit is followed by an invalid one (malformed XML), which must be refused and change
#   nothing. After each edit, curl polls until the effect is visible (or, for an invalid edit, checks
#   that nothing changed) and prints how long it took. At the end: wrk's totals (requests, non-2xx,
#   socket errors) and the server's reload/refusal log lines.
#
# Proof of hot install:  weir-it/hot-install-under-load.sh
# Proof of hot reload (edits of one config file, valid and invalid in turn, under wrk -c64 -d30s):
#   MODE=apphost (default) edits applicationHost.config itself.
#   MODE=webconfig edits SITE/web.config (<modules><add/> vs <remove/>) with the module registered
#   in applicationHost.config's <globalModules> but not enabled there; CYCLES defaults to 5 there,
#   i.e. 20 edits: install, invalid, uninstall, invalid, ... A refused web.config edit keeps the
#   file's last good version serving (docs/hot-reload.md), so the requests under it never fail.
# The invalid edits alternate between malformed XML and an unknown attribute (<modules bogus="1">);
# each must be reported in the server's log (an ERROR "refused:" line for applicationHost.config,
# a WARN "refused:" line for web.config) within 2 s and change nothing.
#
# Environment: PORT (18431), DURATION (30, seconds), CONNECTIONS (64), THREADS (2), CYCLES (10,
# or 5 with MODE=webconfig), INVALID (1), MODE (apphost | webconfig), KEEP (0; 1 keeps the
# temporary folder).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PORT=${PORT:-18431}
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
MODE=${MODE:-apphost}
CYCLES=${CYCLES:-$([ "$MODE" = webconfig ] && echo 5 || echo 10)}
INVALID=${INVALID:-1}
KEEP=${KEEP:-0}
HEADER=X-Weir-Example

command -v wrk >/dev/null || { echo "installing wrk…" >&2; apt-get install -y wrk >/dev/null; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

jar=$(ls "$repo"/weir-examples/target/weir-examples-*-customheader.jar 2>/dev/null | head -1 || true)
if [ -z "$jar" ]; then
  echo "building the weir-examples JARs…" >&2
  . "$repo/.mvn/find-jdk.sh"; weir_find_jdk
  (cd "$repo" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    ./mvnw -q -B -o -pl weir-examples -am package -DskipTests </dev/null) >&2
  jar=$(ls "$repo"/weir-examples/target/weir-examples-*-customheader.jar | head -1)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/weir-hot.XXXXXX")
site="$work/site"
mkdir -p "$site"
printf 'hello from a static file\n' >"$site/a.txt"
conf="$work/applicationHost.config"
log="$work/weir.log"
url="http://127.0.0.1:$PORT/a.txt"

# applicationHost.config; $1 = 1 registers and enables the module server-wide, "registered" only
# registers it (MODE=webconfig enables it per folder), 0 leaves it out.
apphost() {
  local global="" enabled=""
  if [ "$1" != 0 ]; then
    global="      <add name=\"CustomHeaderModule\" image=\"$jar\" />"
  fi
  if [ "$1" = 1 ]; then
    enabled="      <add name=\"CustomHeaderModule\" />"
  fi
  cat <<EOF
<configuration>
  <configSections>
    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
    <sectionGroup name="system.webServer">
      <section name="globalModules" /><section name="modules" /><section name="handlers" />
      <section name="staticContent" />
    </sectionGroup>
  </configSections>
  <system.applicationHost><sites>
    <site name="Load" id="1">
      <application path="/"><virtualDirectory path="/" physicalPath="$site" /></application>
      <bindings><binding protocol="http" bindingInformation="127.0.0.1:$PORT:" /></bindings>
    </site>
  </sites></system.applicationHost>
  <system.webServer>
    <globalModules>
      <add name="StaticFileModule" type="io.weir.modules.staticfile.StaticFileModuleRegistration" />
$global
    </globalModules>
    <modules>
      <add name="StaticFileModule" />
$enabled
    </modules>
    <handlers accessPolicy="Read">
      <add name="StaticFile" path="*" verb="*" modules="StaticFileModule" resourceType="Either" requireAccess="Read" />
    </handlers>
    <staticContent><mimeMap fileExtension=".txt" mimeType="text/plain" /></staticContent>
  </system.webServer>
</configuration>
EOF
}

webconfig() {
  if [ "$1" = 1 ]; then
    printf '<configuration>\n  <system.webServer>\n    <modules>\n      <add name="CustomHeaderModule" />\n    </modules>\n  </system.webServer>\n</configuration>\n'
  else
    printf '<configuration>\n  <system.webServer>\n    <modules>\n      <remove name="CustomHeaderModule" />\n    </modules>\n  </system.webServer>\n</configuration>\n'
  fi
}

# The file the edits go to, and how to write the installed (1) / uninstalled (0) / invalid (bad) state.
case "$MODE" in
  apphost) target=$conf; apphost 0 >"$conf" ;;
  webconfig) target="$site/web.config"; apphost registered >"$conf"; webconfig 0 >"$target" ;;
  *) echo "MODE must be apphost or webconfig" >&2; exit 2 ;;
esac
valid() { if [ "$MODE" = apphost ]; then apphost "$1"; else webconfig "$1"; fi; }
edit() { # $1 = 1 | 0 | bad (with $2 = the state it is made from; the kind alternates)
  local tmp="$target.tmp"
  case "$1" in
    1|0) valid "$1" >"$tmp" ;;
    bad) bad_count=$(( ${bad_count:-0} + 1 ))
         if [ $(( bad_count % 2 )) = 1 ]; then valid "$2" | sed 's#</modules>#</modulez>#' >"$tmp"   # malformed XML
         else valid "$2" | sed 's#<modules>#<modules bogus="1">#' >"$tmp"; fi ;;                 # unknown attribute
  esac
  mv -f "$tmp" "$target"   # write a temporary file and rename it over the original, as editors do
}

has_header() { curl -s -o /dev/null -D - "$url" | tr -d '\r' | grep -qi "^$HEADER:"; }
now_ms() { date +%s%3N; }

cleanup() {
  [ -n "${wrk_pid:-}" ] && kill "$wrk_pid" 2>/dev/null || true
  if [ -n "${weir_pid:-}" ] && kill -0 "$weir_pid" 2>/dev/null; then
    kill -TERM "$weir_pid"; wait "$weir_pid" 2>/dev/null || true
  fi
  [ "$KEEP" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

echo "== weir serve --config $conf (MODE=$MODE, edits go to $target)"
"$repo/weir" serve --config "$conf" >"$log" 2>&1 &
weir_pid=$!
for _ in $(seq 1 600); do
  curl -s -o /dev/null "$url" && break
  kill -0 "$weir_pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
curl -s -o /dev/null "$url" || { echo "the server did not start"; cat "$log"; exit 1; }
grep -E "^Watching|^Listening|^  http" "$log" || true

edits=$(( CYCLES * (INVALID == 1 ? 4 : 2) ))
echo "== wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s $url, with $CYCLES install/uninstall cycles ($edits edits$([ "$INVALID" = 1 ] && echo ', each valid edit followed by an invalid one'))"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" >"$work/wrk.out" 2>&1 &
wrk_pid=$!
start=$(now_ms)
steps=$(( CYCLES * (INVALID == 1 ? 4 : 2) ))
pace=$(( (DURATION * 1000 - 2000) / steps ))   # spread the edits over the run
fail=0
step=0
observe() { # $1 = label, $2 = 1 header expected / 0 absent; waits up to 2 s
  local t0 t
  t0=$(now_ms)
  while :; do
    if has_header; then [ "$2" = 1 ] && break; else [ "$2" = 0 ] && break; fi
    t=$(( $(now_ms) - t0 ))
    if [ "$t" -gt 2000 ]; then echo "  $1: NOT SEEN within 2 s"; fail=1; return; fi
    sleep 0.02
  done
  echo "  $1: $( [ "$2" = 1 ] && echo "$HEADER present" || echo "$HEADER absent") after $(( $(now_ms) - t0 )) ms"
}
refusals() { grep -c "refused:" "$log" || true; }
unchanged() { # $1 = label, $2 = the state that must stay, $3 = the refusals logged before the edit
  local t0 reported
  t0=$(now_ms)
  while [ "$(refusals)" -le "$3" ]; do
    if [ $(( $(now_ms) - t0 )) -gt 2000 ]; then echo "  $1: NOT REPORTED in the log within 2 s"; fail=1; return; fi
    sleep 0.02
  done
  reported=$(( $(now_ms) - t0 ))
  t0=$(now_ms)
  while [ $(( $(now_ms) - t0 )) -lt 600 ]; do
    if has_header; then [ "$2" = 1 ] || { echo "  $1: CHANGED (should have been refused)"; fail=1; return; }
    else [ "$2" = 0 ] || { echo "  $1: CHANGED (should have been refused)"; fail=1; return; }; fi
    sleep 0.05
  done
  echo "  $1: refused (logged after $reported ms), $HEADER still $( [ "$2" = 1 ] && echo present || echo absent) 0.6 s later"
}
pace_to() { local due=$(( start + $1 * pace )); local left=$(( due - $(now_ms) )); [ "$left" -gt 0 ] && sleep "$(awk "BEGIN{print $left/1000}")" || true; }
for cycle in $(seq 1 "$CYCLES"); do
  pace_to $step; step=$((step + 1)); edit 1; observe "cycle $cycle install  " 1
  if [ "$INVALID" = 1 ]; then pace_to $step; step=$((step + 1)); r=$(refusals); edit bad 1; unchanged "cycle $cycle invalid  " 1 "$r"; fi
  pace_to $step; step=$((step + 1)); edit 0; observe "cycle $cycle uninstall" 0
  if [ "$INVALID" = 1 ]; then pace_to $step; step=$((step + 1)); r=$(refusals); edit bad 0; unchanged "cycle $cycle invalid  " 0 "$r"; fi
done
wait "$wrk_pid" || true
wrk_pid=

echo "== wrk"
cat "$work/wrk.out"
requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$work/wrk.out")
socket=$(awk '/Socket errors/ {sub(/^ *Socket errors: */, ""); print}' "$work/wrk.out")
echo "== totals: ${requests:-?} requests, non-2xx/3xx: ${non2xx:-0}, socket errors: ${socket:-none}"
echo "== server log: reloads and refusals"
grep -E "configuration reloaded|refused|terminating|changed \(" "$log" | sed -E 's/^[0-9:. ]+//' | cut -c1-220 || true
reloads=$(grep -c "configuration reloaded" "$log" || true)
changes=$(grep -c "web.config changed (" "$log" || true)
echo "== $reloads applicationHost.config reloads, $changes web.config changes seen, $(refusals) refusals logged"
if [ "${non2xx:-0}" != 0 ] || [ -n "$socket" ] || [ "$fail" != 0 ]; then
  echo "FAILED"; exit 1
fi
echo "PASSED: zero failed requests; every valid edit visible within 2 s; every invalid edit refused"
