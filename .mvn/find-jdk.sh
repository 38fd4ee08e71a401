# shellcheck shell=bash
# Finds a JDK 21 or newer for ./weir and .ci/run. Source this file, then call weir_find_jdk:
#
#   . "$repo/.mvn/find-jdk.sh"
#   weir_find_jdk || exit 1      # exports JAVA_HOME and puts its bin/ first on PATH
#
# Order of preference: $JAVA_HOME, the `java` on PATH, then the newest 21+ JDK found in the usual
# install folders (/usr/lib/jvm, /opt/java, SDKMAN!, macOS's /Library/Java/JavaVirtualMachines).

WEIR_MIN_JAVA=21

# Prints the feature release (8, 17, 21, 25, ...) of the java launcher $1, or nothing.
weir_java_major() {
  local out version
  out=$("$1" -version 2>&1) || return 1
  version=$(printf '%s\n' "$out" | sed -n 's/^[^"]* version "\([^"]*\)".*/\1/p' | head -n 1)
  [ -n "$version" ] || return 1
  case "$version" in
    1.*) version=${version#1.} ;;
  esac
  version=${version%%[!0-9]*}
  [ -n "$version" ] || return 1
  printf '%s\n' "$version"
}

# Prints the JDK home of the java launcher $1 (resolving symlinks such as /usr/bin/java).
weir_java_home_of() {
  local launcher=$1 resolved
  if command -v readlink >/dev/null 2>&1 && resolved=$(readlink -f "$launcher" 2>/dev/null) && [ -n "$resolved" ]; then
    launcher=$resolved
  fi
  (cd "$(dirname "$launcher")/.." && pwd -P)
}

# Exports JAVA_HOME for a JDK 21+, or prints what was tried and returns 1.
weir_find_jdk() {
  local tried=() major candidate home best_home="" best_major=0 path_java

  if [ -n "${JAVA_HOME:-}" ]; then
    if [ -x "$JAVA_HOME/bin/java" ] && major=$(weir_java_major "$JAVA_HOME/bin/java") \
        && [ "$major" -ge "$WEIR_MIN_JAVA" ]; then
      weir_use_jdk "$JAVA_HOME"
      return 0
    fi
    tried+=("JAVA_HOME=$JAVA_HOME (${major:-not a JDK})")
  fi

  if path_java=$(command -v java 2>/dev/null); then
    if major=$(weir_java_major "$path_java") && [ "$major" -ge "$WEIR_MIN_JAVA" ]; then
      home=$(weir_java_home_of "$path_java")
      if [ -x "$home/bin/java" ]; then
        weir_use_jdk "$home"
        return 0
      fi
    fi
    tried+=("java on PATH: $path_java (${major:-unreadable version})")
  else
    tried+=("java on PATH: none")
  fi

  local roots=(/usr/lib/jvm /opt/java "${HOME:-/nonexistent}/.sdkman/candidates/java") candidates=() root
  for root in "${roots[@]}"; do
    candidates+=("$root"/*)
  done
  candidates+=(/Library/Java/JavaVirtualMachines/*/Contents/Home)
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] || continue
    if major=$(weir_java_major "$candidate/bin/java"); then
      if [ "$major" -ge "$WEIR_MIN_JAVA" ] && [ "$major" -gt "$best_major" ]; then
        best_major=$major
        best_home=$candidate
      fi
      tried+=("$candidate ($major)")
    fi
  done
  if [ -n "$best_home" ]; then
    weir_use_jdk "$best_home"
    return 0
  fi

  {
    echo "weir: no JDK $WEIR_MIN_JAVA or newer found. Tried:"
    for candidate in "${tried[@]}"; do echo "  - $candidate"; done
    echo "  - folders searched: ${roots[*]} /Library/Java/JavaVirtualMachines"
    echo "Install a JDK $WEIR_MIN_JAVA+ (for example Eclipse Temurin) or set JAVA_HOME to one."
  } >&2
  return 1
}

weir_use_jdk() {
  JAVA_HOME=$1
  export JAVA_HOME
  case ":$PATH:" in
    *":$JAVA_HOME/bin:"*) ;;
    *) PATH="$JAVA_HOME/bin:$PATH"; export PATH ;;
  esac
}
