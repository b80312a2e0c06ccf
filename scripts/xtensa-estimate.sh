#!/usr/bin/env bash
# The ESP32 estimate's measurement (issue 15, item 7; native/onebit_kernels/xtensa/README.md): compiles the native
# kernels (the preprocessor too) and the popcount variants with Debian's Xtensa toolchain at -O2 and at -Os, finds
# every kernel loop in the disassembly and prices one iteration of each (scripts/xtensa_loops.py), and writes the table
# native/onebit_kernels/xtensa/xtensa-cycles.tsv that `onebit inspect` turns into per-layer ESP32 times.
# Needs: sudo apt-get install -y gcc-xtensa-lx106 picolibc-xtensa-lx106-elf   (picolibc supplies stdint.h), python3, cc.
# Usage: scripts/xtensa-estimate.sh            rewrite the table
#        scripts/xtensa-estimate.sh --check    fail when the committed table differs from what the compiler gives now
#        scripts/xtensa-estimate.sh --tree     print every function's loop tree (to read beside objdump -d)
set -euo pipefail
cd "$(dirname "$0")/.."
CC=xtensa-lx106-elf-gcc
SYSROOT_INCLUDE=/usr/lib/xtensa-lx106-elf/include
command -v "$CC" > /dev/null || { echo "xtensa-estimate.sh: $CC not found; sudo apt-get install -y gcc-xtensa-lx106 picolibc-xtensa-lx106-elf" >&2; exit 2; }
[ -f "$SYSROOT_INCLUDE/stdint.h" ] || { echo "xtensa-estimate.sh: no stdint.h in $SYSROOT_INCLUDE; sudo apt-get install -y picolibc-xtensa-lx106-elf" >&2; exit 2; }
K=native/onebit_kernels
TABLE=$K/xtensa/xtensa-cycles.tsv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The popcount variants must count before their instructions are: host build, checked against a plain bit count.
cc -std=c99 -O2 -Wall -Wextra -Werror -I$K/include $K/xtensa/popcount_variants.c $K/xtensa/popcount_check.c -o "$work/popcount-check"
"$work/popcount-check"
for opt in O2 Os; do
  mkdir -p "$work/$opt"
  for src in $K/src/conv.c $K/src/stem.c $K/src/quantize.c $K/src/residual.c $K/src/global_pool.c $K/src/frame.c \
             $K/xtensa/popcount_variants.c; do
    name=$(basename "$src" .c)
    case $name in popcount_variants) name=popcount ;; esac
    "$CC" -isystem "$SYSROOT_INCLUDE" -I$K/include -std=c99 -"$opt" -Wall -Wextra -Wconversion -Werror -c "$src" -o "$work/$opt/$name.o"
  done
done
case ${1:-} in
  --tree) python3 scripts/xtensa_loops.py --tree "$work"/O2/*.o; exit 0 ;;
  --check)
    python3 scripts/xtensa_loops.py O2="$work/O2" Os="$work/Os" > "$work/table.tsv"
    diff -u "$TABLE" "$work/table.tsv" && echo "xtensa-estimate.sh: $TABLE is up to date" ;;
  *)
    python3 scripts/xtensa_loops.py O2="$work/O2" Os="$work/Os" > "$TABLE"
    echo "xtensa-estimate.sh: wrote $TABLE ($("$CC" --version | head -1))" ;;
esac
