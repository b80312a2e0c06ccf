#!/usr/bin/env bash
# Builds nanoCLR, nanoFramework's interpreter, as a Linux program for scripts/nanoclr-bench.sh: nf-interpreter's
# targets/posix host (nanoFramework.nanoCLR.test and its nanoFramework.nanoCLR.so), Release, with our change
# scripts/patches/nanoclr-cpu-clock.patch applied (NANOCLR_CPU_CLOCK: times in CPU time; see the patch's header).
# --native also applies scripts/patches/nanoclr-onebit-native.patch and builds with this repository's interop library
# OneBit.Native (native/onebit_interop, native/onebit_kernels) registered: the firmware the device's native kernels
# need (device/OneBit.Native). Without --native the build is stock firmware for OneBit.Native.
# Nothing of nf-interpreter is in this repository: clone it yourself, e.g.
#   git clone https://github.com/nanoframework/nf-interpreter
# Needs cmake, ninja and a C++ compiler (CMake 3.25, Ninja, g++ 12.2 worked); the build takes minutes.
# The patches go into the checkout's working tree (`git -C <checkout> checkout targets/posix` undoes them); the build
# goes to <checkout>/build/posix, or <checkout>/build/posix-native with --native (so both can sit side by side). Prints
# the path of nanoFramework.nanoCLR.test last, for NANOCLR.
#
# usage: scripts/build-posix-nanoclr.sh [--native] <nf-interpreter checkout>
#   POPCOUNT=host (default with --native): the C kernels' popcount as in the host library (the compiler's builtin,
#   dispatched to POPCNT); POPCOUNT=swar: the portable SWAR popcount the ESP32 build uses.
set -euo pipefail

die() { echo "build-posix-nanoclr: $*" >&2; exit 1; }
native=0
if [ "${1:-}" = --native ]; then native=1; shift; fi
[ $# -eq 1 ] || die "usage: $0 [--native] <nf-interpreter checkout>"
here=$(cd "$(dirname "$0")/.." && pwd)
patch=$here/scripts/patches/nanoclr-cpu-clock.patch
nf=$1
POPCOUNT=${POPCOUNT:-host}
case $POPCOUNT in host) host_popcount=ON ;; swar) host_popcount=OFF ;; *) die "POPCOUNT=$POPCOUNT: host or swar" ;; esac

git -C "$nf" rev-parse --git-dir >/dev/null 2>&1 || die "$nf is not a git checkout (clone https://github.com/nanoframework/nf-interpreter)"
nf=$(git -C "$nf" rev-parse --show-toplevel)
# nf-interpreter by its content, not its remote's name: forks and mirrors build alike
for f in targets/posix/CMakeLists.txt targets/posix/nanoCLR/targetHAL_Time.cpp src/CLR/Core/TypeSystem.cpp; do
    [ -f "$nf/$f" ] || die "$nf has no $f: not a checkout of nanoframework/nf-interpreter with the posix target"
done
for tool in cmake ninja; do
    command -v "$tool" >/dev/null || die "$tool not found (e.g. apt-get install cmake ninja-build)"
done
command -v c++ >/dev/null || command -v g++ >/dev/null || die "no C++ compiler found (e.g. apt-get install g++)"

# apply_once <patch file> <files it changes> <where to look when it does not apply>: a second call finds it in place
apply_once() {
    local name
    name=$(basename "$1")
    if git -C "$nf" apply --reverse --check "$1" 2>/dev/null; then
        echo "$name: already applied"
    elif git -C "$nf" apply --check "$1" 2>/dev/null; then
        git -C "$nf" apply "$1"
        echo "$name: applied to $2"
    else
        die "scripts/patches/$name does not apply to $nf ($(git -C "$nf" log -1 --format='%h %cs')): $3"
    fi
}

apply_once "$patch" targets/posix/nanoCLR/targetHAL_Time.cpp \
    "targets/posix/nanoCLR/targetHAL_Time.cpp has changed; look at HAL_Time_CurrentDateTime there"
build=$nf/build/posix
options=()
if [ "$native" = 1 ]; then
    apply_once "$here/scripts/patches/nanoclr-onebit-native.patch" "targets/posix/nanoCLR/CMakeLists.txt and posix_stubs.cpp" \
        "look at NANOCLR_POSIX_SOURCES in targets/posix/nanoCLR/CMakeLists.txt and g_CLR_InteropAssembliesNativeData in posix_stubs.cpp"
    build=$nf/build/posix-native
    options=(-DONEBIT_NATIVE_DIR="$here/native" -DONEBIT_NATIVE_HOST_POPCOUNT=$host_popcount)
fi

cmake -S "$nf/targets/posix" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${options[@]}"
cmake --build "$build"

binary=$build/bin/nanoFramework.nanoCLR.test
[ -x "$binary" ] || die "the build finished without $binary"
echo "nanoCLR: $binary"
echo "run the bench with: NANOCLR=$binary scripts/nanoclr-bench.sh <checkout>"
