# The interop library OneBit.Native for an nf-interpreter build: nf-interpreter's FindNF_NativeAssemblies runs
# find_package(INTEROP-OneBit.Native) for each name in NF_INTEROP_ASSEMBLIES and compiles OneBit.Native_SOURCES with
# OneBit.Native_INCLUDE_DIRS. Put this file on CMAKE_MODULE_PATH (nf-interpreter's CMake/Modules) and either set
# ONEBIT_NATIVE_DIR to this repository's native/ folder or copy that folder to <nf-interpreter>/InteropAssemblies/OneBit.Native
# (native/onebit_interop/README.md).

if(NOT ONEBIT_NATIVE_DIR)
    set(ONEBIT_NATIVE_DIR "${CMAKE_SOURCE_DIR}/InteropAssemblies/OneBit.Native")
endif()

set(OneBit.Native_INCLUDE_DIRS
    "${ONEBIT_NATIVE_DIR}/onebit_interop"
    "${ONEBIT_NATIVE_DIR}/onebit_interop/generated"
    "${ONEBIT_NATIVE_DIR}/onebit_kernels/include")

set(OneBit.Native_SOURCES
    "${ONEBIT_NATIVE_DIR}/onebit_interop/generated/onebit_native_table.cpp"
    "${ONEBIT_NATIVE_DIR}/onebit_interop/onebit_native_layers.cpp"
    "${ONEBIT_NATIVE_DIR}/onebit_kernels/src/conv.c"
    "${ONEBIT_NATIVE_DIR}/onebit_kernels/src/frame.c"
    "${ONEBIT_NATIVE_DIR}/onebit_kernels/src/global_pool.c"
    "${ONEBIT_NATIVE_DIR}/onebit_kernels/src/path_portable.c"
    "${ONEBIT_NATIVE_DIR}/onebit_kernels/src/quantize.c"
    "${ONEBIT_NATIVE_DIR}/onebit_kernels/src/residual.c"
    "${ONEBIT_NATIVE_DIR}/onebit_kernels/src/status.c"
    "${ONEBIT_NATIVE_DIR}/onebit_kernels/src/stem.c")

foreach(source ${OneBit.Native_SOURCES})
    if(NOT EXISTS "${source}")
        message(FATAL_ERROR "OneBit.Native: ${source} not found; set ONEBIT_NATIVE_DIR to the OneBit repository's native/ folder")
    endif()
endforeach()

# A build for a PC (the posix nanoCLR) may take the host build's popcount: the compiler's builtin, dispatched to POPCNT at
# load time (native/onebit_kernels/src/conv.c). Never for the ESP32: its cores have no popcount instruction.
option(ONEBIT_NATIVE_HOST_POPCOUNT "OneBit.Native: popcount by the compiler's builtin, dispatched to POPCNT (x86-64 hosts only)" OFF)
if(ONEBIT_NATIVE_HOST_POPCOUNT)
    set_source_files_properties("${ONEBIT_NATIVE_DIR}/onebit_kernels/src/conv.c" PROPERTIES COMPILE_DEFINITIONS OB_HOST_POPCOUNT)
endif()

# The kernels at -O2 even in size-optimised firmware (ESP32 builds use -Os): at -Os the fast model's estimated frame
# misses its 50 ms (native/onebit_kernels/xtensa/README.md). The x86 paths of the host build are never compiled here.
foreach(source ${OneBit.Native_SOURCES})
    if(source MATCHES "onebit_kernels/src/")
        set_property(SOURCE "${source}" APPEND PROPERTY COMPILE_OPTIONS -O2)
    endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(INTEROP-OneBit.Native DEFAULT_MSG OneBit.Native_INCLUDE_DIRS OneBit.Native_SOURCES)
