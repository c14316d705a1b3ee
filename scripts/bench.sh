#!/usr/bin/env bash
# npm run bench: installs what is missing, builds, starts a private sandbox (containerd + etcd),
# seeds it, runs every bench/*.bench.ts against it (or the files given), and stops the sandbox
# whatever happens. Speed budgets are ratios against the daemons' own CLIs on the same data in the
# same run, or generous absolute limits where there is no CLI to compare with; each bench prints
# its figures and budgets. Exits 1 when a budget is exceeded, 2 when a bench could not run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

started=$(date +%s)
bash scripts/ensure-deps.sh
npm run -s build   # the pty figures measure the built CLI, as users run it
npx tsc -p tsconfig.test.json   # source, tests, scripts and bench/

# A sandbox of its own (never the one a shell's `sandbox.sh env` points at: it is purged after).
export UNDOCK_SANDBOX="${UNDOCK_BENCH_SANDBOX:-/tmp/undock-bench-$$}"
cleanup() { bash scripts/sandbox.sh down --purge >&2 || true; }
trap cleanup EXIT
bash scripts/sandbox.sh up >&2
bash scripts/sandbox.sh seed >&2
eval "$(bash scripts/sandbox.sh env)"

export UNDOCK_BENCH_RESULTS="$PWD/bench/results.d"
rm -rf "$UNDOCK_BENCH_RESULTS"
mapfile -t files < <(find bench -name '*.bench.ts' | sort)
if [ "$#" -gt 0 ]; then files=("$@"); fi
status=0
for f in "${files[@]}"; do
  rc=0
  node --import tsx "$f" || rc=$?
  if [ "$rc" -gt "$status" ]; then status=$rc; fi
done
rc=0
node --import tsx bench/summary.ts || rc=$?   # one table of every budget, and bench/results.json
if [ "$rc" -gt "$status" ]; then status=$rc; fi
echo "bench: $(( $(date +%s) - started )) s in all (build and sandbox included); exit $status" >&2
exit "$status"
