#!/usr/bin/env bash
# Installs the Debian packages that the demo and the tests need (the Fashion-MNIST data set), for the README's
# first command and .ci/run; with arguments, those packages instead (.ci/run: gcc cmake for the native kernels).
# Runs as root (no sudo needed) or as a user with sudo; on a fresh machine, whose package lists are not downloaded yet,
# it runs `apt-get update` first. Prints nothing when everything is installed, one line
# otherwise, and apt's own output only if apt fails.
set -euo pipefail

packages=(dataset-fashion-mnist)
[ $# -gt 0 ] && packages=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "error: installing ${missing[*]} needs root: run this script as root, or install sudo" >&2
    exit 1
  fi
  as_root=(sudo)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
run_apt_get() { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q "$@" >>"$log" 2>&1; }

echo "installing ${missing[*]} (Debian packages)" >&2
updated=0
if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then   # unknown until the package lists are downloaded
  run_apt_get update || { cat "$log" >&2; exit 1; }
  updated=1
fi
if ! run_apt_get install -y "${missing[@]}"; then
  # Package lists older than the mirror name files that are gone: download them anew once and retry.
  if [ "$updated" -eq 1 ] || ! run_apt_get update || ! run_apt_get install -y "${missing[@]}"; then
    cat "$log" >&2
    exit 1
  fi
fi
