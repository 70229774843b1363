#!/usr/bin/env bash
# Build the venvfarm Python builder images without pulling from any image
# registry: a minimal Debian root filesystem is made with debootstrap (Debian
# packages only) and imported into the local Docker engine.
#
#   usage: bootstrap-offline.sh [--force] [3.9|3.11|3.13 ...]
#
#   3.9  -> Debian bullseye   (python 3.9)
#   3.11 -> Debian bookworm   (python 3.11)
#   3.13 -> Debian trixie     (python 3.13)
#
# Default: all three versions. An image venvfarm-builder:<ver> that already
# exists is reused (not rebuilt) unless --force is given.
#
# Must run as root (debootstrap, chroot). Needs: debootstrap, docker, tar.
# Containers started by this script never get a network (--network none).
#
# Environment:
#   DOCKER                  docker CLI to use (default: docker)
#   DEBOOTSTRAP_EXTRA_ARGS  extra words passed to debootstrap (e.g. --no-check-gpg)
#   TMPDIR                  where the temporary root filesystem is made (default /tmp)
set -euo pipefail

IMAGE_REPO="venvfarm-builder"
BUILDER_UID=1000
BUILDER_GID=1000
PACKAGES="python3,python3-venv,python3-pip,python3-setuptools,python3-wheel,ca-certificates"
DOCKER="${DOCKER:-docker}"
ALL_VERSIONS=(3.11 3.9 3.13)

log() { printf '[bootstrap-offline %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[bootstrap-offline] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
}

suite_for() {
  case "$1" in
    3.9) echo bullseye ;;
    3.11) echo bookworm ;;
    3.13) echo trixie ;;
    *) return 1 ;;
  esac
}

FORCE=0
VERSIONS=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    -f|--force) FORCE=1 ;;
    3.9|3.11|3.13) VERSIONS+=("$arg") ;;
    *) usage >&2; die "unknown argument: $arg (expected 3.9, 3.11, 3.13 or --force)" ;;
  esac
done
[ "${#VERSIONS[@]}" -gt 0 ] || VERSIONS=("${ALL_VERSIONS[@]}")

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap and chroot need it)"
command -v debootstrap >/dev/null || die "debootstrap not found (apt-get install -y debootstrap)"
command -v "$DOCKER" >/dev/null || die "docker CLI not found (apt-get install -y docker.io)"
"$DOCKER" info >/dev/null 2>&1 || die "docker engine not answering ('$DOCKER info' failed); start dockerd first"

# Current temporary root filesystem, removed on exit (even on failure).
ROOTFS=""
unmount_under() {
  local dir="$1" m
  # Unmount anything debootstrap may have left mounted inside (deepest first).
  for m in $(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}
cleanup() {
  if [ -n "$ROOTFS" ] && [ -d "$ROOTFS" ]; then
    log "removing temporary root filesystem $ROOTFS"
    unmount_under "$ROOTFS"
    rm -rf --one-file-system "$ROOTFS"
  fi
  ROOTFS=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

build_one() {
  local ver="$1" suite tag start elapsed extra=()
  suite="$(suite_for "$ver")"
  tag="${IMAGE_REPO}:${ver}"

  if image_exists "$tag" && [ "$FORCE" -eq 0 ]; then
    log "$tag already exists ($("$DOCKER" image inspect -f '{{.Id}}' "$tag")); reusing it (use --force to rebuild)"
    return 0
  fi

  local old_id=""
  if image_exists "$tag"; then
    old_id="$("$DOCKER" image inspect -f '{{.Id}}' "$tag")"
    log "$tag exists ($old_id); rebuilding because of --force"
  fi

  start=$(date +%s)
  ROOTFS="$(mktemp -d "${TMPDIR:-/tmp}/venvfarm-rootfs-${ver}.XXXXXX")"
  chmod 755 "$ROOTFS"
  log "[$ver] debootstrap $suite (minbase) into $ROOTFS"
  # shellcheck disable=SC2206
  [ -n "${DEBOOTSTRAP_EXTRA_ARGS:-}" ] && extra=(${DEBOOTSTRAP_EXTRA_ARGS})
  # No mirror argument: debootstrap's built-in default is used.
  debootstrap --variant=minbase --include="$PACKAGES" "${extra[@]}" "$suite" "$ROOTFS"
  unmount_under "$ROOTFS"

  log "[$ver] cleaning apt caches, docs and host-specific files"
  rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb \
         "$ROOTFS"/var/cache/apt/*.bin \
         "$ROOTFS"/var/lib/apt/lists/* \
         "$ROOTFS"/usr/share/doc/* \
         "$ROOTFS"/usr/share/man/* \
         "$ROOTFS"/usr/share/info/* \
         "$ROOTFS"/var/cache/debconf/*-old \
         "$ROOTFS"/var/log/*.log \
         "$ROOTFS"/var/log/apt/* \
         "$ROOTFS"/debootstrap
  # debootstrap copies the host's resolv.conf and hostname; docker provides its own.
  rm -f "$ROOTFS/etc/resolv.conf" "$ROOTFS/etc/hostname"
  : > "$ROOTFS/etc/resolv.conf"
  echo builder > "$ROOTFS/etc/hostname"
  # Keep the .pyc files Debian compiled at install time: the image is meant to
  # run with --read-only, where Python cannot write them, and without them
  # every pip run recompiles pip (about 1 s extra each time).

  log "[$ver] creating user builder (uid $BUILDER_UID) and /build, /work"
  chroot "$ROOTFS" groupadd -g "$BUILDER_GID" builder
  chroot "$ROOTFS" useradd -u "$BUILDER_UID" -g "$BUILDER_GID" -m -d /home/builder -s /bin/bash builder
  mkdir -p "$ROOTFS/build" "$ROOTFS/work" "$ROOTFS/wheels"
  chown "$BUILDER_UID:$BUILDER_GID" "$ROOTFS/build" "$ROOTFS/work" "$ROOTFS/home/builder"
  chmod 755 "$ROOTFS/build" "$ROOTFS/work" "$ROOTFS/wheels"
  chmod 1777 "$ROOTFS/tmp"

  # What the executor needs to know of the image: the glibc it runs (manylinux platforms up to
  # it are buildable) and the exact interpreter version.
  glibc=$(chroot "$ROOTFS" getconf GNU_LIBC_VERSION | awk '{print $2}')
  pyver=$(chroot "$ROOTFS" python3 -c 'import platform; print(platform.python_version())')

  log "[$ver] importing into docker as $tag (Python $pyver, glibc $glibc)"
  tar --numeric-owner -C "$ROOTFS" -c . | "$DOCKER" import \
    --change "USER ${BUILDER_UID}:${BUILDER_GID}" \
    --change 'WORKDIR /build' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PIP_DISABLE_PIP_VERSION_CHECK=1' \
    --change "LABEL org.venvfarm.python=${ver}" \
    --change "LABEL org.venvfarm.python-version=${pyver}" \
    --change "LABEL org.venvfarm.glibc=${glibc}" \
    --change "CMD [\"python3\"]" \
    - "$tag" >/dev/null

  cleanup

  # With --force, drop the previous image if nothing else refers to it now.
  if [ -n "$old_id" ] && [ "$old_id" != "$("$DOCKER" image inspect -f '{{.Id}}' "$tag")" ]; then
    "$DOCKER" image rm "$old_id" >/dev/null 2>&1 || true
  fi

  log "[$ver] verifying $tag (no network)"
  "$DOCKER" run --rm --network none "$tag" \
    python3 -c 'import sys, venv, ensurepip; print(sys.version)'
  "$DOCKER" run --rm --network none "$tag" sh -euc '
    python3 -m venv /tmp/x
    /tmp/x/bin/python -m pip --version
    whl=$(ls /usr/share/python-wheels/pip-*.whl | head -n1)
    /tmp/x/bin/python -m pip install -q --no-index --no-deps --force-reinstall "$whl"
    echo "offline pip install into venv: ok ($(basename "$whl"))"
    id
  '

  elapsed=$(( $(date +%s) - start ))
  log "[$ver] done in ${elapsed}s: $tag id=$("$DOCKER" image inspect -f '{{.Id}}' "$tag") size=$("$DOCKER" image inspect -f '{{.Size}}' "$tag") bytes"
}

for ver in "${VERSIONS[@]}"; do
  build_one "$ver"
done

log "images:"
"$DOCKER" image ls --no-trunc "$IMAGE_REPO" --format '  {{.Repository}}:{{.Tag}}  {{.ID}}  {{.Size}}'
