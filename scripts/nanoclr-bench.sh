#!/usr/bin/env bash
# Frame times of the committed fast and accurate CIFAR-10 models on nanoCLR, nanoFramework's interpreter built as a
# Linux program, for one checkout of this repository or for several run in turn (e.g. before and after a change).
# On a nanoCLR built with the interop library (scripts/build-posix-nanoclr.sh --native) the bench runs the firmware's
# native kernels beside the tuned C# kernels in the same run; on any other it says so and runs the tuned ones.
#
# usage: NANOCLR=<nf-interpreter>/build/posix/bin/nanoFramework.nanoCLR.test scripts/nanoclr-bench.sh <checkout> [more ...]
#   scripts/nanoclr-bench.sh .                one checkout
#   scripts/nanoclr-bench.sh ../main .        medians of each against the first's
# An argument may also be the work folder of an earlier call: it runs as it was built, its earlier runs kept.
#
# Per checkout: a copy without .git, bin and obj goes to a work folder (the checkout is never written to, and its own
# Debug or non-QUICK builds do not mix in); there device/OneBit.Bench (Release), device/OneBit.Native (when the checkout
# has it) and host-tools/OneBit.BenchImage are built and OneBit.BenchImage writes the bench image with both models
# embedded and OneBit.Native.pe last. The nanoFramework.ResourceManager.pe
# that reads them on nanoCLR is our stand-in (device/OneBit.Bench/ResourceManagerStandIn), built once in this
# repository (its bin/ and obj/) so that checkouts from before it existed get it too, unless RESOURCE_MANAGER_PACKAGES
# names a folder with the real package.
# Then RUNS rounds, each running every checkout once: on a shared machine the load drifts, and interleaving spreads the
# drift over every checkout alike. Last, a summary per checkout (scripts/nanoclr-bench-summary.py); the exit status is
# 1 if a test-vector check failed or a run lacked a model.
#
# environment:
#   NANOCLR          required: nanoFramework.nanoCLR.test (scripts/build-posix-nanoclr.sh builds it)
#   RUNS             bench runs per checkout (default 3)
#   QUICK            1: tuned kernels only, synthetic fast network only (default); 0: the whole bench (~4x the time)
#   CPU_CLOCK        1: NANOCLR_CPU_CLOCK=1, times in CPU time, so other jobs' load stays out (default); 0: wall clock
#   WORK_ROOT        work folders go to WORK_ROOT/<checkout>-<commit>-<UTC time> (default: $TMPDIR/onebit-nanoclr-bench;
#                    not under the repository: they hold copies of whole checkouts, which the tests that walk its tree
#                    would take for its own sources)
#   FAST_MODEL, ACCURATE_MODEL   blobs, relative to each checkout (defaults: the committed models below)
#   RESOURCE_MANAGER_PACKAGES    folder holding nanoFramework.ResourceManager.<version>/lib/nanoFramework.ResourceManager.pe
#   NICE             nice level of builds and runs (default 5); RUN_TIMEOUT: seconds per nanoCLR run (default 3600)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
QUICK=${QUICK:-1}
CPU_CLOCK=${CPU_CLOCK:-1}
WORK_ROOT=${WORK_ROOT:-${TMPDIR:-/tmp}/onebit-nanoclr-bench}
FAST_MODEL=${FAST_MODEL:-models/cifar10-bn8-c16-i16-b2/cifar10-bn8-c16-i16-b2.obnb}
ACCURATE_MODEL=${ACCURATE_MODEL:-models/cifar10-bn20-1-b2-affine/cifar10-bn20-1-b2-affine.obnb}
NICE=${NICE:-5}
RUN_TIMEOUT=${RUN_TIMEOUT:-3600}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

die() { echo "nanoclr-bench: $*" >&2; exit 1; }
[ $# -ge 1 ] || die "usage: NANOCLR=path/to/nanoFramework.nanoCLR.test $0 <checkout or earlier work folder> [more ...]"
[ -n "${NANOCLR:-}" ] || die "set NANOCLR to nanoCLR's Linux host, nanoFramework.nanoCLR.test: scripts/build-posix-nanoclr.sh <nf-interpreter checkout> builds it and prints its path"
[ -x "$NANOCLR" ] || die "NANOCLR=$NANOCLR is not an executable file (scripts/build-posix-nanoclr.sh builds it)"
command -v dotnet >/dev/null || die "dotnet not on PATH"
command -v python3 >/dev/null || die "python3 not on PATH (it writes the summary)"
NANOCLR=$(readlink -f "$NANOCLR")
mkdir -p "$WORK_ROOT"
WORK_ROOT=$(readlink -f "$WORK_ROOT")

# The patch leaves the variable's name in the library the host loads (build/posix/lib beside build/posix/bin).
if [ "$CPU_CLOCK" = 1 ] && ! grep -qs NANOCLR_CPU_CLOCK "$NANOCLR" "$(dirname "$NANOCLR")/../lib/nanoFramework.nanoCLR.so"; then
    echo "nanoclr-bench: WARNING: $NANOCLR lacks scripts/patches/nanoclr-cpu-clock.patch: times are wall clock" >&2
fi

build() {  # build <log> <project> [dotnet build options ...]
    local log=$1; shift
    nice -n "$NICE" dotnet build -c Release -nologo -v q "$@" >>"$log" 2>&1 \
        || { tail -30 "$log" >&2; die "dotnet build $* failed (log: $log)"; }
}

# The folder given to every checkout's OneBit.BenchImage as --packages-folder.
resource_manager_packages() {
    if [ -n "${RESOURCE_MANAGER_PACKAGES:-}" ]; then
        readlink -f "$RESOURCE_MANAGER_PACKAGES"
        return
    fi
    local dir=$WORK_ROOT/resource-manager-standin log=$WORK_ROOT/resource-manager-standin.log
    : >"$log"
    build "$log" "$here/device/OneBit.Bench/ResourceManagerStandIn/OneBit.Bench.ResourceManagerStandIn.csproj"
    build "$log" "$here/host-tools/OneBit.BenchImage/OneBit.BenchImage.csproj"
    rm -rf "$dir"
    nice -n "$NICE" dotnet "$here/host-tools/OneBit.BenchImage/bin/Release/net10.0/OneBit.BenchImage.dll" resource-manager-standin \
        "$here/device/OneBit.Bench/ResourceManagerStandIn/bin/Release/netstandard2.0/nanoFramework.ResourceManager.dll" "$dir" >>"$log" 2>&1 \
        || { tail -5 "$log" >&2; die "the stand-in's .pe was not written (log: $log)"; }
    tail -1 "$log" >&2
    echo "$dir"
}

build_image() {  # build_image <checkout> <work folder> <packages folder>
    local repo=$1 work=$2 packages=$3 log=$2/build.log src=$2/src t0=$SECONDS
    local fast=$repo/$FAST_MODEL accurate=$repo/$ACCURATE_MODEL
    [ -f "$fast" ] || die "FAST_MODEL: no blob at $fast"
    [ -f "$accurate" ] || die "ACCURATE_MODEL: no blob at $accurate"
    : >"$log"

    mkdir -p "$src"
    # artifacts/ (ignored, e.g. converted blobs) is not part of the build
    (cd "$repo" && tar --exclude=./.git --exclude=./artifacts --exclude=bin --exclude=obj -cf - .) | tar -xf - -C "$src"
    # the projects find ../shared (ONEBIT_SHARED's default) beside the repository
    [ -e "$repo/../shared" ] && ln -sfn "$(readlink -f "$repo/../shared")" "$work/shared"

    local defines=()
    [ "$QUICK" = 1 ] && defines=(-p:DefineConstants=QUICK)
    build "$log" "$src/device/OneBit.Bench/OneBit.Bench.csproj" "${defines[@]}"
    build "$log" "$src/host-tools/OneBit.BenchImage/OneBit.BenchImage.csproj"
    local interop=()
    if [ -f "$src/device/OneBit.Native/OneBit.Native.csproj" ]; then
        build "$log" "$src/device/OneBit.Native/OneBit.Native.csproj"
        interop=(--interop "$src/device/OneBit.Native/bin/Release/netstandard2.0/OneBit.Native.dll")
    fi
    nice -n "$NICE" dotnet "$src/host-tools/OneBit.BenchImage/bin/Release/net10.0/OneBit.BenchImage.dll" \
        "$src/device/OneBit.Bench/bin/Release/netstandard2.0" "$work/pe" \
        --model "fast=$fast" --model "accurate=$accurate" --packages-folder "$packages" "${interop[@]}" >"$work/image.txt" 2>&1 \
        || { cat "$work/image.txt" >&2; die "OneBit.BenchImage failed for $repo"; }
    # its last line: "run: nanoFramework.nanoCLR.test a.pe b.pe ... (in DIR)", the load order
    sed -n 's/^run: [^ ]* \(.*\) (in .*)$/\1/p' "$work/image.txt" >"$work/pe/order"
    [ -s "$work/pe/order" ] || die "no load order in $work/image.txt"
    echo "built in $((SECONDS - t0)) s (QUICK=$QUICK): $(cat "$work/pe/order")" >&2
}

prepare() {  # prepare <checkout or work folder> <packages folder>: prints the work folder
    local arg=$1 repo commit work
    if [ -f "$arg/pe/order" ]; then
        readlink -f "$arg"
        return
    fi
    [ -d "$arg/device/OneBit.Bench" ] || die "$arg is neither a checkout of this repository nor an earlier work folder"
    repo=$(readlink -f "$arg")
    commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo nogit)
    [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ] && commit=$commit+dirty
    work=$WORK_ROOT/$(basename "$repo")-$commit-$(date -u +%Y%m%dT%H%M%S)
    mkdir -p "$work"
    echo "$repo" >"$work/source"
    echo "$commit" >"$work/commit"
    echo "$QUICK" >"$work/quick"
    echo "$CPU_CLOCK" >"$work/cpu_clock"
    echo "== $repo ($commit) -> $work" >&2
    build_image "$repo" "$work" "$2"
    echo "$work"
}

run_once() {  # run_once <work folder>: writes the next run<i>.txt there
    local work=$1 i=1 t0=$SECONDS clock=()
    while [ -e "$work/run$i.txt" ]; do i=$((i + 1)); done
    [ "$(cat "$work/cpu_clock")" = 1 ] && clock=(NANOCLR_CPU_CLOCK=1)
    # shellcheck disable=SC2046 # the load order is a list of file names without spaces
    (cd "$work/pe" && env "${clock[@]}" timeout "$RUN_TIMEOUT" nice -n "$NICE" "$NANOCLR" $(cat order)) >"$work/run$i.txt" 2>&1 \
        || echo "$(basename "$work") run $i: nanoCLR exit status $? (see $work/run$i.txt)" >&2
    echo "$(basename "$work"): run $i, $((SECONDS - t0)) s wall"
}

packages=$(resource_manager_packages) || exit 1
works=()
for arg in "$@"; do
    w=$(prepare "$arg" "$packages") || exit 1
    works+=("$w")
done
echo "nanoCLR: $NANOCLR; $RUNS rounds over ${#works[@]} checkout(s)"
for _ in $(seq 1 "$RUNS"); do
    for w in "${works[@]}"; do run_once "$w"; done
done
status=0
for w in "${works[@]}"; do
    python3 "$here/scripts/nanoclr-bench-summary.py" summarize "$w" | tee "$w/summary.txt"
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
done
[ ${#works[@]} -lt 2 ] || python3 "$here/scripts/nanoclr-bench-summary.py" compare "${works[@]}"
exit $status
