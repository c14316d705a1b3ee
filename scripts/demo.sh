#!/usr/bin/env bash
# npm run demo: installs what is missing, brings the sandbox up, seeds it and opens undock on it.
# The sandbox stays up afterwards for ctr/etcdctl; `npm run sandbox -- down` stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-deps.sh
npm run -s build
bash scripts/sandbox.sh up >&2
bash scripts/sandbox.sh seed >&2
eval "$(bash scripts/sandbox.sh env)"
status=0
node dist/main.js "$@" || status=$?
echo "undock: the sandbox is still running (eval \"\$(npm run -s sandbox -- env)\" to use it with ctr and etcdctl; npm run sandbox -- down to stop it)" >&2
exit "$status"
