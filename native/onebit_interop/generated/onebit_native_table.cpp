// Generated from OneBit.Native.dll by host-tools/OneBit.PeWriter/NativeStubs.cs (`OneBit.BenchImage interop-stubs`):
// do not edit. nanoCLR loads the assembly only when its native-methods checksum equals this table's, and calls
// row i for the .pe's method i.

#include "onebit_native.h"

static const CLR_RT_MethodHandler method_lookup[] = {
    nullptr,                                 // 0: OneBit.Native.NativeFramePreprocessor::get_Name
    nullptr,                                 // 1: OneBit.Native.NativeFramePreprocessor::Process
    nullptr,                                 // 2: OneBit.Native.NativeFramePreprocessor::.ctor
    nullptr,                                 // 3: OneBit.Native.NativeKernelSet::For
    nullptr,                                 // 4: OneBit.Native.NativeKernelSet::Preprocessor
    nullptr,                                 // 5: OneBit.Native.NativeKernelSet::Probe
    nullptr,                                 // 6: OneBit.Native.NativeKernelSet::get_Description
    nullptr,                                 // 7: OneBit.Native.NativeKernelSet::.ctor
    nullptr,                                 // 8: OneBit.Native.NativeKernelSet::.cctor
    nullptr,                                 // 9: OneBit.Native.NativeLayerKernels::get_Name
    nullptr,                                 // 10: OneBit.Native.NativeLayerKernels::get_HasInt16Stream
    nullptr,                                 // 11: OneBit.Native.NativeLayerKernels::Stem
    nullptr,                                 // 12: OneBit.Native.NativeLayerKernels::Quantize
    nullptr,                                 // 13: OneBit.Native.NativeLayerKernels::Conv
    nullptr,                                 // 14: OneBit.Native.NativeLayerKernels::Residual
    nullptr,                                 // 15: OneBit.Native.NativeLayerKernels::Residual
    nullptr,                                 // 16: OneBit.Native.NativeLayerKernels::Pool
    nullptr,                                 // 17: OneBit.Native.NativeLayerKernels::PoolFinish
    nullptr,                                 // 18: OneBit.Native.NativeLayerKernels::.ctor
    Library_onebit_native_OneBit_Native_NativeLayers::InteropVersion___STATIC__I4, // 19: OneBit.Native.NativeLayers::InteropVersion
    Library_onebit_native_OneBit_Native_NativeLayers::Conv___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_U4__SZARRAY_U4__I4__SZARRAY_I4__I4__I4__I4, // 20: OneBit.Native.NativeLayers::Conv
    Library_onebit_native_OneBit_Native_NativeLayers::Stem___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U4__SZARRAY_U1__SZARRAY_I4__I4__I4__I4, // 21: OneBit.Native.NativeLayers::Stem
    Library_onebit_native_OneBit_Native_NativeLayers::Quantize___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I8__SZARRAY_I4__I4__SZARRAY_U4__I4__I4__I4, // 22: OneBit.Native.NativeLayers::Quantize
    Library_onebit_native_OneBit_Native_NativeLayers::Residual___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__I4__SZARRAY_I4__I4__SZARRAY_I4__I4__I4__I4, // 23: OneBit.Native.NativeLayers::Residual
    Library_onebit_native_OneBit_Native_NativeLayers::Residual16___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I2__I4__SZARRAY_I4__I4__SZARRAY_I2__I4__I4__I4, // 24: OneBit.Native.NativeLayers::Residual16
    Library_onebit_native_OneBit_Native_NativeLayers::PoolRows___STATIC__VOID__I4__I4__I4__I4__SZARRAY_I4__I4__SZARRAY_I8__I4__I4, // 25: OneBit.Native.NativeLayers::PoolRows
    Library_onebit_native_OneBit_Native_NativeLayers::PoolFinish___STATIC__VOID__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I8__SZARRAY_I8__SZARRAY_I4, // 26: OneBit.Native.NativeLayers::PoolFinish
    Library_onebit_native_OneBit_Native_NativeLayers::Preprocess___STATIC__VOID__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_U1, // 27: OneBit.Native.NativeLayers::Preprocess
};

const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_OneBit_Native = {
    "OneBit.Native",
    0x01B467D6,
    method_lookup,
    {1, 0, 0, 0},
};
