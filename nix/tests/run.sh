#!/usr/bin/env bash
# Tests of the Nix cluster schema. Needs only nix-instantiate (Debian nix-bin, no nixpkgs) and python3.
#  1. every .nix file under nix/ parses (nix-instantiate --parse)
#  2. the lab evaluates and equals nix/examples/lab/expected-cluster-state.json; the golden file
#     is pretty-printed with `python3 -m json.tool --sort-keys` (4-space indent, ASCII);
#     regenerate it with: UPDATE_GOLDEN=1 bash nix/tests/run.sh
#  3. the lab's other outputs (installPlans, testTopology, nodeModuleArgs) and tests/minimal.nix evaluate
#  4. the lab hardware files agree with the intent (tests/check-lab-hardware.py)
#  5. every tests/broken/*.nix fails with a non-zero exit and stderr containing the substring on its
#     first line ("# expect: <substring>")
# Prints "N passed, M failed" last; exits non-zero if anything failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
nixdir=$(cd "$here/.." && pwd)
lab="$nixdir/examples/lab"
golden="$lab/expected-cluster-state.json"
store_args=()
[ "$(id -u)" -eq 0 ] || store_args=(--store dummy://)
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { passed=$((passed + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $1"; return 0; }
ko() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     /' <<<"$2"; return 0; }
evaluate() { nix-instantiate "${store_args[@]}" --eval --strict --json "$@"; }

command -v nix-instantiate >/dev/null || { echo "nix-instantiate not found (apt-get install -y nix-bin)"; echo "0 passed, 1 failed"; exit 1; }

# 1. parse
while IFS= read -r -d '' f; do
  rel=${f#"$nixdir/"}
  if out=$(nix-instantiate "${store_args[@]}" --parse "$f" 2>&1 >/dev/null); then ok "parse $rel"; else ko "parse $rel" "$out"; fi
done < <(find "$nixdir" -name '*.nix' -print0 | sort -z)

# 2. golden cluster state
if evaluate -A clusterState "$lab" >"$tmp/state.json" 2>"$tmp/err" \
   && python3 -m json.tool --sort-keys "$tmp/state.json" >"$tmp/state.pretty.json"; then
  if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$tmp/state.pretty.json" "$golden"; echo "updated $golden"; fi
  if d=$(diff -u "$golden" "$tmp/state.pretty.json" 2>&1); then ok "lab clusterState equals golden"; else ko "lab clusterState differs from $golden" "$d"; fi
else
  ko "lab clusterState evaluates" "$(cat "$tmp/err")"
fi

# 3. other outputs
for attr in installPlans testTopology nodeModuleArgs; do
  if out=$(evaluate -A "$attr" "$lab" 2>&1 >"$tmp/$attr.json"); then ok "lab $attr evaluates"; else ko "lab $attr evaluates" "$out"; fi
done
if out=$(evaluate "$here/minimal.nix" 2>&1 >/dev/null); then ok "minimal cluster evaluates"; else ko "minimal cluster evaluates" "$out"; fi

# 4. hardware facts vs. intent
if out=$(python3 "$here/check-lab-hardware.py" "$tmp/state.json" "$lab/hardware" 2>&1); then ok "lab hardware matches intent"; else ko "lab hardware matches intent" "$out"; fi

# 5. broken variants
for f in "$here"/broken/*.nix; do
  name=$(basename "$f")
  expect=$(head -n 1 "$f" | sed -n 's/^# expect: //p')
  if [ -z "$expect" ]; then ko "broken/$name: first line must be '# expect: <substring>'"; continue; fi
  if evaluate "$f" >/dev/null 2>"$tmp/err"; then
    ko "broken/$name evaluated without error (expected: $expect)"
  elif grep -qF -- "$expect" "$tmp/err"; then
    ok "broken/$name"
  else
    ko "broken/$name: stderr lacks '$expect'" "$(cat "$tmp/err")"
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
