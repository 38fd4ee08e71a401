#!/usr/bin/env bash
# Weir as the candidate of the side-by-side load harness (a run-peers.sh script kept outside this repository). From the
# repository root:
#
#   weir-bench/candidate.sh --build
#   CANDIDATE_CMD=weir-bench/candidate.sh ../shared/bench/run-peers.sh 10 64
#
# The harness exports CANDIDATE_PORT and BENCH_ROOT. This script writes an applicationHost.config
# that serves, on 127.0.0.1:$CANDIDATE_PORT,
#   /hello     from the Hello World example module (weir-examples, loaded by image= from its JAR),
#              enabled only under <location path="Default Web Site/hello">;
#   /static/*  the files of $BENCH_ROOT (virtual directory /static) through the built-in modules;
# then execs ./weir serve --config with the JVM options the Java peers get.
#
#   weir-bench/candidate.sh --build         only build what is needed (the launcher and the example
#                                           JAR), so the timed start stays under the harness's 60 s.
#   weir-bench/candidate.sh --print-config  print the configuration and exit (weir-bench's test
#                                           serves it); needs CANDIDATE_PORT only.
# Environment: WEIR_JAVA_OPTS overrides the JVM options; CANDIDATE_LOGGING=off serves the same
# configuration with <httpLogging dontLog="true" /> (to compare with nginx without an access log).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
version=0.1.0-SNAPSHOT
hello_jar="$repo/weir-examples/target/weir-examples-$version-helloworld.jar"

build_examples() {
  # The example JAR is not part of the launcher's build (weir-cli does not depend on it).
  if [ ! -f "$hello_jar" ] || [ -n "$(find "$repo/weir-examples/src" "$repo/weir-examples/pom.xml" -newer "$hello_jar" -print -quit)" ]; then
    echo "building the Weir examples…" >&2
    (cd "$repo" && ./mvnw -q -B -DskipTests -pl weir-examples -am install </dev/null) >&2
  fi
}

# Weir's embedded default configuration (the built-in modules, the StaticFile mapping, the MIME
# map) with four edits: the binding, a /static virtual directory, the Hello World module, and a
# <location> that enables it under /hello. The port is written in; %BENCH_ROOT% and
# %WEIR_HELLO_JAR% are left for Weir's own expansion (--var below).
default_config="$repo/weir-config/src/main/resources/io/weir/config/applicationHost.config"

print_config() {
  local text
  text=$(sed \
    -e 's#bindingInformation="\*:8080:"#bindingInformation="127.0.0.1:'"$CANDIDATE_PORT"':"#' \
    -e 's#\( *\)<virtualDirectory path="/" physicalPath="%WEIR_SITE_ROOT%" />#\1<virtualDirectory path="/" physicalPath="%BENCH_ROOT%" />\n\1<virtualDirectory path="/static" physicalPath="%BENCH_ROOT%" />#' \
    -e 's#^\( *\)</globalModules>#\1  <add name="HelloWorldModule" image="%WEIR_HELLO_JAR%" />\n\1</globalModules>#' \
    -e 's#^</configuration>#  <location path="Default Web Site/hello">\n    <system.webServer>\n      <modules>\n        <add name="HelloWorldModule" />\n      </modules>\n    </system.webServer>\n  </location>\n\n</configuration>#' \
    "$default_config")
  if [ "${CANDIDATE_LOGGING:-on}" = off ]; then
    text=${text/<httpLogging dontLog=\"false\"/<httpLogging dontLog=\"true\"}
    grep -qF '<httpLogging dontLog="true"' <<<"$text" || { echo "candidate.sh: $default_config changed shape; no <httpLogging dontLog=\"false\"" >&2; return 1; }
  fi
  # Refuse to benchmark a configuration that silently lost one of the edits.
  local expected
  for expected in "127.0.0.1:$CANDIDATE_PORT:" 'path="/static" physicalPath="%BENCH_ROOT%"' \
      'name="HelloWorldModule" image=' '<location path="Default Web Site/hello">'; do
    grep -qF -- "$expected" <<<"$text" || { echo "candidate.sh: $default_config changed shape; no '$expected'" >&2; return 1; }
  done
  printf '%s\n' "$text"
}

case "${1:-}" in
  --build)
    build_examples
    "$repo/weir" --help >/dev/null   # the launcher builds its distribution when stale
    exit 0 ;;
  --print-config)
    : "${CANDIDATE_PORT:?CANDIDATE_PORT is not set}"
    print_config
    exit 0 ;;
  "") ;;
  *) echo "usage: $0 [--build | --print-config]" >&2; exit 2 ;;
esac

: "${CANDIDATE_PORT:?CANDIDATE_PORT is not set (run through run-peers.sh)}"
: "${BENCH_ROOT:?BENCH_ROOT is not set (run through run-peers.sh)}"
build_examples

# Beside $BENCH_ROOT (not in it: that is served), in the harness's work folder, which it removes.
parent=$(dirname "$BENCH_ROOT")
[ -w "$parent" ] || parent=${TMPDIR:-/tmp}
work=$(mktemp -d "$parent/weir-candidate.XXXXXX")
config="$work/applicationHost.config"
print_config > "$config"

export WEIR_JAVA_OPTS=${WEIR_JAVA_OPTS:-"-Xms256m -Xmx256m -XX:+UseParallelGC"}
# exec: the harness stops the candidate by its pid, so the JVM must be that process.
exec "$repo/weir" serve --config "$config" --var "BENCH_ROOT=$BENCH_ROOT" --var "WEIR_HELLO_JAR=$hello_jar"
