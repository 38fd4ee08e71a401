#!/usr/bin/env bash
# Two builds of Weir side by side, in one run: the same benchmark configuration as candidate.sh
# (the embedded default with its access log, Hello World under /hello, a 1 KiB file under /static),
# served by the build of revision A, then of revision B, round after round, alternating which goes
# first; ends with the median requests/s of each and the ratio B/A. For checking that a change costs
# nothing ("no regression beyond noise") without trusting a figure from another day. From the
# repository root:
#
#   weir-bench/ab-builds.sh REV_A REV_B [DURATION_S] [CONNECTIONS]      (ROUNDS=N, default 3)
#
# Each revision is checked out (git worktree, detached) and packaged in a temporary folder, never
# installed into the local Maven repository. The server is pinned to CPU 0 and wrk to CPU 1 with one
# thread, over 127.0.0.1, keep-alive. Needs git, wrk and curl.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 REV_A REV_B [DURATION_S] [CONNECTIONS]" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
rev_a=$1; rev_b=$2; dur=${3:-8}; conns=${4:-64}; rounds=${ROUNDS:-3}
port=18099
work=$(mktemp -d "${TMPDIR:-/tmp}/weir-ab.XXXXXX"); chmod 755 "$work"
# shellcheck source=bench-lib.sh
. "$repo/weir-bench/bench-lib.sh"
cleanup() {
  bench_cleanup_worktrees
  bench_cleanup
}
bench_cleanup_worktrees() {
  local side
  for side in a b; do
    [ -d "$work/$side" ] && git -C "$repo" worktree remove --force "$work/$side" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

export BENCH_ROOT=$work/www
mkdir -p "$BENCH_ROOT"
head -c 1024 /dev/urandom > "$BENCH_ROOT/1k.bin"

for side in a b; do
  rev=$rev_a; [ "$side" = b ] && rev=$rev_b
  git -C "$repo" worktree add --detach "$work/$side" "$rev" >/dev/null 2>&1 \
    || { echo "cannot check out $rev" >&2; exit 1; }
  echo "building $side = $rev ($(git -C "$work/$side" log -1 --format='%h %s' | cut -c1-70))…" >&2
  (cd "$work/$side" && ./mvnw -q -B -DskipTests -pl weir-cli,weir-examples -am package </dev/null) >&2
  # The launcher rebuilds (and installs) when its stamp is missing; the package above is its build.
  touch "$work/$side/weir-cli/target/weir-launcher.stamp"
done

check() { # path: answered 200
  local status; status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$1")
  [ "$status" = 200 ] || { echo "build $2 answered $status for $1; its log:" >&2; tail -20 "$work/$2.log" >&2; exit 1; }
}

echo "# $(date -u +%FT%TZ) a=$rev_a b=$rev_b dur=${dur}s conns=$conns rounds=$rounds server=cpu0 wrk=cpu1"
for round in $(seq 1 "$rounds"); do
  order="a b"; [ $((round % 2)) -eq 0 ] && order="b a"
  for side in $order; do
    CANDIDATE_PORT=$port bench_start "$side" "http://127.0.0.1:$port/hello" "$work/$side/weir-bench/candidate.sh"
    check /hello "$side"; check /static/1k.bin "$side"
    bench_warm "http://127.0.0.1:$port/hello" 5s   # JIT warm-up
    bench_warm "http://127.0.0.1:$port/static/1k.bin" 3s
    echo "$side hello $(bench_load "http://127.0.0.1:$port/hello")"
    echo "$side 1k $(bench_load "http://127.0.0.1:$port/static/1k.bin")"
    bench_stop "$side"
  done
done | tee "$work/all.txt"
medians=$(bench_medians "$work/all.txt")
echo "$medians"
bench_ratio "$medians" "b hello" "a hello" "b/a hello"
bench_ratio "$medians" "b 1k" "a 1k" "b/a 1k"
