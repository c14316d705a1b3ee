#!/usr/bin/env bash
# npm test: installs what is missing, builds, starts a private sandbox (containerd + etcd), seeds it,
# runs every test layer against it, and stops the sandbox whatever happens.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-deps.sh
npm run -s build
npx tsc -p tsconfig.test.json   # tests and scripts are type-checked too

# A sandbox of its own, so a demo left running is never touched.
export UNDOCK_SANDBOX="${UNDOCK_TEST_SANDBOX:-/tmp/undock-test-$$}"
cleanup() { bash scripts/sandbox.sh down --purge >&2 || true; }
trap cleanup EXIT
bash scripts/sandbox.sh up >&2
bash scripts/sandbox.sh seed >&2
eval "$(bash scripts/sandbox.sh env)"

# Files or folders (`npm test -- test/unit`): node --test given a folder runs nothing in it.
mapfile -t files < <(find "${@:-test}" \( -name '*.test.ts' -o -name '*.test.tsx' \) | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "test: no *.test.ts(x) in: ${*:-test}" >&2; exit 2; fi
node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
