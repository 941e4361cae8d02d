#!/usr/bin/env bash
# Records everything the reader decides, so a change meant only to make it
# faster can be shown to change nothing it decides.
#
#   bash tests/tools/reading_snapshot.sh OUT_FILE [BINARY]
#   diff OLD_FILE OUT_FILE      # must print nothing
#
# It runs `shiftcover parse` and `parse --explain` (which adds the cues, the
# rule that decided, the doubts and the diagnostics) over every message the
# project has: tests/messages, and, when present, the shared worked examples
# and the foreign corpus (/work/shared or $SHIFTCOVER_SHARED). BINARY defaults
# to the release build. The output names files relative to where they live, so
# two checkouts give comparable snapshots.
set -euo pipefail

out=${1:?usage: reading_snapshot.sh OUT_FILE [BINARY]}
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${2:-$root/target/release/shiftcover}
shared=${SHIFTCOVER_SHARED:-/work/shared}
out=$(realpath -m "$out")

[ -x "$bin" ] || { echo "no binary at $bin (cargo build --release)" >&2; exit 2; }

# One set: a config and the folder whose messages are read against it.
read_set() {
    local config=$1 dir=$2
    [ -d "$dir" ] || return 0
    local files
    mapfile -t files < <(cd "$dir" && find . -name '*.eml' | LC_ALL=C sort)
    [ ${#files[@]} -gt 0 ] || return 0
    echo "### $dir"
    (cd "$dir" && "$bin" parse --config "$config" "${files[@]}")
    (cd "$dir" && "$bin" parse --explain --config "$config" "${files[@]}")
}

{
    read_set "$root/tests/messages/shiftcover.toml" "$root/tests/messages" |
        sed "s|$root|ROOT|g"
    read_set "$shared/examples/shiftcover.toml" "$shared/examples/messages"
    read_set "$root/tests/messages/shiftcover.toml" "$shared/corpora/mail-parser-eml"
} >"$out"
echo "$(grep -c '"kind"' "$out") readings written to $out"
