/*
 * OneBit.Native's glue between nanoCLR and the C kernels (native/onebit_kernels): how a handler reads its arguments
 * from the CLR_RT_StackFrame and turns the kernels' status codes into nanoCLR's. The handlers themselves are in
 * onebit_native_layers.cpp; their declarations and the native table are generated from the assembly
 * (generated/, `OneBit.BenchImage interop-stubs`).
 */
#ifndef ONEBIT_INTEROP_H
#define ONEBIT_INTEROP_H

#include <stdint.h>

#include <nanoCLR_Interop.h>
#include <nanoCLR_Runtime.h>

#include "onebit_kernels.h"

/* What NativeLayers.InteropVersion() answers; device/OneBit.Native/NativeKernelSet.cs expects the same number. Raise
 * both when an entry point changes meaning without changing its signature (the native checksum covers only names and
 * signatures). */
#define ONEBIT_INTEROP_VERSION 1

namespace onebit_interop
{

/* nanoCLR's answer for a kernel status: a layer field outside the contract is an invalid parameter (ArgumentException
 * in C#), a buffer too short or rows outside the tensor are out of range, a null buffer a null argument. */
HRESULT FromStatus(int32_t status);

/* Argument n of a static method as an int. */
inline int32_t Int(CLR_RT_StackFrame &stack, int n)
{
    return stack.ArgN(n).NumericByRef().s4;
}

/* Argument n as an array of the element type the signature promises (checked: a table that maps a handler to another
 * method must not make it read the wrong elements), with its length in elements. A null array is accepted only when
 * `optional` (the unused pair of the quantizer), as (nullptr, 0). */
template <typename T>
HRESULT Array(CLR_RT_StackFrame &stack, int n, CLR_DataType element, bool optional, T *&data, int32_t &length)
{
    CLR_RT_HeapBlock_Array *array = stack.ArgN(n).DereferenceArray();
    data = nullptr;
    length = 0;
    if (array == nullptr)
    {
        return optional ? S_OK : CLR_E_ARGUMENT_NULL;
    }
    if (array->m_typeOfElement != element || array->m_sizeOfElement != sizeof(T))
    {
        return CLR_E_INVALID_PARAMETER;
    }
    if (array->m_numOfElements > (CLR_UINT32)INT32_MAX)
    {
        return CLR_E_OUT_OF_RANGE;
    }
    data = reinterpret_cast<T *>(array->GetFirstElement());
    length = (int32_t)array->m_numOfElements;
    return S_OK;
}

/* A row range of a ring: at least one ring row, 0 <= start <= end. The kernels check the range against the tensor and
 * the ring against its buffer; this keeps a negative or reversed range from reaching them at all. */
inline HRESULT Rows(int32_t ringRows, int32_t start, int32_t end)
{
    return ringRows > 0 && start >= 0 && end >= start ? S_OK : CLR_E_OUT_OF_RANGE;
}

} // namespace onebit_interop

#endif
