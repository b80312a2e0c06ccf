#!/usr/bin/env bash
# Converts the paper authors' four published WRN-20-10 models (../shared/models/mcdonnell-2018, or
# $ONEBIT_SHARED/models/...) to 8-bit-activation blobs calibrated on CIFAR-10 (JPEG) training images, and verifies
# each blob against its float model on 1,000 of those images. Blobs and reports go to artifacts/published/
# (never committed: they are derived from ../shared). Takes about an hour on 2 cores.
# Two embedded test vectors (3,084 bytes each for 32x32x3) instead of convert's default four: with compact affine
# quantizers (record kind 7) that keeps the CIFAR-10 blobs within the 3.4 MB (decimal) budget.
# Usage: scripts/verify-published.sh [images=1000] [bits=8] [name-filter]
set -euo pipefail
cd "$(dirname "$0")/.."
images=${1:-1000}; bits=${2:-8}; filter=${3:-}
shared=${ONEBIT_SHARED:-../shared}
out=artifacts/published; mkdir -p "$out"
dotnet build host-tools/OneBit.Cli -c Release -nologo -v q
onebit() { dotnet host-tools/OneBit.Cli/bin/Release/net10.0/onebit.dll "$@"; }
for name in CIFAR10_allparams TrainedWideResNet20-10_CIFAR10_1-bit-per-weight-4MB CIFAR100_allparams TrainedWideResNet20-10_CIFAR100_1-bit-per-weight-4MB; do
  [[ -n "$filter" && "$name" != *$filter* ]] && continue
  extra=(); case $name in *100*) extra=(--agreement-only);; esac
  echo "== $name ($(date -u +%H:%M:%S))"
  onebit convert "$shared/models/mcdonnell-2018/$name.mat" -o "$out/$name-b$bits.obnb" --bits "$bits" --stream-frac-bits 21 --test-vectors 2 \
    --calibrate cifar10-jpeg --calibration-images 200 --verify cifar10-jpeg --verify-images "$images" \
    --report "$out/$name-b$bits.verify.txt" --shared "$shared" "${extra[@]}" > "$out/$name-b$bits.log" 2>&1
  grep -E "blob size|agreement|accuracy" "$out/$name-b$bits.log" || true
done
