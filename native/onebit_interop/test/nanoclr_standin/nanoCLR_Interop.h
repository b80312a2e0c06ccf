/*
 * A minimal stand-in for nanoCLR's interop declarations, enough to compile native/onebit_interop on a PC for its
 * tests (glue_test.cpp): the names the glue uses, with the behaviour nanoFramework documents (HRESULTs, the
 * NANOCLR_HEADER/NANOCLR_CLEANUP goto pattern, the table record). Written for these tests; not nanoCLR's source.
 */
#ifndef ONEBIT_STANDIN_NANOCLR_INTEROP_H
#define ONEBIT_STANDIN_NANOCLR_INTEROP_H

#include <stdint.h>

typedef int32_t HRESULT;
#define S_OK ((HRESULT)0)
#define FAILED(hr) ((HRESULT)(hr) < 0)
#define SUCCEEDED(hr) ((HRESULT)(hr) >= 0)

/* distinct negative codes under nanoCLR's names (their values do not matter here) */
#define CLR_E_FAIL ((HRESULT)0x80000001)
#define CLR_E_OUT_OF_RANGE ((HRESULT)0x80000002)
#define CLR_E_ARGUMENT_NULL ((HRESULT)0x80000003)
#define CLR_E_INVALID_PARAMETER ((HRESULT)0x80000004)

#define NANOCLR_HEADER() HRESULT hr
#define NANOCLR_LEAVE() goto nanoCLR_Cleanup
#define NANOCLR_CHECK_HRESULT(expr)                                                                                    \
    {                                                                                                                  \
        if (FAILED(hr = (expr)))                                                                                       \
            NANOCLR_LEAVE();                                                                                           \
    }
#define NANOCLR_CLEANUP()                                                                                              \
    hr = S_OK;                                                                                                         \
    nanoCLR_Cleanup:
#define NANOCLR_CLEANUP_END() return hr
#define NANOCLR_NOCLEANUP()                                                                                            \
    NANOCLR_CLEANUP();                                                                                                 \
    NANOCLR_CLEANUP_END()
#define NANOCLR_NOCLEANUP_NOLABEL()                                                                                    \
    hr = S_OK;                                                                                                         \
    return hr

struct CLR_RT_StackFrame;
typedef HRESULT (*CLR_RT_MethodHandler)(CLR_RT_StackFrame &stack);
#define NANOCLR_NATIVE_DECLARE(mtd) static HRESULT mtd(CLR_RT_StackFrame &stack)

struct CLR_RECORD_VERSION
{
    uint16_t majorVersion, minorVersion, buildNumber, revisionNumber;
};

struct CLR_RT_NativeAssemblyData
{
    const char *m_szAssemblyName;
    unsigned int m_checkSum;
    const void *m_pNativeMethods;
    CLR_RECORD_VERSION m_Version;
};

#endif
