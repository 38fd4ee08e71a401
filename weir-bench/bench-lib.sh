# shellcheck shell=bash
# What the side-by-side load scripts of weir-bench share. Source it after setting
#   work   a temporary folder of the script's own (servers' logs and pid files go there)
#   conns  wrk's connections        dur  seconds per measurement
# then call bench_cleanup from the script's EXIT trap. Servers run pinned to CPU 0, wrk to CPU 1
# with one thread, over 127.0.0.1.

# bench_start NAME READY_URL COMMAND... : starts a server pinned to CPU 0 and waits (60 s at most)
# until READY_URL answers; its output goes to $work/NAME.log.
bench_start() {
  local name=$1 ready=$2; shift 2
  taskset -c 0 "$@" > "$work/$name.log" 2>&1 &
  # every pid also goes into a file: a script's rounds run in a pipeline's subshell, and its EXIT
  # trap (in the main shell) must still find the servers to stop
  echo $! > "$work/$name.pid"; echo $! >> "$work/servers.pids"
  for _ in $(seq 1 600); do curl -s -o /dev/null "$ready" && return 0; sleep 0.1; done
  echo "$name did not start:" >&2; tail -5 "$work/$name.log" >&2; return 1
}

# bench_stop NAME : stops a server bench_start started and waits for it.
bench_stop() {
  local pid; pid=$(cat "$work/$1.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$work/$1.pid"
}

# bench_cleanup : stops every server bench_start started that still runs, and removes $work.
bench_cleanup() {
  local p
  if [ -f "$work/servers.pids" ]; then
    while read -r p; do kill "$p" 2>/dev/null || true; done < "$work/servers.pids"
    while read -r p; do
      for _ in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    done < "$work/servers.pids"
  fi
  rm -rf "$work"
}

# bench_warm URL SECONDS [WRK_OPTION...] : load that is not measured (JIT warm-up, caches).
bench_warm() {
  local url=$1 seconds=$2; shift 2
  taskset -c 1 wrk -t1 -c"$conns" -d"$seconds" "$@" "$url" > /dev/null 2>&1
}

# bench_load URL [WRK_OPTION...] : prints requests/s, then wrk's non-2xx and socket-error lines if any.
bench_load() {
  local url=$1; shift
  local out; out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${dur}s" "$@" "$url" 2>&1)
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out")"
}

# bench_medians FILE : for lines "SERVER TEST REQ/S ...", prints "median SERVER TEST REQ/S" per pair.
bench_medians() {
  awk '{v[$1" "$2] = v[$1" "$2] " " $3}
       END {for (k in v) {n = split(v[k], a, " ")
                          for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) {t = a[i]; a[i] = a[j]; a[j] = t}
                          printf "median %s %s\n", k, (n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)}}' "$1" | sort
}

# bench_ratio MEDIANS "SERVER TEST" "SERVER TEST" LABEL : prints "ratio LABEL X.XX", the first
# median over the second, from bench_medians' output.
bench_ratio() {
  awk -v a="$2" -v b="$3" -v label="$4" '{m[$2" "$3] = $4}
       END {if (m[b] > 0) printf "ratio %s %.2f\n", label, m[a] / m[b]}' <<<"$1"
}
