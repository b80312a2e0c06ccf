#!/usr/bin/env bash
# Builds native/onebit_kernels once more with AddressSanitizer and UndefinedBehaviorSanitizer (with the portable SWAR
# popcount, the path the device compiles) and runs tests/OneBit.NativeKernels.Tests on that library: the layer sweeps
# on exact-size malloc'd copies of their buffers (ASan's red zones; the garbage-collected heap has none), the runners
# on the pinned arrays they use in production. The sanitizer runtime has to be in the process before anything else,
# hence LD_PRELOAD, set for the test host only (a runsettings file); ASan leaves SIGSEGV to .NET (which turns it into
# NullReferenceException) and does not report the runtime's allocations at exit as leaks. Any report aborts the test
# host, which fails the run. Needs the solution built: dotnet build Embedded.sln -c Release (.ci/run does).
# Usage: bash scripts/test-native-sanitized.sh [RESULTS_DIR]   (the .trx goes there; a temporary directory otherwise)
set -euo pipefail
cd "$(dirname "$0")/.."
results=${1:-$(mktemp -d)}
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

cmake -S native/onebit_kernels -B "$build" -DONEBIT_SANITIZE=ON -DONEBIT_HOST_POPCOUNT=OFF >/dev/null
cmake --build "$build" >/dev/null
compiler=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
libasan=$("$compiler" -print-file-name=libasan.so)
if [ ! -e "$libasan" ]; then
  echo "error: $compiler has no libasan.so; the sanitizer run needs GCC's (Debian/Ubuntu: sudo apt-get install gcc)" >&2
  exit 1
fi

cat > "$build/sanitizers.runsettings" <<EOF
<RunSettings>
  <RunConfiguration>
    <EnvironmentVariables>
      <LD_PRELOAD>$libasan</LD_PRELOAD>
      <ASAN_OPTIONS>detect_leaks=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:allow_user_segv_handler=1:abort_on_error=1</ASAN_OPTIONS>
      <UBSAN_OPTIONS>print_stacktrace=1:halt_on_error=1</UBSAN_OPTIONS>
      <ONEBIT_NATIVE_KERNELS>$build/libonebit_kernels.so</ONEBIT_NATIVE_KERNELS>
      <ONEBIT_NATIVE_TEST_BUFFERS>malloc</ONEBIT_NATIVE_TEST_BUFFERS>
    </EnvironmentVariables>
  </RunConfiguration>
</RunSettings>
EOF
dotnet test tests/OneBit.NativeKernels.Tests/OneBit.NativeKernels.Tests.csproj -c Release --no-build -nologo \
  --settings "$build/sanitizers.runsettings" --results-directory "$results" \
  --logger "trx;LogFileName=OneBit.NativeKernels.Tests.Sanitized.trx"
