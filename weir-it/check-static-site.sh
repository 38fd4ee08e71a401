#!/usr/bin/env bash
# Walks a static site folder and checks, with curl, that a running Weir serves every file of it:
#   * GET: 200, the body byte-identical to the file, Content-Type as the embedded default's
#     system.webServer/staticContent MIME map says (404 for an extension it does not map: 404.3);
#   * revalidation: If-None-Match: <ETag> and If-Modified-Since: <Last-Modified> give 304, no body;
#   * Range: bytes=10-99 on a file of 100 bytes or more gives 206, those bytes, Content-Range;
#   * every folder without its trailing slash gives 301 to the one with it, and / gives 200 text/html
#     when the folder has an index.html.
#
# Usage: weir-it/check-static-site.sh DIR BASE_URL
#   e.g. ./weir serve --root DIR --port 18181 &  weir-it/check-static-site.sh DIR http://127.0.0.1:18181
# The MIME map is read from weir-config's embedded applicationHost.config (WEIR_CONFIG overrides).
# Prints "N files checked, M failed" and exits 1 when anything failed, 2 on a usage error.
set -euo pipefail

if [[ $# -ne 2 || ! -d $1 ]]; then
    echo "usage: $0 DIR BASE_URL   (DIR: the folder Weir serves as its site root)" >&2
    exit 2
fi
root=$(cd "$1" && pwd)
base=${2%/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
config=${WEIR_CONFIG:-$here/../weir-config/src/main/resources/io/weir/config/applicationHost.config}
[[ -f $config ]] || { echo "$0: no configuration at $config (set WEIR_CONFIG)" >&2; exit 2; }
command -v curl >/dev/null || { echo "$0: curl is needed" >&2; exit 2; }

# fileExtension (lower case) -> mimeType, from <staticContent>, XML comments removed.
declare -A mime
while IFS=$'\t' read -r ext type; do
    mime[${ext,,}]=$type
done < <(awk '
    { line = line $0 "\n" }
    END {
        while ((s = index(line, "<!--")) > 0) {
            rest = substr(line, s + 4); e = index(rest, "-->")
            line = substr(line, 1, s - 1) (e > 0 ? substr(rest, e + 3) : "")
        }
        s = index(line, "<staticContent"); e = index(line, "</staticContent>")
        if (s == 0 || e == 0) exit
        n = split(substr(line, s, e - s), parts, "<mimeMap")
        for (i = 2; i <= n; i++) {
            if (match(parts[i], /fileExtension="[^"]*"/)) ext = substr(parts[i], RSTART + 15, RLENGTH - 16); else continue
            if (match(parts[i], /mimeType="[^"]*"/)) print ext "\t" substr(parts[i], RSTART + 10, RLENGTH - 11)
        }
    }' "$config")
(( ${#mime[@]} > 0 )) || { echo "$0: no mimeMap found in $config" >&2; exit 2; }

# IIS's lookup: the extension from the last dot, any case; "." for none; "*" as the fallback.
mime_of() {
    local name=${1##*/} ext
    if [[ $name == *.* ]]; then ext=".${name##*.}"; ext=${ext,,}; else ext="."; fi
    if [[ -n ${mime[$ext]+x} ]]; then printf '%s' "${mime[$ext]}"
    elif [[ -n ${mime['*']+x} ]]; then printf '%s' "${mime['*']}"
    fi
}

# Percent-encodes a relative path segment by segment (UTF-8 bytes; '/' kept).
urlencode() {
    local LC_ALL=C s=$1 out="" c i
    for (( i = 0; i < ${#s}; i++ )); do
        c=${s:i:1}
        case $c in
            [a-zA-Z0-9._~/-]) out+=$c ;;
            *) printf -v c '%%%02X' "'$c"; out+=$c ;;
        esac
    done
    printf '%s' "$out"
}

header() { grep -i "^$1:" "$2" | head -n1 | sed -e 's/^[^:]*:[[:space:]]*//' -e 's/\r$//' || true; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=0 failed=0 folders=0 folders_failed=0
declare -A kinds=()

fail() { echo "FAIL $*"; }

# GETs a URL (extra curl options first) into $tmp/body and $tmp/h, both emptied first (curl leaves
# the output file alone when no body comes, as for a 304); prints the status, 000 when curl failed.
fetch() {
    : >"$tmp/body"; : >"$tmp/h"
    curl -s -g -o "$tmp/body" -D "$tmp/h" -w '%{http_code}' "$@" || true
}

check_file() {   # $1 relative path; returns 1 on a failure
    local rel=$1 file="$root/$1" url expected code ok=0 etag lm size
    url="$base/$(urlencode "$rel")"
    expected=$(mime_of "$rel")
    code=$(fetch "$url")
    if [[ -z $expected ]]; then
        kinds[unmapped]=$(( ${kinds[unmapped]:-0} + 1 ))
        [[ $code == 404 ]] || { fail "$url (no mimeMap): status $code, expected 404 (404.3)"; return 1; }
        grep -q '404\.3' "$tmp/body" || { fail "$url (no mimeMap): the error page does not name 404.3"; return 1; }
        return 0
    fi
    case $expected in
        text/html) kinds[html]=$(( ${kinds[html]:-0} + 1 )) ;;
        text/css) kinds[css]=$(( ${kinds[css]:-0} + 1 )) ;;
        text/javascript|application/javascript) kinds[js]=$(( ${kinds[js]:-0} + 1 )) ;;
        image/*) kinds[image]=$(( ${kinds[image]:-0} + 1 )) ;;
        font/*|application/font-*|application/vnd.ms-fontobject) kinds[font]=$(( ${kinds[font]:-0} + 1 )) ;;
        *) kinds[other]=$(( ${kinds[other]:-0} + 1 )) ;;
    esac
    [[ $code == 200 ]] || { fail "$url: status $code, expected 200"; return 1; }
    cmp -s "$tmp/body" "$file" || { fail "$url: body differs from the file"; ok=1; }
    [[ $(header Content-Type "$tmp/h") == "$expected" ]] \
        || { fail "$url: Content-Type '$(header Content-Type "$tmp/h")', expected '$expected'"; ok=1; }
    etag=$(header ETag "$tmp/h"); lm=$(header Last-Modified "$tmp/h")
    if [[ -z $etag || -z $lm ]]; then
        fail "$url: 200 without ETag ('$etag') or Last-Modified ('$lm')"; return 1
    fi
    code=$(fetch -H "If-None-Match: $etag" "$url")
    [[ $code == 304 && ! -s $tmp/body ]] || { fail "$url with If-None-Match: $etag: status $code, $(wc -c <"$tmp/body") body bytes, expected 304 and none"; ok=1; }
    code=$(fetch -H "If-Modified-Since: $lm" "$url")
    [[ $code == 304 && ! -s $tmp/body ]] || { fail "$url with If-Modified-Since: $lm: status $code, $(wc -c <"$tmp/body") body bytes, expected 304 and none"; ok=1; }
    size=$(wc -c <"$file" | tr -d ' ')
    if (( size >= 100 )); then
        code=$(fetch -H 'Range: bytes=10-99' "$url")
        tail -c +11 "$file" | head -c 90 >"$tmp/part"
        [[ $code == 206 ]] || { fail "$url with Range: bytes=10-99: status $code, expected 206"; ok=1; }
        [[ $(header Content-Range "$tmp/h") == "bytes 10-99/$size" ]] \
            || { fail "$url with Range: bytes=10-99: Content-Range '$(header Content-Range "$tmp/h")', expected 'bytes 10-99/$size'"; ok=1; }
        cmp -s "$tmp/body" "$tmp/part" || { fail "$url with Range: bytes=10-99: body is not bytes 10-99 of the file"; ok=1; }
    fi
    return $ok
}

while IFS= read -r -d '' f; do
    rel=${f#"$root"/}
    files=$((files + 1))
    check_file "$rel" || failed=$((failed + 1))
done < <(find "$root" -type f -print0 | sort -z)

while IFS= read -r -d '' d; do
    rel=${d#"$root"/}
    folders=$((folders + 1))
    url="$base/$(urlencode "$rel")"
    code=$(fetch "$url")
    loc=$(header Location "$tmp/h")
    if [[ $code != 301 || ( $loc != "$url/" && $loc != "/$(urlencode "$rel")/" ) ]]; then
        fail "$url: status $code Location '$loc', expected 301 to $url/"; folders_failed=$((folders_failed + 1))
    fi
done < <(find "$root" -mindepth 1 -type d -print0 | sort -z)

if [[ -f $root/index.html ]]; then
    folders=$((folders + 1))
    code=$(fetch "$base/")
    if [[ $code != 200 || $(header Content-Type "$tmp/h") != text/html ]] || ! cmp -s "$tmp/body" "$root/index.html"; then
        fail "$base/: status $code Content-Type '$(header Content-Type "$tmp/h")', expected 200 text/html with index.html"
        folders_failed=$((folders_failed + 1))
    fi
fi

summary=""
for k in html css js image font other unmapped; do summary+=" $k=${kinds[$k]:-0}"; done
echo "kinds:$summary"
echo "$folders folder URLs checked (301 without the slash; / serves index.html), $folders_failed failed"
echo "$files files checked, $failed failed"
(( failed == 0 && folders_failed == 0 ))
