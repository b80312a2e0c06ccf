// Generated from OneBit.Native.dll by host-tools/OneBit.PeWriter/NativeStubs.cs (`OneBit.BenchImage interop-stubs`):
// do not edit. nanoCLR loads the assembly only when its native-methods checksum equals this table's, and calls
// row i for the .pe's method i.

#ifndef ONEBIT_NATIVE_H
#define ONEBIT_NATIVE_H

#include <nanoCLR_Interop.h>
#include <nanoCLR_Runtime.h>

#define ONEBIT_NATIVE_ASSEMBLY "OneBit.Native"
#define ONEBIT_NATIVE_CHECKSUM 0x01B467D6u

struct Library_onebit_native_OneBit_Native_NativeLayers
{
    NANOCLR_NATIVE_DECLARE(InteropVersion___STATIC__I4);
    NANOCLR_NATIVE_DECLARE(Conv___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_U4__SZARRAY_U4__I4__SZARRAY_I4__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(Stem___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U4__SZARRAY_U1__SZARRAY_I4__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(Quantize___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I8__SZARRAY_I4__I4__SZARRAY_U4__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(Residual___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__I4__SZARRAY_I4__I4__SZARRAY_I4__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(Residual16___STATIC__VOID__I4__I4__I4__I4__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I2__I4__SZARRAY_I4__I4__SZARRAY_I2__I4__I4__I4);
    NANOCLR_NATIVE_DECLARE(PoolRows___STATIC__VOID__I4__I4__I4__I4__SZARRAY_I4__I4__SZARRAY_I8__I4__I4);
    NANOCLR_NATIVE_DECLARE(PoolFinish___STATIC__VOID__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I8__SZARRAY_I8__SZARRAY_I4);
    NANOCLR_NATIVE_DECLARE(Preprocess___STATIC__VOID__I4__I4__I4__I4__I4__I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_I4__SZARRAY_U1__SZARRAY_U1);
};

extern const CLR_RT_NativeAssemblyData g_CLR_AssemblyNative_OneBit_Native;

#endif // ONEBIT_NATIVE_H
