#!/usr/bin/env bash
# Builds the project twice from clean copies and compares every jar byte for byte.
#
#   scripts/check-reproducible.sh [--worktree] [--keep] [maven args...]
#
# By default both copies are the committed tree (git archive HEAD); --worktree copies the working
# tree instead (tracked and untracked files that git does not ignore), to check before committing.
# The two builds differ in everything a reproducible build must not depend on: the directory (and
# its depth), the time zone, the locale and the umask. Each runs
#   ./mvnw -B package -DskipTests -Prelease [maven args...]
# so the sources and Javadoc jars are compared too; pass -o to build offline. Tests are skipped:
# they do not change what is packaged.
#
# Exits 0 when both builds made the same jars with the same bytes, 1 when any jar differs or is
# missing from one build (the differing entries are listed), 2 when a build fails. --keep leaves
# the copies and the build logs in place (their folder is printed).
set -euo pipefail

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

from=head
keep=false
maven_args=()
for arg in "$@"; do
  case "$arg" in
    --worktree) from=worktree ;;
    --keep) keep=true ;;
    -h | --help) usage; exit 0 ;;
    *) maven_args+=("$arg") ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/reproducible.XXXXXX")"
if [ "$keep" = false ]; then
  trap 'rm -rf -- "$work"' EXIT
fi

copy() { # copy DESTINATION: the sources only, never a target/ folder
  mkdir -p "$1"
  if [ "$from" = head ]; then
    git -C "$root" archive --format=tar HEAD | tar -x -C "$1"
  else
    (cd "$root" && git ls-files -z --cached --others --exclude-standard \
      | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
      | tar --null -T - -cf -) | tar -x -C "$1"
  fi
}

build() { # build DIRECTORY LOG TZ LOCALE UMASK
  local dir="$1" log="$2"
  echo "building in $dir (TZ=$3, LC_ALL=$4, umask $5)"
  if ! (cd "$dir" && umask "$5" && TZ="$3" LC_ALL="$4" \
      ./mvnw -B package -DskipTests -Prelease ${maven_args[@]+"${maven_args[@]}"} >"$log" 2>&1); then
    echo "the build in $dir failed; the end of its log ($log):" >&2
    tail -n 40 "$log" >&2
    keep=true
    trap - EXIT
    exit 2
  fi
}

first="$work/one/completions"
second="$work/two/deeper/completions-again"
copy "$first"
copy "$second"
if [ "$from" = head ]; then
  echo "comparing two builds of $(git -C "$root" rev-parse --short HEAD)"
else
  echo "comparing two builds of the working tree"
fi

start=$SECONDS
build "$first" "$work/one.log" UTC C.UTF-8 022
echo "  built in $((SECONDS - start)) s"
start=$SECONDS
build "$second" "$work/two.log" Pacific/Chatham en_US.UTF-8 002
echo "  built in $((SECONDS - start)) s"

# the jars directly in each module's target/ folder (not those the tests leave deeper down)
jars() { (cd "$1" && find . -type f -name '*.jar' -path '*/target/*.jar' | grep -E '/target/[^/]+\.jar$' | sort); }

jars "$first" >"$work/one.jars"
jars "$second" >"$work/two.jars"
status=0
if ! diff -u "$work/one.jars" "$work/two.jars" >"$work/lists.diff"; then
  echo "the two builds made different sets of jars:"
  cat "$work/lists.diff"
  status=1
fi

entries() { unzip -v "$1" | awk 'NR > 3 && $1 ~ /^[0-9]+$/ && NF >= 8 {print $8, $1, $5, $6, $7}' | sort; }

compared=0
differing=0
while IFS= read -r jar; do
  [ -f "$second/$jar" ] || continue
  compared=$((compared + 1))
  if cmp -s "$first/$jar" "$second/$jar"; then
    continue
  fi
  differing=$((differing + 1))
  status=1
  echo "DIFFERS: ${jar#./}"
  # name, size, time and CRC of every entry; the lines that differ say which entries and how
  diff <(entries "$first/$jar") <(entries "$second/$jar") | sed -n '1,20p' | sed 's/^/    /' || true
done <"$work/one.jars"

if [ "$status" -eq 0 ]; then
  echo "REPRODUCIBLE: $compared jars, byte for byte identical"
else
  echo "NOT REPRODUCIBLE: $differing of $compared jars differ"
fi
if [ "$keep" = true ]; then
  echo "copies and logs kept in $work"
fi
exit "$status"
