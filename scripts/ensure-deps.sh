#!/usr/bin/env bash
# Make sure the machine has what undock's sandbox and tests need.
#
#   bash scripts/ensure-deps.sh          Debian packages, then `npm ci` when needed
#   bash scripts/ensure-deps.sh --apt    Debian packages only (used by `sandbox.sh up`)
#   bash scripts/ensure-deps.sh --npm    `npm ci` only
#
# Missing Debian packages are installed when running as root (apt-get update
# once, then apt-get install). Otherwise the exact command to run is printed
# and the script exits 1.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PKGS=(containerd runc containernetworking-plugins etcd-server etcd-client busybox-static gcc libc6-dev iproute2 docker-registry openssl curl openssh-client openssh-server)

do_apt=1 do_npm=1
case "${1:-}" in
  --apt) do_npm=0 ;;
  --npm) do_apt=0 ;;
  "") ;;
  *) echo "usage: bash scripts/ensure-deps.sh [--apt|--npm]" >&2; exit 2 ;;
esac

installed() { # true when the Debian package is installed
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = installed ]
}

if [ $do_apt = 1 ]; then
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "ensure-deps: this is not a Debian-like system (no dpkg-query); install by hand: ${PKGS[*]}" >&2
    exit 1
  fi
  missing=()
  for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "ensure-deps: missing Debian packages: ${missing[*]}" >&2
      echo "ensure-deps: run as root: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}" >&2
      exit 1
    fi
    echo "ensure-deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    for p in "${missing[@]}"; do
      installed "$p" || { echo "ensure-deps: $p did not install" >&2; exit 1; }
    done
  fi
fi

if [ $do_npm = 1 ]; then
  cd "$REPO"
  # The lockfile's content, not its date, says whether node_modules is current: a fresh checkout
  # (a clone, a git worktree) has a new date on an unchanged lockfile.
  stamp=node_modules/.undock-lock.sha256
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ -L node_modules ] && [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    # A link to a shared install (a worktree's): npm ci would empty the folder it points to, under
    # every checkout that uses it. Say so and go on with what is there.
    echo "ensure-deps: node_modules links to $(readlink node_modules), installed from another package-lock.json; not running npm ci through the link" >&2
  elif [ ! -d node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "ensure-deps: npm ci" >&2
    npm ci --no-audit --no-fund >&2
    echo "$want" > "$stamp"
  fi
fi
