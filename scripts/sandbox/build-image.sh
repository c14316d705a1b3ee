#!/usr/bin/env bash
# Build the sandbox's OCI image archives locally (no registry is reachable).
#
#   bash scripts/sandbox/build-image.sh OUTDIR
#
# writes OUTDIR/busybox.tar   docker.io/library/busybox:latest   (1 layer: static busybox + applet links)
#        OUTDIR/toolbox.tar   localhost/undock/toolbox:dev       (2 layers: busybox layer + a small extra layer)
#        OUTDIR/pause.tar     registry.k8s.io/pause:3.6          (1 layer: /pause, a static C program)
# Each is an OCI image layout (oci-layout, index.json, blobs/sha256/...) in a
# tar, for `ctr images import`. Layers are gzip'd tars; digests are sha256 of
# the exact bytes; diff_ids are sha256 of the uncompressed tars. Builds are
# reproducible (fixed mtimes, owners, order), so digests are stable.
set -euo pipefail

OUT=${1:?usage: build-image.sh OUTDIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd -P)
WORK=$(mktemp -d "$OUT/.build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

BUSYBOX=${BUSYBOX:-/bin/busybox}
[ -x "$BUSYBOX" ] || BUSYBOX=$(command -v busybox)
if ! grep -q 'statically linked' <<<"$(file -L "$BUSYBOX" 2>/dev/null)" && ldd "$BUSYBOX" >/dev/null 2>&1; then
  echo "build-image: $BUSYBOX is not static; install busybox-static" >&2
  exit 1
fi

EPOCH=1700000000            # 2023-11-14T22:13:20Z, fixed for reproducible layers
PATHENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

# make_layer ROOTDIR NAME -> sets LAYER_DIGEST LAYER_SIZE LAYER_DIFFID, blob in $WORK/blobs
make_layer() {
  local root=$1 name=$2 tarf=$WORK/$2.tar
  ( cd "$root" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort |
      tar --no-recursion --numeric-owner --owner=0 --group=0 --mtime=@$EPOCH \
          --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
          -cf "$tarf" -T - )
  LAYER_DIFFID=$(sha "$tarf")
  gzip -n -6 "$tarf"
  LAYER_DIGEST=$(sha "$tarf.gz")
  LAYER_SIZE=$(size "$tarf.gz")
  cp "$tarf.gz" "$WORK/blobs/$LAYER_DIGEST"
}

# put_blob FILE -> sets BLOB_DIGEST BLOB_SIZE
put_blob() {
  BLOB_DIGEST=$(sha "$1"); BLOB_SIZE=$(size "$1")
  cp "$1" "$WORK/blobs/$BLOB_DIGEST"
}

# write_image ARCHIVE IMAGE_NAME CONFIG_JSON_FILE "digest size" ...
write_image() {
  local archive=$1 name=$2 cfg=$3; shift 3
  local dir=$WORK/layout-$(basename "$archive" .tar) layers="" sep="" d s
  mkdir -p "$dir/blobs/sha256"
  put_blob "$cfg"; local cdig=$BLOB_DIGEST csz=$BLOB_SIZE
  cp "$WORK/blobs/$cdig" "$dir/blobs/sha256/$cdig"
  for l in "$@"; do
    read -r d s <<<"$l"
    layers+="$sep{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$d\",\"size\":$s}"
    sep=","
    cp "$WORK/blobs/$d" "$dir/blobs/sha256/$d"
  done
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
    "$cdig" "$csz" "$layers" >"$WORK/manifest.json"
  put_blob "$WORK/manifest.json"; local mdig=$BLOB_DIGEST msz=$BLOB_SIZE
  cp "$WORK/blobs/$mdig" "$dir/blobs/sha256/$mdig"
  local tag=${name##*:}
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$mdig" "$msz" "$name" "$tag" >"$dir/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
  ( cd "$dir" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort |
      tar --no-recursion --numeric-owner --owner=0 --group=0 --mtime=@$EPOCH -cf "$archive.tmp" -T - )
  mv "$archive.tmp" "$archive"
  echo "build-image: $name -> $archive (manifest sha256:${mdig:0:12})" >&2
}

ARCH=$(uname -m)
case "$ARCH" in x86_64) GOARCH=amd64 ;; aarch64) GOARCH=arm64 ;; *) GOARCH=$ARCH ;; esac

mkdir -p "$WORK/blobs"

# ---- layer 1: busybox root filesystem --------------------------------------
R=$WORK/rootfs-busybox
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,home,var/log,dev,proc,sys}
chmod 1777 "$R/tmp"; chmod 700 "$R/root"
cp "$BUSYBOX" "$R/bin/busybox"; chmod 755 "$R/bin/busybox"
for a in $("$BUSYBOX" --list); do
  [ "$a" = busybox ] && continue
  ln -sf busybox "$R/bin/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$R/etc/passwd"
printf 'root:x:0:\ndaemon:x:1:\nwww-data:x:33:\nnogroup:x:65534:\n' >"$R/etc/group"
printf 'hosts: files dns\n' >"$R/etc/nsswitch.conf"
find "$R" -exec touch -h -d @$EPOCH {} +
make_layer "$R" busybox
BB_LAYER="$LAYER_DIGEST $LAYER_SIZE"; BB_DIFF=$LAYER_DIFFID

cat >"$WORK/busybox.config.json" <<JSON
{"architecture":"$GOARCH","os":"linux","created":"2023-11-14T22:13:20Z","config":{"Env":["$PATHENV"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:$BB_DIFF"]},"history":[{"created":"2023-11-14T22:13:20Z","created_by":"undock sandbox: ADD busybox-static /bin/busybox + applet links"},{"created":"2023-11-14T22:13:20Z","created_by":"CMD [\"sh\"]","empty_layer":true}]}
JSON
write_image "$OUT/busybox.tar" docker.io/library/busybox:latest "$WORK/busybox.config.json" "$BB_LAYER"

# ---- toolbox: busybox layer + a small extra layer ---------------------------
T=$WORK/rootfs-toolbox
mkdir -p "$T"/{etc,usr/local/bin,usr/share/undock}
cat >"$T/etc/motd" <<'TXT'
Welcome to the undock toolbox image.
It is built locally by scripts/sandbox/build-image.sh for the undock sandbox.
TXT
cat >"$T/usr/local/bin/hello" <<'SH'
#!/bin/sh
# say hello, show where we are, then idle (a long-running demo process)
cat /etc/motd
echo "hostname: $(hostname)  user: $(id -un)  date: $(date -u)"
n=0
while true; do
  n=$((n + 1))
  echo "toolbox heartbeat $n"
  sleep "${HELLO_INTERVAL:-5}"
done
SH
chmod 755 "$T/usr/local/bin/hello"
# some bulk so the image sizes differ visibly in the images pane
"$BUSYBOX" --help >"$T/usr/share/undock/busybox-help.txt" 2>&1 || true
seq 1 40000 | awk '{ printf "%06d %s\n", $1, substr("the quick brown fox jumps over the lazy dog", 1 + $1 % 20) }' \
  >"$T/usr/share/undock/lines.txt"
find "$T" -exec touch -h -d @$EPOCH {} +
make_layer "$T" toolbox
TB_LAYER="$LAYER_DIGEST $LAYER_SIZE"; TB_DIFF=$LAYER_DIFFID
cat >"$WORK/toolbox.config.json" <<JSON
{"architecture":"$GOARCH","os":"linux","created":"2024-03-01T12:00:00Z","author":"undock sandbox","config":{"Env":["$PATHENV","HELLO_INTERVAL=5"],"Cmd":["/usr/local/bin/hello"],"WorkingDir":"/root","Labels":{"org.opencontainers.image.title":"undock toolbox","org.opencontainers.image.source":"undock/scripts/sandbox/build-image.sh"}},"rootfs":{"type":"layers","diff_ids":["sha256:$BB_DIFF","sha256:$TB_DIFF"]},"history":[{"created":"2023-11-14T22:13:20Z","created_by":"undock sandbox: ADD busybox-static /bin/busybox + applet links"},{"created":"2024-03-01T12:00:00Z","created_by":"COPY motd hello lines.txt"},{"created":"2024-03-01T12:00:00Z","created_by":"CMD [\"/usr/local/bin/hello\"]","empty_layer":true}]}
JSON
write_image "$OUT/toolbox.tar" localhost/undock/toolbox:dev "$WORK/toolbox.config.json" "$BB_LAYER" "$TB_LAYER"

# ---- pause: a static C program ------------------------------------------------
P=$WORK/rootfs-pause
mkdir -p "$P"
${CC:-gcc} -static -Os -s -o "$P/pause" "$HERE/pause.c"
touch -d @$EPOCH "$P/pause"
make_layer "$P" pause
PA_LAYER="$LAYER_DIGEST $LAYER_SIZE"; PA_DIFF=$LAYER_DIFFID
cat >"$WORK/pause.config.json" <<JSON
{"architecture":"$GOARCH","os":"linux","created":"2023-11-14T22:13:20Z","config":{"Env":["$PATHENV"],"Entrypoint":["/pause"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:$PA_DIFF"]},"history":[{"created":"2023-11-14T22:13:20Z","created_by":"undock sandbox: ADD pause (scripts/sandbox/pause.c)"},{"created":"2023-11-14T22:13:20Z","created_by":"ENTRYPOINT [\"/pause\"]","empty_layer":true}]}
JSON
write_image "$OUT/pause.tar" registry.k8s.io/pause:3.6 "$WORK/pause.config.json" "$PA_LAYER"
