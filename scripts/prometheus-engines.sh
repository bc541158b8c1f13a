#!/usr/bin/env bash
# Fetches the two Prometheus engines the tests run on, Debian bookworm's 2.x and the newest
# suite's 3.x, as extracted packages in a cache folder: nothing is installed on the system.
# Prints the folder. Usage: scripts/prometheus-engines.sh [cache-folder]
set -euo pipefail

cache="${1:-${INFERBOARD_PROMETHEUS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/inferboard/prometheus}}"
mkdir -p "$cache"

# The machine's own Debian source entry, with its suite changed: same mirror, same keyring.
source_entry() {
  local suite="$1" file
  for file in /etc/apt/sources.list.d/*.sources; do
    if grep -q '^URIs: .*debian/\?$' "$file" 2>/dev/null; then
      awk -v suite="$suite" '
        /^$/ { if (keep) exit; next }
        /^URIs:/ && $2 ~ /debian\/?$/ { keep = 1 }
        { lines[++n] = $0 }
        END { for (i = 1; i <= n; i++) { if (lines[i] ~ /^Suites:/) print "Suites: " suite; else print lines[i] } }
      ' "$file"
      return 0
    fi
  done
  if [ -f /etc/apt/sources.list ]; then
    local line
    line="$(grep -m1 -E '^deb [^ ]*debian/? ' /etc/apt/sources.list)" || return 1
    echo "$line" | awk -v suite="$suite" '{ $3 = suite; print }'
    return 0
  fi
  return 1
}

fetch_engine() {
  local suite="$1" target="$cache/$1"
  if [ -x "$target/usr/bin/promtool" ] && [ -x "$target/usr/bin/prometheus" ]; then return 0; fi
  local work
  work="$(mktemp -d "$cache/.fetch-$suite.XXXXXX")"
  mkdir -p "$work/sources" "$work/lists/partial" "$work/archives/partial" "$work/debs"
  local entry
  entry="$(source_entry "$suite")" || { echo "no Debian source entry in /etc/apt to derive $suite from" >&2; exit 1; }
  if [[ "$entry" == deb\ * ]]; then echo "$entry" >"$work/sources/$suite.list"; else echo "$entry" >"$work/sources/$suite.sources"; fi
  local apt=(-o "Dir::Etc::sourcelist=/dev/null" -o "Dir::Etc::sourceparts=$work/sources"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::archives=$work/archives"
    -o "Dir::State::status=/dev/null" -o "Debug::NoLocking=1" -o "APT::Get::List-Cleanup=0"
    -o "APT::Sandbox::User=$(id -un)")
  echo "fetching Prometheus from Debian $suite into $target" >&2
  apt-get "${apt[@]}" -qq update >&2
  # Newer suites ship promtool as a package of its own; bookworm's prometheus package holds it.
  (cd "$work/debs" && { apt-get "${apt[@]}" -qq download prometheus promtool 2>/dev/null ||
    apt-get "${apt[@]}" -qq download prometheus; } >&2)
  mkdir -p "$work/root"
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
  "$work/root/usr/bin/promtool" --version >/dev/null
  rm -rf "$target"
  mv "$work/root" "$target"
  rm -rf "$work"
}

fetch_engine bookworm
fetch_engine sid
echo "$cache"
