#!/usr/bin/env bash
# Fetches Debian's kubectl 1.20 (package kubernetes-client) without installing it — it conflicts
# with the google-cloud-sdk kubectl 1.32 on PATH — and prints the path of its binary.
#
# Idempotent: when the binary is already unpacked it only prints the path. The folder is
# $KUBECTL_120_DIR, default /var/cache/fairway/kubectl-1.20. Exits non-zero with a message on stderr
# when the package cannot be downloaded (no network, no apt).
set -euo pipefail

dir="${KUBECTL_120_DIR:-/var/cache/fairway/kubectl-1.20}"
binary="$dir/root/usr/bin/kubectl"

if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || { echo "fetch-kubectl-1.20: no apt-get on this machine" >&2; exit 1; }
command -v dpkg-deb >/dev/null 2>&1 || { echo "fetch-kubectl-1.20: no dpkg-deb on this machine" >&2; exit 1; }

mkdir -p "$dir"
work="$(mktemp -d "$dir/download.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# `apt-get download` writes into the current directory and needs the package lists; refresh them
# once if the first attempt finds no candidate.
if ! (cd "$work" && apt-get download -q kubernetes-client >"$work/apt.log" 2>&1); then
  apt-get update -qq >/dev/null 2>&1 || true
  if ! (cd "$work" && apt-get download -q kubernetes-client >"$work/apt.log" 2>&1); then
    echo "fetch-kubectl-1.20: apt-get download kubernetes-client failed:" >&2
    cat "$work/apt.log" >&2
    exit 1
  fi
fi

deb="$(ls "$work"/kubernetes-client_*.deb 2>/dev/null | head -n 1)"
[ -n "$deb" ] || { echo "fetch-kubectl-1.20: apt-get download produced no .deb" >&2; exit 1; }
rm -rf "$work/root"
dpkg-deb -x "$deb" "$work/root"
[ -x "$work/root/usr/bin/kubectl" ] || { echo "fetch-kubectl-1.20: the package holds no usr/bin/kubectl" >&2; exit 1; }
# Move into place in one step so that a concurrent run never sees a half-unpacked tree.
rm -rf "$dir/root"
mv "$work/root" "$dir/root"
echo "$binary"
