#!/usr/bin/env bash
# undock's sandbox: a private containerd (with CRI) and a private etcd, started
# by the project itself, with locally built images and seeded demo data.
#
#   bash scripts/sandbox.sh up        start (idempotent), build + import images
#        [--etcd-members N]  etcd as an N-member cluster on loopback (default 1; kept between runs)
#        [--etcd-v2|--no-etcd-v2]  etcd's v2 API on/off (default off; kept between runs)
#        [--etcd-only]       only etcd: no containerd, network or images
#   bash scripts/sandbox.sh seed      (re)create demo containers, CRI pods, etcd keys
#   bash scripts/sandbox.sh status    show processes/endpoints; exit 0 all up, 3 not
#   bash scripts/sandbox.sh env       print export lines (eval "$(bash scripts/sandbox.sh env)")
#   bash scripts/sandbox.sh down [--purge]   stop everything it started (--purge: rm the folder)
#   bash scripts/sandbox.sh etcd-kill I      SIGKILL etcd member I (a crash); prints its name
#   bash scripts/sandbox.sh etcd-start I     start etcd member I again, wait until healthy; prints its name
#
# Folder: $UNDOCK_SANDBOX, default /tmp/undock-<8 hex of sha1(repo realpath)>.
# Everything lives there, except CNI's host-local IP store
# /var/lib/cni/networks/<netname> (per-sandbox name, cleaned on down), the
# pods' bridge interface and cgroups /sys/fs/cgroup/*/undock-<id> (removed on
# down) and containerd 1.6's shim sockets in /run/containerd/s (hash-named).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
HERE=$REPO/scripts/sandbox
REPO_HASH=$(printf %s "$REPO" | sha1sum | cut -c1-8)
SB=${UNDOCK_SANDBOX:-/tmp/undock-$REPO_HASH}
case "$SB" in /*) ;; *) SB=$PWD/$SB ;; esac
SB=${SB%/}
[ -d "$SB" ] && SB=$(cd "$SB" && pwd -P)

# per-sandbox identity: network name, bridge, cgroup parent, subnet
if [ "$SB" = "/tmp/undock-$REPO_HASH" ]; then ID=$REPO_HASH; else ID=$(printf %s "$SB" | sha1sum | cut -c1-8); fi
NETNAME=undock-$ID            # 15 chars
RUN_NETNAME=udkrun-$ID        # the network undock's run form gives containers (its own subnet on the same bridge)
BRIDGE=udk$ID                 # 11 chars (IFNAMSIZ-1 = 15)
CGROUP_PARENT=/undock-$ID
SOCK=$SB/c.sock
CNI_STATE=/var/lib/cni

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
# a caller's `eval "$(sandbox.sh env)"` must not leak into our own calls: etcdctl
# 3.4 refuses a flag that an ETCDCTL_* variable also sets
for _v in $(compgen -e | grep -E '^(ETCDCTL_|CONTAINERD_)' || true); do unset "$_v"; done
unset _v

say() { echo "sandbox: $*"; }
warn() { echo "sandbox: $*" >&2; }
die() { echo "sandbox: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    bash "$REPO/scripts/ensure-deps.sh" --apt || true
    die "root is needed to run containerd and etcd for the sandbox: run 'sudo bash scripts/sandbox.sh $1' (or 'sudo npm run sandbox -- $1')"
  fi
}

lock() { # serialise up/seed/down on one sandbox; daemons never inherit fd 9
  mkdir -p "$SB"
  exec 9>"$SB/.lock"
  flock -w 120 9 || die "another sandbox command holds $SB/.lock"
}

# ---------------------------------------------------------------- processes --
pid_of() { # NAME -> pid if the pid file's process is alive and is NAME
  local f=$SB/$1.pid p
  [ -f "$f" ] || return 1
  p=$(cat "$f" 2>/dev/null) || return 1
  [ -n "$p" ] && [ -d "/proc/$p" ] || return 1
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$1" ] || return 1
  echo "$p"
}

ctr_() { ctr --address "$SOCK" "$@"; }

containerd_ok() {
  pid_of containerd >/dev/null && [ -S "$SOCK" ] && timeout 3 ctr --address "$SOCK" version >/dev/null 2>&1
}

# etcd members 0..N-1 run on loopback. Member 0 keeps the single-member file
# names (etcd.pid, etcd.ports "CLIENT PEER", etcd.log), member I>0 uses
# etcd-I.*; data in $SB/etcd-I ($SB/etcd for a sandbox made before members
# existed). Settings kept between runs: etcd.members (N), etcd.v2 (v2 API on),
# etcd-only (no containerd).
etcd_members() { cat "$SB/etcd.members" 2>/dev/null || echo 1; }
etcd_base() { if [ "$1" = 0 ]; then echo etcd; else echo "etcd-$1"; fi; }
etcd_name() { echo "undock-$ID-$1"; }
etcd_data() {
  if [ "$1" = 0 ] && [ -d "$SB/etcd" ] && ! [ -d "$SB/etcd-0" ]; then echo "$SB/etcd"; else echo "$SB/etcd-$1"; fi
}
etcd_member_pid() { # I -> pid if member I's pid file names a live etcd
  local f p
  f=$SB/$(etcd_base "$1").pid
  [ -f "$f" ] || return 1
  p=$(cat "$f" 2>/dev/null) || return 1
  [ -n "$p" ] && [ -d "/proc/$p" ] || return 1
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = etcd ] || return 1
  etcd_gone "$p" && return 1
  echo "$p"
}
etcd_client_url() { # I -> member I's client URL
  local f
  f=$SB/$(etcd_base "$1").ports
  [ -f "$f" ] && echo "http://127.0.0.1:$(cut -d' ' -f1 "$f")"
}
etcd_endpoint() { # every member's client URL, comma separated
  local n i u out=""
  n=$(etcd_members)
  for ((i = 0; i < n; i++)); do u=$(etcd_client_url "$i") || return 1; out+=${out:+,}$u; done
  echo "$out"
}
etcd_member_healthy() { # I
  local ep
  ep=$(etcd_client_url "$1") || return 1
  ETCDCTL_API=3 timeout 3 etcdctl --endpoints "$ep" --dial-timeout 1s --command-timeout 2s endpoint health >/dev/null 2>&1
}

etcd_ok() { # every member runs and answers a (quorum) health check
  local n i eps
  n=$(etcd_members)
  for ((i = 0; i < n; i++)); do etcd_member_pid "$i" >/dev/null || return 1; done
  eps=$(etcd_endpoint) || return 1
  ETCDCTL_API=3 timeout 5 etcdctl --endpoints "$eps" --dial-timeout 2s --command-timeout 2s endpoint health >/dev/null 2>&1
}

etcd_only() { [ -f "$SB/etcd-only" ]; }

stop_pid() { # NAME [timeout-seconds]: TERM, wait, KILL
  local p i n=$((${2:-5} * 10))
  p=$(pid_of "$1") || { rm -f "$SB/$1.pid"; return 0; }
  kill -TERM "$p" 2>/dev/null || true
  for ((i = 0; i < n; i++)); do [ -d "/proc/$p" ] || break; sleep 0.1; done
  if [ -d "/proc/$p" ]; then warn "$1 (pid $p) ignored SIGTERM, killing"; kill -KILL "$p" 2>/dev/null || true; sleep 0.1; fi
  rm -f "$SB/$1.pid"
}

# shims of THIS sandbox: their argv carries "-address $SOCK" exactly
our_shims() {
  local p a prev
  for p in $(pgrep -f containerd-shim 2>/dev/null || true); do
    prev=""
    while IFS= read -r -d '' a; do
      if [ "$prev" = "-address" ] && [ "$a" = "$SOCK" ]; then echo "$p"; break; fi
      prev=$a
    done <"/proc/$p/cmdline" 2>/dev/null || true
  done
}

shim_arg() { # PID FLAG -> the argument after FLAG in the process's argv
  local a prev=""
  while IFS= read -r -d '' a; do
    if [ "$prev" = "$2" ]; then echo "$a"; return 0; fi
    prev=$a
  done <"/proc/$1/cmdline" 2>/dev/null || true
}

free_ports() { # COUNT [P...] -> COUNT ports: the given ones when all are bindable, else COUNT new distinct ones
  node -e '
    const net = require("net");
    const count = Number(process.argv[1]);
    const want = process.argv.slice(2).map(Number).filter(Boolean);
    const tryPort = (p) => new Promise((res) => { const s = net.createServer(); s.once("error", () => res(0));
      s.listen(p, "127.0.0.1", () => { const got = s.address().port; s.close(() => res(got)); }); });
    const hold = () => new Promise((res) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => res(s)); });
    (async () => {
      if (want.length === count) { const got = [];
        for (const p of want) got.push(await tryPort(p));
        if (got.every(Boolean)) { console.log(got.join(" ")); return; } }
      const held = [];
      for (let i = 0; i < count; i++) held.push(await hold());
      console.log(held.map((s) => s.address().port).join(" ")); held.forEach((s) => s.close());
    })();' -- "$@"
}

# ------------------------------------------------------------------ network --
pick_subnet() { # stable per sandbox, stored in $SB/net.env; avoids routes in use
  if [ -f "$SB/net.env" ]; then . "$SB/net.env"; pick_run_subnet; return; fi
  local a=$((16#${ID:0:2})) b=$((16#${ID:2:2})) i o2 o3 used
  used=$(ip -4 -o route show 2>/dev/null | awk '{print $1}'; ip -4 -o addr show 2>/dev/null | awk '{print $4}')
  for ((i = 0; i < 256; i++)); do
    o2=$((128 + a % 64)); o3=$(((b + i) % 256))
    if ! grep -q "^10\.$o2\.$o3\." <<<"$used"; then break; fi
  done
  SUBNET=10.$o2.$o3.0/24; GATEWAY=10.$o2.$o3.1
  printf 'SUBNET=%s\nGATEWAY=%s\n' "$SUBNET" "$GATEWAY" >"$SB/net.env"
  pick_run_subnet
}

pick_run_subnet() { # undock's run network: second octet 64 above the CRI one's (128-191), so never one of those
  [ -n "${RUN_SUBNET:-}" ] && return
  local o2 o3
  o2=$(cut -d. -f2 <<<"$SUBNET"); o3=$(cut -d. -f3 <<<"$SUBNET")
  RUN_SUBNET=10.$((o2 + 64)).$o3.0/24; RUN_GATEWAY=10.$((o2 + 64)).$o3.1
  printf 'RUN_SUBNET=%s\nRUN_GATEWAY=%s\n' "$RUN_SUBNET" "$RUN_GATEWAY" >>"$SB/net.env"
}

write_cni() {
  mkdir -p "$SB/cni/net.d"
  # isGateway=false + a bridge we create with the gateway address: the host
  # reaches pod IPs without the bridge plugin turning on ip_forward; no ipMasq,
  # no portmap: host iptables are left alone. CRI adds loopback by itself.
  cat >"$SB/cni/net.d/10-undock.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$NETNAME",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": false,
      "isDefaultGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$SUBNET", "gateway": "$GATEWAY" }]],
        "routes": [{ "dst": "0.0.0.0/0", "gw": "$GATEWAY" }]
      }
    }
  ]
}
EOF
}

write_run_cni() { # undock's run network (UNDOCK_CNI_CONFLIST): not in net.d, which CRI reads
  mkdir -p "$SB/cni"
  cat >"$SB/cni/run.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$RUN_NETNAME",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$RUN_SUBNET", "gateway": "$RUN_GATEWAY" }]],
        "routes": [{ "dst": "0.0.0.0/0", "gw": "$RUN_GATEWAY" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
}

ensure_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
  fi
  # Read once, then grep: under pipefail, `ip ... | grep -q` fails when grep exits before ip has
  # written (SIGPIPE, 1 run in 8 here), and adding an address that is there exits 2.
  local addrs
  addrs=$(ip -4 addr show dev "$BRIDGE")
  grep -q "inet $GATEWAY/" <<<"$addrs" || ip addr add "$GATEWAY/24" dev "$BRIDGE"
  grep -q "inet $RUN_GATEWAY/" <<<"$addrs" || ip addr add "$RUN_GATEWAY/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

# -------------------------------------------------------------- snapshotter --
pick_snapshotter() {
  if [ -f "$SB/snapshotter" ]; then SNAPSHOTTER=$(cat "$SB/snapshotter"); return; fi
  local t=$SB/.ovltest
  rm -rf "$t"; mkdir -p "$t"/{lower,upper,work,merged}
  echo ok >"$t/lower/f"
  if mount -t overlay overlay -o "lowerdir=$t/lower,upperdir=$t/upper,workdir=$t/work" "$t/merged" 2>/dev/null; then
    if [ "$(cat "$t/merged/f" 2>/dev/null)" = ok ]; then SNAPSHOTTER=overlayfs; else SNAPSHOTTER=native; fi
    umount "$t/merged" 2>/dev/null || umount -l "$t/merged" || true
  else
    SNAPSHOTTER=native
  fi
  rm -rf "$t"
  [ "$SNAPSHOTTER" = native ] && warn "overlay mounts fail under $SB: using the native snapshotter"
  echo "$SNAPSHOTTER" >"$SB/snapshotter"
}

write_config() {
  local goarch
  case "$(uname -m)" in x86_64) goarch=amd64 ;; aarch64) goarch=arm64 ;; *) goarch=$(uname -m) ;; esac
  sed -e "s|@SB@|$SB|g" -e "s|@SNAPSHOTTER@|$SNAPSHOTTER|g" -e "s|@NETNAME@|$NETNAME|g" -e "s|@GOARCH@|$goarch|g" \
    "$HERE/containerd.toml.in" >"$SB/containerd.toml"
}

# ------------------------------------------------------------------- daemons --
start_containerd() {
  local p i
  mkdir -p "$SB"/{root,state,tmp,opt,runc,logs,pods}
  echo "---- $(date -Is) start" >>"$SB/containerd.log"
  (cd "$SB" && exec setsid containerd --config "$SB/containerd.toml" </dev/null >>"$SB/containerd.log" 2>&1 9>&-) &
  p=$!
  echo "$p" >"$SB/containerd.pid"
  for ((i = 0; i < 200; i++)); do
    if ! [ -d "/proc/$p" ]; then
      warn "containerd exited at start; last lines of $SB/containerd.log:"; tail -n 15 "$SB/containerd.log" >&2; exit 1
    fi
    if [ -S "$SOCK" ] && ctr --address "$SOCK" version >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  warn "containerd did not answer on $SOCK within 20 s; last lines of $SB/containerd.log:"
  tail -n 15 "$SB/containerd.log" >&2
  exit 1
}

check_snapshotter_plugin() { # containerd may still refuse overlayfs on this file system
  local st
  st=$(ctr_ plugins ls 2>/dev/null | awk -v s="$SNAPSHOTTER" '$1=="io.containerd.snapshotter.v1" && $2==s {print $NF}')
  if [ "$st" != ok ] && [ "$SNAPSHOTTER" != native ]; then
    warn "containerd's $SNAPSHOTTER snapshotter is '$st' here: switching to native and restarting containerd"
    SNAPSHOTTER=native; echo native >"$SB/snapshotter"
    stop_pid containerd 5
    write_config
    start_containerd
  fi
}

start_etcd_member() { # I: launch member I (no wait); its ports and every member's peer port are known
  local i=$1 n base data c p j state=new cluster="" v2=()
  n=$(etcd_members)
  base=$(etcd_base "$i"); data=$(etcd_data "$i")
  read -r c p <"$SB/$base.ports"
  for ((j = 0; j < n; j++)); do
    cluster+=${cluster:+,}$(etcd_name "$j")=http://127.0.0.1:$(cut -d' ' -f2 "$SB/$(etcd_base "$j").ports")
  done
  mkdir -p "$data"; chmod 700 "$data"
  [ -d "$data/member" ] && state=existing
  [ -f "$SB/etcd.v2" ] && v2=(--enable-v2)
  echo "---- $(date -Is) start" >>"$SB/$base.log"
  (cd "$SB" && exec setsid etcd --name "$(etcd_name "$i")" --data-dir "$data" \
    --listen-client-urls "http://127.0.0.1:$c" --advertise-client-urls "http://127.0.0.1:$c" \
    --listen-peer-urls "http://127.0.0.1:$p" --initial-advertise-peer-urls "http://127.0.0.1:$p" \
    --initial-cluster "$cluster" --initial-cluster-token "undock-$ID" --initial-cluster-state "$state" \
    "${v2[@]}" --logger zap --log-outputs stderr </dev/null >>"$SB/$base.log" 2>&1 9>&-) &
  echo $! >"$SB/$base.pid"
}

wait_etcd_member() { # I [SECONDS]: until member I answers a health check; fails when it exits or times out
  local i=$1 n=$((${2:-20} * 10)) k base p
  base=$(etcd_base "$i")
  p=$(cat "$SB/$base.pid")
  for ((k = 0; k < n; k++)); do
    if ! [ -d "/proc/$p" ]; then
      warn "etcd member $i exited at start; last lines of $SB/$base.log:"; tail -n 15 "$SB/$base.log" >&2; return 1
    fi
    etcd_member_healthy "$i" && return 0
    sleep 0.1
  done
  warn "etcd member $i is not healthy at $(etcd_client_url "$i") after ${2:-20} s; last lines of $SB/$base.log:"
  tail -n 15 "$SB/$base.log" >&2
  return 1
}

etcd_gone() { # PID: exited, or a zombie its reaper has not collected yet (PID 1 may be slow to)
  ! [ -d "/proc/$1" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

stop_etcd_member() { # I [timeout-seconds]: TERM, wait, KILL
  local i=$1 p k n=$((${2:-5} * 10)) base
  base=$(etcd_base "$i")
  p=$(etcd_member_pid "$i") || { rm -f "$SB/$base.pid"; return 0; }
  kill -TERM "$p" 2>/dev/null || true
  for ((k = 0; k < n; k++)); do etcd_gone "$p" && break; sleep 0.1; done
  if ! etcd_gone "$p"; then warn "etcd member $i (pid $p) ignored SIGTERM, killing"; kill -KILL "$p" 2>/dev/null || true; sleep 0.1; fi
  rm -f "$SB/$base.pid"
}

etcd_leader_index() { # -> the index of the member that leads, if one answers that it does
  local n i eps rows url
  n=$(etcd_members)
  eps=$(etcd_endpoint) || return 1
  rows=$(ETCDCTL_API=3 timeout 3 etcdctl --endpoints "$eps" --dial-timeout 1s --command-timeout 1s endpoint status 2>/dev/null) || true
  url=$(awk -F', ' '$5 == "true" {print $1; exit}' <<<"$rows")
  [ -n "$url" ] || return 1
  for ((i = 0; i < n; i++)); do [ "$(etcd_client_url "$i")" = "$url" ] && { echo "$i"; return 0; }; done
  return 1
}

stop_etcd_all() { # [timeout-seconds]: every member with a pid file, followers first
  local f b i leader="" pids=()
  # a leader stopped while its followers stop hands leadership to one of them and waits ~7 s for
  # the transfer to time out; once the followers are gone it has nobody to hand it to and stops at once
  if [ "$(etcd_members)" -gt 1 ]; then leader=$(etcd_leader_index) || leader=""; fi
  for f in "$SB"/etcd.pid "$SB"/etcd-*.pid; do
    [ -f "$f" ] || continue
    b=$(basename "$f" .pid)
    if [ "$b" = etcd ]; then i=0; else i=${b#etcd-}; fi
    [ "$i" = "$leader" ] && continue
    stop_etcd_member "$i" "${1:-5}" &
    pids+=($!)
  done
  for f in "${pids[@]}"; do wait "$f" || true; done
  if [ -n "$leader" ]; then stop_etcd_member "$leader" "${1:-5}"; fi
}

etcd_v2_differs() { # I: member I runs with the v2 API on while it should be off, or the reverse
  local p want=0 has=0
  p=$(etcd_member_pid "$1") || return 1
  [ -f "$SB/etcd.v2" ] && want=1
  grep -qxzF -- --enable-v2 "/proc/$p/cmdline" && has=1
  [ $want != $has ]
}

etcd_v2_any_differs() {
  local n i
  n=$(etcd_members)
  for ((i = 0; i < n; i++)); do etcd_v2_differs "$i" && return 0; done
  return 1
}

etcd_settings() { # MEMBERS(or "") V2(on|off|"") ONLY(0|1): check against the data on disk, then keep them
  local want=$1 v2=$2 only=$3 have i
  have=$(etcd_members)
  if [ -n "$want" ]; then
    [[ "$want" =~ ^[1-9]$ ]] || die "--etcd-members takes a number from 1 to 9, not '$want'"
    if [ "$want" != "$have" ]; then
      for ((i = 0; i < have; i++)); do
        [ -d "$(etcd_data "$i")/member" ] &&
          die "the sandbox's etcd at $SB has $have member(s) with data; to change to $want: 'bash scripts/sandbox.sh down --purge' first"
      done
    fi
    echo "$want" >"$SB/etcd.members"
  fi
  case "$v2" in on) : >"$SB/etcd.v2" ;; off) rm -f "$SB/etcd.v2" ;; esac
  if [ "$only" = 1 ]; then : >"$SB/etcd-only"; else rm -f "$SB/etcd-only"; fi
}

start_etcd() { # start the members that do not run (a new cluster: all at once), then wait until all are healthy
  local n i fresh=1 todo=() ports
  n=$(etcd_members)
  for ((i = 0; i < n; i++)); do
    if etcd_v2_differs "$i"; then stop_etcd_member "$i" 10 & fi
    [ -d "$(etcd_data "$i")/member" ] && fresh=0
  done
  wait
  if [ "$n" = 1 ]; then
    stop_etcd_member 0 3 # a hung one
    # shellcheck disable=SC2046
    ports=$(free_ports 2 $(cat "$SB/etcd.ports" 2>/dev/null || true))
    echo "$ports" >"$SB/etcd.ports"
    todo=(0)
  else
    if [ $fresh = 1 ]; then
      stop_etcd_all 3
      read -r -a ports <<<"$(free_ports $((2 * n)))"
      for ((i = 0; i < n; i++)); do echo "${ports[2 * i]} ${ports[2 * i + 1]}" >"$SB/$(etcd_base "$i").ports"; done
    fi
    for ((i = 0; i < n; i++)); do
      [ -f "$SB/$(etcd_base "$i").ports" ] || die "etcd member $i has data but no $(etcd_base "$i").ports (its peer URL is part of the cluster): 'down --purge' and 'up' again"
      etcd_member_pid "$i" >/dev/null || todo+=("$i")
    done
  fi
  for i in "${todo[@]}"; do start_etcd_member "$i"; done
  for ((i = 0; i < n; i++)); do wait_etcd_member "$i" || return 1; done
}

write_env() {
  local ep
  ep=$(etcd_endpoint)
  if etcd_only; then
    printf 'export ETCDCTL_API=3\nexport ETCDCTL_ENDPOINTS=%s\nexport UNDOCK_SANDBOX=%s\n' "$ep" "$SB" >"$SB/env.sh.tmp"
    mv "$SB/env.sh.tmp" "$SB/env.sh"
    return 0
  fi
  {
    echo "export CONTAINERD_ADDRESS=$SOCK"
    echo "export CONTAINERD_NAMESPACE=default"
    [ "${SNAPSHOTTER:-overlayfs}" = overlayfs ] || echo "export CONTAINERD_SNAPSHOTTER=$SNAPSHOTTER"
    echo "export CONTAINER_RUNTIME_ENDPOINT=unix://$SOCK"
    echo "export IMAGE_SERVICE_ENDPOINT=unix://$SOCK"
    echo "export ETCDCTL_API=3"
    echo "export ETCDCTL_ENDPOINTS=$ep"
    echo "export UNDOCK_SANDBOX=$SB"
    # containers undock runs here share the sandbox's runc state, cgroup parent and log folder
    echo "export UNDOCK_RUNC_ROOT=$SB/runc"
    echo "export UNDOCK_CGROUP_PARENT=$CGROUP_PARENT"
    echo "export UNDOCK_LOG_DIR=$SB/logs"
    # containers undock runs with ports: the sandbox's run network; their netns and TTY FIFOs under $SB/run
    echo "export UNDOCK_CNI_CONFLIST=$SB/cni/run.conflist"
    echo "export UNDOCK_RUN_DIR=$SB/run"
  } >"$SB/env.sh.tmp"
  mv "$SB/env.sh.tmp" "$SB/env.sh"
}

# -------------------------------------------------------------------- images --
# grep reads the whole list: with pipefail, grep -q's early exit can SIGPIPE ctr and read as "absent"
has_image() { ctr_ -n "$1" images ls -q 2>/dev/null | grep -xF "$2" >/dev/null; }

import_image() { # NS ARCHIVE
  ctr_ -n "$1" images import --snapshotter "$SNAPSHOTTER" "$2" >>"$SB/images/import.log" 2>&1 ||
    { tail -n 5 "$SB/images/import.log" >&2; die "importing $2 into namespace $1 failed"; }
}

ensure_images() {
  local need=0
  has_image default docker.io/library/busybox:latest || need=1
  has_image default docker.io/library/busybox:1.36 || need=1
  has_image default localhost/undock/toolbox:dev || need=1
  has_image k8s.io registry.k8s.io/pause:3.6 || need=1
  has_image k8s.io docker.io/library/busybox:latest || need=1
  [ $need = 1 ] || return 0
  mkdir -p "$SB/images"
  if ! [ -s "$SB/images/busybox.tar" ] || ! [ -s "$SB/images/toolbox.tar" ] || ! [ -s "$SB/images/pause.tar" ] ||
    [ "$HERE/build-image.sh" -nt "$SB/images/pause.tar" ] || [ "$HERE/pause.c" -nt "$SB/images/pause.tar" ]; then
    say "building images into $SB/images"
    bash "$HERE/build-image.sh" "$SB/images" 2>>"$SB/images/build.log" ||
      { tail -n 10 "$SB/images/build.log" >&2; die "image build failed (see $SB/images/build.log)"; }
  fi
  has_image default docker.io/library/busybox:latest || import_image default "$SB/images/busybox.tar"
  has_image default docker.io/library/busybox:1.36 ||
    ctr_ -n default images tag docker.io/library/busybox:latest docker.io/library/busybox:1.36 >/dev/null
  has_image default localhost/undock/toolbox:dev || import_image default "$SB/images/toolbox.tar"
  has_image k8s.io registry.k8s.io/pause:3.6 || import_image k8s.io "$SB/images/pause.tar"
  has_image k8s.io docker.io/library/busybox:latest || import_image k8s.io "$SB/images/busybox.tar"
  say "images imported (default: busybox:latest, busybox:1.36, toolbox:dev; k8s.io: pause:3.6, busybox:latest)"
}

# ---------------------------------------------------------------------- up --
cmd_up() {
  need_root up
  local members="" v2="" only=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --etcd-members) [ $# -ge 2 ] || die "--etcd-members needs a number"; members=$2; shift 2 ;;
      --etcd-members=*) members=${1#*=}; shift ;;
      --etcd-v2) v2=on; shift ;;
      --no-etcd-v2) v2=off; shift ;;
      --etcd-only) only=1; shift ;;
      *) die "up: unknown option '$1' (--etcd-members N, --etcd-v2, --no-etcd-v2, --etcd-only)" ;;
    esac
  done
  bash "$REPO/scripts/ensure-deps.sh" --apt
  command -v node >/dev/null || die "node is needed (Node 20)"
  local t0 sl
  t0=$(now_ms)
  sl=$(printf %s "$SOCK.ttrpc" | wc -c)
  [ $only = 1 ] || [ "$sl" -le 107 ] || die "socket path $SOCK.ttrpc is $sl bytes (limit 107): choose a shorter UNDOCK_SANDBOX"
  lock
  SB=$(cd "$SB" && pwd -P)
  etcd_settings "$members" "$v2" "$only"
  if [ $only = 1 ]; then
    if etcd_ok && ! etcd_v2_any_differs && [ -f "$SB/env.sh" ]; then
      say "already running and healthy: etcd $(etcd_endpoint) (etcd only)"
      return 0
    fi
    start_etcd || die "etcd did not start (see above)"
    write_env
    say "etcd up ($(etcd_members) member(s)$([ -f "$SB/etcd.v2" ] && echo ', v2 API on')): $(etcd_endpoint); up in $(($(now_ms) - t0)) ms (etcd only)"
    return 0
  fi
  pick_snapshotter
  pick_subnet

  local c_ok=0 e_ok=0
  containerd_ok && c_ok=1
  etcd_ok && ! etcd_v2_any_differs && e_ok=1
  if [ $c_ok = 1 ] && [ $e_ok = 1 ] && [ -f "$SB/env.sh" ]; then
    write_run_cni
    ensure_bridge
    write_env
    ensure_images
    say "already running and healthy: containerd pid $(pid_of containerd) ($SOCK), etcd pid $(pid_of etcd) ($(etcd_endpoint))"
    return 0
  fi

  write_cni
  write_run_cni
  ensure_bridge
  local etcd_starter=""
  if [ $e_ok = 0 ]; then # etcd starts in parallel with containerd
    start_etcd &
    etcd_starter=$!
  fi
  if [ $c_ok = 0 ]; then
    stop_pid containerd 3   # a hung one
    write_config
    start_containerd
    check_snapshotter_plugin
    say "containerd $(ctr_ version 2>/dev/null | awk '/Server:/{s=1} s&&/Version:/{print $2; exit}') up: pid $(pid_of containerd), socket $SOCK (snapshotter $SNAPSHOTTER)"
  fi
  if [ -n "$etcd_starter" ]; then
    wait "$etcd_starter" || die "etcd did not start (see above)"
    say "etcd up: pid $(pid_of etcd), $(etcd_endpoint)$([ -f "$SB/etcd.v2" ] && echo ' (v2 API on)')"
  fi
  write_env
  ensure_images
  say "up in $(($(now_ms) - t0)) ms. Use it with: eval \"\$(npm run -s sandbox -- env)\""
}

# -------------------------------------------------------------------- seed --
tsx_bin() {
  if [ -x "$REPO/node_modules/.bin/tsx" ]; then echo "$REPO/node_modules/.bin/tsx"; else echo "npx --no-install tsx"; fi
}

SEED_NAMES="web worker batch-job failed-job unstarted"

# Whatever an earlier seed, demo or test left under the seed's names goes first: tasks (paused ones
# are thawed by rm -f), containers, and snapshots that outlived their container (an interrupted
# `ctr run`, `containers rm --keep-snapshot`), in either snapshotter. Then check nothing is left.
seed_native_clean() {
  local n s left=""
  for n in $SEED_NAMES; do
    ( ctr_ -n default tasks rm -f "$n" >/dev/null 2>&1 || true
      ctr_ -n default containers rm "$n" >/dev/null 2>&1 || true
      for s in overlayfs native; do ctr_ -n default snapshots --snapshotter "$s" rm "$n" >/dev/null 2>&1 || true; done ) &
  done
  wait
  for n in $SEED_NAMES; do
    ctr_ -n default containers info "$n" >/dev/null 2>&1 && left+=" container:$n"
    for s in overlayfs native; do
      ctr_ -n default snapshots --snapshotter "$s" info "$n" >/dev/null 2>&1 && left+=" snapshot:$s/$n"
    done
  done
  [ -z "$left" ] || { warn "could not remove what an earlier seed left:$left"; return 1; }
}

seed_native() {
  seed_native_clean || return 1
  mkdir -p "$SB/logs"
  local img=docker.io/library/busybox:latest pids=() rc=0
  run_c() { # NAME IMAGE [ctr run flags] -- CMD...
    local name=$1 image=$2 flags=()
    shift 2
    while [ $# -gt 0 ] && [ "$1" != -- ]; do flags+=("$1"); shift; done
    shift
    rm -f "$SB/logs/$name.log"
    ctr_ -n default run -d --net-host --snapshotter "$SNAPSHOTTER" --runc-root "$SB/runc" \
      --cgroup "$CGROUP_PARENT/default/$name" \
      --label "nerdctl/name=$name" --label "undock/log-uri=file://$SB/logs/$name.log" --label "undock/seed=true" \
      "${flags[@]}" "$image" "$name" "$@" >/dev/null
  }
  local logf="--log-uri=file://$SB/logs"
  run_c web "$img" "$logf/web.log" -- sh -c 'i=0; while true; do i=$((i+1)); echo "web: line $i at $(date -u +%H:%M:%S) GET /index.html 200"; sleep 1; done' & pids+=($!)
  run_c worker "$img" "$logf/worker.log" -- sh -c 'i=0; while true; do i=$((i+1)); echo "worker: job $i processed"; [ $((i % 5)) = 0 ] && echo "worker: warning: queue depth $i" >&2; sleep 3; done' & pids+=($!)
  run_c batch-job "$img" "$logf/batch-job.log" -- echo done & pids+=($!)
  run_c failed-job "$img" "$logf/failed-job.log" -- sh -c 'echo "failed-job: starting"; echo "failed-job: error: cannot reach database" >&2; exit 3' & pids+=($!)
  # "unstarted": a container without a task. `ctr containers create` cannot set
  # the runc root or the cgroup path (then runc state would land in the shared
  # /run/containerd/runc/default), so create it with `ctr run` and delete the
  # task at once: what is left is the same container record, with no task.
  ( run_c unstarted localhost/undock/toolbox:dev --null-io --
    ctr_ -n default tasks kill -s SIGKILL unstarted >/dev/null 2>&1 || true
    ctr_ -n default tasks rm -f unstarted >/dev/null 2>&1 ) & pids+=($!)
  local p
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  [ $rc = 0 ] || { warn "creating the native containers failed"; return 1; }
  # the two jobs end at once; wait until their tasks show STOPPED
  local i st
  for ((i = 0; i < 50; i++)); do
    st=$(ctr_ -n default tasks ls 2>/dev/null | awk '($1=="batch-job"||$1=="failed-job") && $3=="STOPPED"' | wc -l)
    [ "$st" = 2 ] && break
    sleep 0.1
  done
  echo "containerd namespace default:"
  ctr_ -n default tasks ls 2>/dev/null | sed 's/^/  /'
  echo "  unstarted   (container only, no task; image localhost/undock/toolbox:dev)"
  echo "  logs: $SB/logs/<name>.log"
}

cmd_seed() {
  need_root seed
  containerd_ok && etcd_ok || die "the sandbox at $SB is not up: run 'npm run sandbox -- up' first"
  lock
  local t0 tsx out rc=0
  t0=$(now_ms)
  SNAPSHOTTER=$(cat "$SB/snapshotter" 2>/dev/null || echo overlayfs)
  ensure_images
  # shellcheck disable=SC1091
  . "$SB/env.sh"
  tsx=$(tsx_bin)
  out=$(mktemp -d "$SB/.seed.XXXXXX")
  seed_native >"$out/native" 2>&1 &
  local pn=$!
  (cd "$REPO" && UNDOCK_CGROUP_PARENT=$CGROUP_PARENT $tsx "$HERE/seed-cri.ts") >"$out/cri" 2>&1 &
  local pc=$!
  (cd "$REPO" && $tsx "$HERE/seed-etcd.ts") >"$out/etcd" 2>&1 &
  local pe=$!
  wait $pn || rc=1
  cat "$out/native"
  wait $pc || rc=1
  cat "$out/cri"
  wait $pe || rc=1
  cat "$out/etcd"
  rm -rf "$out"
  [ $rc = 0 ] || die "seeding failed (see above)"
  say "seeded in $(($(now_ms) - t0)) ms"
}

# -------------------------------------------------------------------- down --
cmd_down() {
  need_root down
  local purge=0
  [ "${1:-}" = --purge ] && purge=1
  if ! [ -d "$SB" ]; then say "nothing at $SB"; return 0; fi
  lock
  local t0 ns id p d
  t0=$(now_ms)
  [ -f "$SB/net.env" ] && . "$SB/net.env"
  # TTY holders of containers undock ran here (a sleep holding each stdin FIFO open)
  for p in "$SB"/run/tty/*/*/holder.pid; do
    [ -f "$p" ] || continue
    d=$(cat "$p"); grep -qa sleep "/proc/$d/cmdline" 2>/dev/null && kill -KILL "$d" 2>/dev/null || true
  done
  # 0. etcd, in parallel with the rest (it takes ~2 s to shut down)
  stop_etcd_all 10 &
  local etcd_stopper=$!
  # registries a test started inside the sandbox (scripts/sandbox/registry.sh), even if it died midway
  for d in "$SB"/registry*/; do
    [ -d "$d" ] && REGISTRY_DIR=${d%/} bash "$HERE/registry.sh" down >/dev/null 2>&1 || true
  done
  # 1. tasks, through containerd while it answers
  if containerd_ok; then
    local killers=()
    for ns in $(ctr_ namespaces ls -q 2>/dev/null); do
      for id in $(ctr_ -n "$ns" tasks ls -q 2>/dev/null); do
        ( ctr_ -n "$ns" tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true
          ctr_ -n "$ns" tasks rm -f "$id" >/dev/null 2>&1 || true ) &
        killers+=($!)
      done
    done
    for p in "${killers[@]}"; do wait "$p" || true; done
  fi
  # 2. containerd
  stop_pid containerd 10
  # 3. whatever runc still knows in this sandbox's runc roots
  for d in "$SB"/runc/*/; do
    [ -d "$d" ] || continue
    for id in $(runc --root "$d" list -q 2>/dev/null); do
      runc --root "$d" kill "$id" KILL >/dev/null 2>&1 || true
      runc --root "$d" delete --force "$id" >/dev/null 2>&1 || true
    done
  done
  # 4. leftover shims of this sandbox (argv: -address $SB/c.sock), and their
  #    sockets, which containerd 1.6 names /run/containerd/s/sha256(address/ns/id)
  local sns sid sh
  for p in $(our_shims); do
    sns=$(shim_arg "$p" -namespace); sid=$(shim_arg "$p" -id)
    kill -KILL "$p" 2>/dev/null || true
    if [ -n "$sns" ] && [ -n "$sid" ]; then
      sh=$(printf %s "$SOCK/$sns/$sid" | sha256sum | cut -d' ' -f1)
      rm -f "/run/containerd/s/$sh"
    fi
  done
  # 5. etcd
  wait "$etcd_stopper" || true
  # 6. mounts under $SB, deepest first (rootfs overlays, netns, shm)
  local m left
  for ((i = 0; i < 3; i++)); do
    left=0
    while read -r m; do
      [ -n "$m" ] || continue
      left=1
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || warn "cannot unmount $m"
    done < <(awk -v sb="$SB/" 'index($2, sb) == 1 {print $2}' /proc/mounts | awk '{print length, $0}' | sort -rn | cut -d' ' -f2-)
    [ $left = 1 ] || break
  done
  # 7. network: bridge, IP store, CNI result cache
  ip link show "$BRIDGE" >/dev/null 2>&1 && ip link del "$BRIDGE" 2>/dev/null || true
  rm -rf "${CNI_STATE:?}/networks/$NETNAME"
  # undock's run network: its IP store and portmap's rules (their comments name the network); its
  # netns were mounts under $SB/run (step 6)
  if [ -n "${RUN_SUBNET:-}" ]; then
    rm -rf "${CNI_STATE:?}/networks/$RUN_NETNAME"
    local chain rule
    for chain in $(iptables-save -t nat 2>/dev/null | grep -F "name: \\\"$RUN_NETNAME\\\"" | grep -o -- '-j CNI-DN-[0-9a-f]*' | cut -c4- | sort -u); do
      while read -r rule; do eval "iptables -t nat ${rule/#-A/-D}" 2>/dev/null || true; done < <(iptables-save -t nat | grep -E -- "^-A .*-j $chain( |\$)")
      iptables -t nat -F "$chain" 2>/dev/null || true
      iptables -t nat -X "$chain" 2>/dev/null || true
    done
  fi
  local r cid
  for r in "$CNI_STATE"/results/"$NETNAME"-*; do
    [ -e "$r" ] || continue
    cid=${r#"$CNI_STATE/results/$NETNAME-"}; cid=${cid%-*}
    rm -f "$r" "$CNI_STATE/results/cni-loopback-$cid-lo"
  done
  # 8. cgroups the sandbox's containers lived in
  for d in /sys/fs/cgroup/*/"${CGROUP_PARENT#/}" /sys/fs/cgroup/"${CGROUP_PARENT#/}"; do
    [ -d "$d" ] || continue
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  rm -f "$SOCK" "$SOCK.ttrpc"
  if [ $purge = 1 ]; then
    exec 9>&-
    rm -rf "$SB"
    say "down and purged $SB in $(($(now_ms) - t0)) ms"
  else
    say "down in $(($(now_ms) - t0)) ms (state kept in $SB; 'down --purge' removes it)"
  fi
}

# ------------------------------------------------------------ status / env --
cmd_status() {
  local rc=0 p ep shims
  echo "sandbox:    $SB"
  if etcd_only; then
    echo "mode:       etcd only"
  elif p=$(pid_of containerd); then
    if containerd_ok; then echo "containerd: running, pid $p, socket $SOCK"; else echo "containerd: pid $p but not answering on $SOCK"; rc=3; fi
  else echo "containerd: not running"; rc=3; fi
  local n i label
  n=$(etcd_members)
  for ((i = 0; i < n; i++)); do
    label="etcd:"; [ "$n" = 1 ] || label="etcd[$i]:"
    if p=$(etcd_member_pid "$i"); then
      ep=$(etcd_client_url "$i" || echo "?")
      if etcd_member_healthy "$i"; then printf '%-12s%s\n' "$label" "running, pid $p, $ep$([ "$n" = 1 ] || echo " ($(etcd_name "$i"))")"
      else printf '%-12s%s\n' "$label" "pid $p but not healthy at $ep"; rc=3; fi
    else printf '%-12s%s\n' "$label" "not running$([ "$n" = 1 ] || echo " ($(etcd_name "$i"))")"; rc=3; fi
  done
  [ -f "$SB/etcd.v2" ] && echo "etcd v2:    on"
  if etcd_only; then
    [ $rc = 0 ] && echo "status:     up" || echo "status:     down"
    return $rc
  fi
  shims=$(our_shims | tr '\n' ' ')
  echo "shims:      ${shims:-none}"
  if [ -f "$SB/net.env" ]; then
    . "$SB/net.env"
    if ip link show "$BRIDGE" >/dev/null 2>&1; then echo "network:    $NETNAME bridge $BRIDGE $SUBNET"; else echo "network:    $NETNAME $SUBNET (bridge $BRIDGE absent)"; fi
  fi
  [ -f "$SB/snapshotter" ] && echo "snapshotter: $(cat "$SB/snapshotter")"
  [ $rc = 0 ] && echo "status:     up" || echo "status:     down"
  return $rc
}

cmd_env() {
  [ -f "$SB/env.sh" ] || die "no sandbox at $SB: run 'npm run sandbox -- up' first"
  { etcd_only || containerd_ok; } && etcd_ok || warn "warning: the sandbox at $SB is not (fully) running"
  cat "$SB/env.sh"
}

cmd_etcd_kill() { # I: SIGKILL member I, as a crash would end it; prints its name
  local i=${1:-} n p k
  [ -d "$SB" ] || die "no sandbox at $SB"
  n=$(etcd_members)
  [[ "$i" =~ ^[0-9]+$ ]] && [ "$i" -lt "$n" ] || die "usage: sandbox.sh etcd-kill <member 0..$((n - 1))>"
  lock
  p=$(etcd_member_pid "$i") || die "etcd member $i ($(etcd_name "$i")) is not running"
  kill -KILL "$p" 2>/dev/null || true
  for ((k = 0; k < 100; k++)); do etcd_gone "$p" && break; sleep 0.05; done
  rm -f "$SB/$(etcd_base "$i").pid"
  etcd_name "$i"
}

cmd_etcd_start() { # I: start member I again (same data, ports and cluster), wait until healthy; prints its name
  local i=${1:-} n
  [ -d "$SB" ] || die "no sandbox at $SB"
  n=$(etcd_members)
  [[ "$i" =~ ^[0-9]+$ ]] && [ "$i" -lt "$n" ] || die "usage: sandbox.sh etcd-start <member 0..$((n - 1))>"
  lock
  if ! etcd_member_pid "$i" >/dev/null; then
    [ -f "$SB/$(etcd_base "$i").ports" ] || die "etcd member $i was never started here: use 'up'"
    start_etcd_member "$i"
  fi
  wait_etcd_member "$i" 30 || die "etcd member $i did not become healthy"
  etcd_name "$i"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  etcd-kill) shift; cmd_etcd_kill "$@" ;;
  etcd-start) shift; cmd_etcd_start "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  env) cmd_env ;;
  seed) cmd_seed ;;
  *) echo "usage: bash scripts/sandbox.sh up [--etcd-members N] [--etcd-v2|--no-etcd-v2] [--etcd-only]|down [--purge]|status|env|seed|etcd-kill I|etcd-start I   (sandbox: $SB)" >&2; exit 2 ;;
esac
