#!/usr/bin/env bash
# Builds a custom nanoFramework firmware for an ESP32 board with our interop assembly (the native kernels) in it:
# nf-interpreter's ESP32 target, built inside nanoFramework's ESP32 dev container (the image the checkout names in
# .devcontainer/ESP32/Dockerfile.ESP32, with the ESP-IDF version the checkout pins), with
# NF_INTEROP_ASSEMBLIES=<our assembly>. Prints where nanoCLR.bin is; `onebit flash --clrfile` writes it.
# Why and how, step by step (also by hand): device/FIRMWARE.md.
#
# Nothing of nf-interpreter is in this repository: clone it yourself, e.g.
#   git clone https://github.com/nanoframework/nf-interpreter
# What it changes in the checkout:
#   InteropAssemblies/<name>/          replaced on every run, laid out as this repository's native/ folder (what the
#                                      find module expects): our C++ glue under <basename of INTEROP_DIR>/, the
#                                      portable C kernels under <basename of KERNELS_DIR>/{include,src}
#   CMake/Modules/FindINTEROP-<name>.cmake
#                                      the find module (nf-interpreter's top CMakeLists.txt sets CMAKE_MODULE_PATH to
#                                      CMake/Modules and CMake, so a module elsewhere cannot be passed in)
#   config/user-tools-repos.json, config/user-prefs.json
#                                      only if missing: from their templates, as nanoFramework's CI does (the
#                                      targets' CMake presets include them)
#   build/                             the build (the presets' binary folder), owned by you again afterwards
# Needs docker (DOCKER=podman works too) and network access for the image's first pull (a large image).
#
# usage: scripts/build-esp32-firmware.sh [--dry-run] <nf-interpreter checkout> [target]
#   target   an ESP32 configure preset of targets/ESP32/CMakePresets.json; default ESP32_PSRAM_REV0 (ESP32-WROVER)
#   --dry-run  print every step, change nothing
set -euo pipefail

# ---- the interop assembly: the two names to change when it is renamed or moved --------------------------------
INTEROP_NAME=OneBit.Native          # assembly name: NF_INTEROP_ASSEMBLIES and FindINTEROP-<name>.cmake
INTEROP_DIR=native/onebit_interop   # its C++ glue and FindINTEROP-<name>.cmake, relative to this repository
# ----------------------------------------------------------------------------------------------------------------
KERNELS_DIR=native/onebit_kernels   # the portable C kernels the glue calls (include/, src/)
DEFAULT_TARGET=ESP32_PSRAM_REV0
CONTAINER_IDF=/sources/esp-idf      # ESP-IDF inside nanoFramework's ESP32 dev container (Dockerfile.ESP32.SRC)
CONTAINER_DIR=/workspaces/nf-interpreter
DOCKER=${DOCKER:-docker}

die() { echo "build-esp32-firmware: $*" >&2; exit 1; }
usage="usage: scripts/build-esp32-firmware.sh [--dry-run] <nf-interpreter checkout> [target, default $DEFAULT_TARGET]"

dry=0
args=()
for a in "$@"; do
    case $a in
        --dry-run) dry=1 ;;
        -h | --help) echo "$usage"; exit 0 ;;
        -*) die "unknown option $a; $usage" ;;
        *) args+=("$a") ;;
    esac
done
[ ${#args[@]} -ge 1 ] && [ ${#args[@]} -le 2 ] || die "$usage"
nf=${args[0]}
target=${args[1]:-$DEFAULT_TARGET}
repo=$(cd "$(dirname "$0")/.." && pwd)

# Prints a step as a shell line; runs it unless --dry-run.
step() {
    printf '+'
    printf ' %q' "$@"
    printf '\n'
    [ $dry -eq 1 ] || "$@"
}

# ---- checks: everything is read before anything is changed ----------------------------------------------------
[ -d "$nf" ] || die "$nf is not a folder (clone https://github.com/nanoframework/nf-interpreter)"
nf=$(cd "$nf" && pwd)
for f in CMakePresets.json targets/ESP32/CMakePresets.json targets/ESP32/CMakeLists.txt \
         CMake/Modules/FindNF_NativeAssemblies.cmake InteropAssemblies .devcontainer/ESP32/Dockerfile.ESP32; do
    [ -e "$nf/$f" ] || die "$nf has no $f: not a checkout of nanoframework/nf-interpreter with its ESP32 targets and dev container"
done

[[ $target =~ ^[A-Za-z0-9_.-]+$ ]] || die "not a target name: $target"
presets=$(grep -o '"name"[[:space:]]*:[[:space:]]*"[^"]*"' "$nf/targets/ESP32/CMakePresets.json" | sed 's/.*"\([^"]*\)"$/\1/' | sort -u)
grep -qxF "$target" <<<"$presets" || die "no target $target in targets/ESP32/CMakePresets.json; its targets: $(tr '\n' ' ' <<<"$presets")"

image=$(sed -n 's/^FROM[[:space:]]\{1,\}\([^[:space:]]\{1,\}\).*/\1/p' "$nf/.devcontainer/ESP32/Dockerfile.ESP32" | head -n 1)
[ -n "$image" ] || die "$nf/.devcontainer/ESP32/Dockerfile.ESP32 names no image (FROM line)"
idf=$(sed -n 's/.*set(ESP32_IDF_TAG[[:space:]]*"\([^"]*\)".*/\1/p' "$nf/targets/ESP32/CMakeLists.txt" | head -n 1)
container_idf=$(sed -n 's/.*--branch[[:space:]]\{1,\}v\([^[:space:]]\{1,\}\)[[:space:]]\{1,\}https:\/\/github.com\/espressif\/esp-idf.*/\1/p' \
    "$nf/.devcontainer/ESP32/Dockerfile.ESP32.SRC" 2>/dev/null | head -n 1)

find_module=$INTEROP_DIR/FindINTEROP-$INTEROP_NAME.cmake
for p in "$INTEROP_DIR" "$find_module" "$KERNELS_DIR/include" "$KERNELS_DIR/src"; do
    [ -e "$repo/$p" ] || die "this repository has no $p: the interop assembly's sources (glue, find module, C kernels) are needed; see device/FIRMWARE.md"
done

for f in user-tools-repos user-prefs; do
    [ -f "$nf/config/$f.json" ] || [ -f "$nf/config/$f.TEMPLATE.json" ] || die "$nf has neither config/$f.json nor its template"
done

# ---- what will happen ------------------------------------------------------------------------------------------
revision=$(git -C "$nf" log -1 --format='%h %cs' 2>/dev/null || echo "not a git checkout")
echo "nf-interpreter: $nf ($revision)"
echo "target:         $target"
echo "dev container:  $image (ESP-IDF v${idf:-?}, pinned in targets/ESP32/CMakeLists.txt)"
if [ -n "$container_idf" ] && [ -n "$idf" ] && [ "$container_idf" != "$idf" ]; then
    echo "warning: the checkout pins ESP-IDF v$idf but its dev container source clones v$container_idf" >&2
fi
echo "interop:        $INTEROP_NAME from $INTEROP_DIR, C kernels from $KERNELS_DIR"
checksum=$(grep -A8 'g_CLR_AssemblyNative_mscorlib[[:space:]]*=' "$nf/src/CLR/CorLib/corlib_native.cpp" 2>/dev/null | grep -o -m1 '0x[0-9A-Fa-f]\{8\}' || true)
if [ -n "$checksum" ]; then
    echo "mscorlib:       native checksum $checksum (with reflection); the app image's mscorlib must have the same (app.manifest.json: nativeMethodsChecksum of mscorlib)"
fi
[ $dry -eq 0 ] || echo "dry run: the steps below are printed, not run"

# ---- the interop sources into the checkout -------------------------------------------------------------------
dest=$nf/InteropAssemblies/$INTEROP_NAME
kernels=$dest/$(basename "$KERNELS_DIR")
step rm -rf "$dest"
glue=$dest/$(basename "$INTEROP_DIR")
step mkdir -p "$glue" "$kernels"
step cp -R "$repo/$INTEROP_DIR/." "$glue/"
step cp -R "$repo/$KERNELS_DIR/include" "$repo/$KERNELS_DIR/src" "$kernels/"
step cp "$repo/$find_module" "$nf/CMake/Modules/"

# ---- the presets' user files, if missing: the empty tools preset of nanoFramework's CI (paths are passed below) --
if [ ! -f "$nf/config/user-tools-repos.json" ]; then
    rename='!done && sub(/"user-tools-repos-cloud"/, "\"user-tools-repos\"") { done = 1 } { print }'
    printf '+ awk %q %q > %q\n' "$rename" "$nf/config/user-tools-repos.TEMPLATE.json" "$nf/config/user-tools-repos.json"
    [ $dry -eq 1 ] || awk "$rename" "$nf/config/user-tools-repos.TEMPLATE.json" >"$nf/config/user-tools-repos.json"
fi
[ -f "$nf/config/user-prefs.json" ] || step cp "$nf/config/user-prefs.TEMPLATE.json" "$nf/config/user-prefs.json"

# ---- the build, inside the dev container -----------------------------------------------------------------------
configure="cmake --preset $target -DESP32_IDF_PATH=$CONTAINER_IDF -DCMAKE_BUILD_TYPE=MinSizeRel -DNF_INTEROP_ASSEMBLIES=$INTEROP_NAME"
build="cmake --build --preset $target"
# the container runs as root (its tools are under /root): give the build folder back to the caller afterwards
inner="git config --global --add safe.directory '*' && $configure && $build; status=\$?; chown -R $(id -u):$(id -g) build; exit \$status"
nanoclr=$nf/build/nanoCLR.bin

manual() {
    cat >&2 <<EOF
Build it by hand in nanoFramework's ESP32 dev container (the sources above are in place):
  - VS Code with the Dev Containers extension: open $nf, "Reopen in Container", choose nanoFramework-ESP32; or
  - any machine with docker: docker run -it --rm -v "$nf:$CONTAINER_DIR" -w $CONTAINER_DIR $image bash
then, in the container, from the checkout's root:
  $configure
  $build
The firmware is then $nanoclr (with build/bootloader/bootloader.bin and build/partitions_4mb.bin beside it).
EOF
}

if [ $dry -eq 0 ]; then
    problem=
    if ! command -v "$DOCKER" >/dev/null 2>&1; then
        problem="$DOCKER is not installed (https://docs.docker.com/engine/install/)"
    elif ! "$DOCKER" info >/dev/null 2>&1; then
        problem="$DOCKER cannot reach its daemon (is it running, and may this user use it?)"
    fi
    if [ -n "$problem" ]; then
        echo "build-esp32-firmware: $problem: the firmware cannot be built here." >&2
        manual
        exit 2
    fi
fi

echo "in the container: $configure && $build"
if ! step "$DOCKER" run --rm -v "$nf:$CONTAINER_DIR" -w "$CONTAINER_DIR" "$image" bash -c "$inner"; then
    die "the build in the dev container failed (its output is above)"
fi

if [ $dry -eq 1 ]; then
    echo "nanoCLR would be: $nanoclr"
    exit 0
fi
[ -f "$nanoclr" ] || die "the build finished without $nanoclr"
echo "nanoCLR: $nanoclr"
echo "flash it, then the app image, with:"
echo "  onebit flash --port <PORT> --target $target --clrfile $nanoclr --image <app.bin of onebit build-device>"
