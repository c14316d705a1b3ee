#!/usr/bin/env bash
# A private, local image registry (Debian's docker-registry) for pull tests.
#
#   bash scripts/sandbox/registry.sh up       start (idempotent); prints the address
#   bash scripts/sandbox/registry.sh env      print: export UNDOCK_REGISTRY=127.0.0.1:<port>
#   bash scripts/sandbox/registry.sh status   exit 0 when it answers, 3 when not
#   bash scripts/sandbox/registry.sh down [--purge]   stop it (--purge: also remove its folder)
#
# Folder: $REGISTRY_DIR, default $UNDOCK_SANDBOX/registry (the sandbox folder as
# sandbox.sh computes it). It holds our own config.yml, the blobs (data/), the
# pid file, the port and the log. REGISTRY_PORT picks the port; otherwise a
# free one is chosen once and kept.
#
# The packaged /etc/docker/registry/config.yml turns on htpasswd auth and
# listens on every interface: it is never used. Ours listens on 127.0.0.1 only,
# without auth: containerd 1.6 pulls from loopback over plain HTTP with no
# registry configuration.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
REPO_HASH=$(printf %s "$REPO" | sha1sum | cut -c1-8)
SB=${UNDOCK_SANDBOX:-/tmp/undock-$REPO_HASH}
DIR=${REGISTRY_DIR:-$SB/registry}
case "$DIR" in /*) ;; *) DIR=$PWD/$DIR ;; esac
DIR=${DIR%/}
NAME=docker-registry   # also the process's comm, which the pid file is checked against

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

say() { echo "registry: $*"; }
die() { echo "registry: $*" >&2; exit 1; }

pid_of_registry() { # the pid when the pid file's process is alive and is docker-registry
  local p
  [ -f "$DIR/registry.pid" ] || return 1
  p=$(cat "$DIR/registry.pid" 2>/dev/null) || return 1
  [ -n "$p" ] && [ -d "/proc/$p" ] || return 1
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$NAME" ] || return 1
  echo "$p"
}

address() { [ -f "$DIR/port" ] && echo "127.0.0.1:$(cat "$DIR/port")"; }

answers() { # the v2 API root answers 200 with {} when the registry is up and needs no auth
  local a
  a=$(address) || return 1
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$a/v2/" 2>/dev/null)" = 200 ]
}

pick_port() { # keep the stored (or requested) port when it is bindable, else a new free one
  node -e '
    const net = require("net");
    const want = Number(process.argv[1]) || 0;
    const listen = (p) => new Promise((res) => { const s = net.createServer(); s.once("error", () => res(0));
      s.listen(p, "127.0.0.1", () => { const got = s.address().port; s.close(() => res(got)); }); });
    (async () => { let p = want ? await listen(want) : 0; if (!p) p = await listen(0); console.log(p); })();
  ' -- "${REGISTRY_PORT:-$(cat "$DIR/port" 2>/dev/null || true)}"
}

ensure_package() {
  command -v docker-registry >/dev/null 2>&1 && return 0
  # ensure-deps.sh lists docker-registry; as root it installs what is missing, otherwise it says how.
  bash "$REPO/scripts/ensure-deps.sh" --apt >&2 || die "docker-registry is not installed (see above)"
  command -v docker-registry >/dev/null 2>&1 || die "docker-registry did not install"
}

write_config() { # PORT
  mkdir -p "$DIR/data"
  cat >"$DIR/config.yml.tmp" <<EOF
# undock's test registry: loopback only, no auth, blobs under this folder.
version: 0.1
log:
  level: info
  fields:
    service: undock-registry
storage:
  filesystem:
    rootdirectory: $DIR/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$1
  secret: $(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: false
EOF
  mv "$DIR/config.yml.tmp" "$DIR/config.yml"
}

cmd_up() {
  local p port i t0
  t0=$(date +%s%3N)
  if pid_of_registry >/dev/null && answers; then
    say "already running: pid $(pid_of_registry), http://$(address)"
    return 0
  fi
  ensure_package
  command -v curl >/dev/null 2>&1 || die "curl is needed to check the registry"
  cmd_down >/dev/null   # a hung one
  mkdir -p "$DIR"
  port=$(pick_port)
  [ -n "$port" ] && [ "$port" != 0 ] || die "no free port on 127.0.0.1"
  echo "$port" >"$DIR/port"
  write_config "$port"
  echo "---- $(date -Is) start" >>"$DIR/registry.log"
  (cd "$DIR" && exec setsid docker-registry serve "$DIR/config.yml" </dev/null >>"$DIR/registry.log" 2>&1) &
  p=$!
  echo "$p" >"$DIR/registry.pid"
  for ((i = 0; i < 100; i++)); do
    if ! [ -d "/proc/$p" ]; then
      echo "registry: docker-registry exited at start; last lines of $DIR/registry.log:" >&2
      tail -n 10 "$DIR/registry.log" >&2
      rm -f "$DIR/registry.pid"
      exit 1
    fi
    if answers; then
      say "up: pid $p, http://127.0.0.1:$port (folder $DIR) in $(($(date +%s%3N) - t0)) ms"
      return 0
    fi
    sleep 0.1
  done
  echo "registry: no answer on http://127.0.0.1:$port/v2/ within 10 s; last lines of $DIR/registry.log:" >&2
  tail -n 10 "$DIR/registry.log" >&2
  cmd_down >/dev/null
  exit 1
}

cmd_down() {
  local p i
  if p=$(pid_of_registry); then
    kill -TERM "$p" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do [ -d "/proc/$p" ] || break; sleep 0.1; done
    if [ -d "/proc/$p" ]; then kill -KILL "$p" 2>/dev/null || true; sleep 0.1; fi
    say "stopped pid $p"
  fi
  rm -f "$DIR/registry.pid"
  if [ "${1:-}" = --purge ]; then
    rm -rf "$DIR"
    say "removed $DIR"
  fi
}

cmd_status() {
  if pid_of_registry >/dev/null && answers; then
    say "running: pid $(pid_of_registry), http://$(address) (folder $DIR)"
  else
    say "not running (folder $DIR)"
    exit 3
  fi
}

cmd_env() {
  local a
  a=$(address) || die "no registry set up in $DIR: run 'bash scripts/sandbox/registry.sh up'"
  echo "export UNDOCK_REGISTRY=$a"
}

case "${1:-}" in
  up) cmd_up ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) echo "usage: bash scripts/sandbox/registry.sh up|down [--purge]|status|env   (folder: $DIR)" >&2; exit 2 ;;
esac
