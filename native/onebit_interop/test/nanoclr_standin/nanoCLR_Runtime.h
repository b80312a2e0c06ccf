/*
 * A minimal stand-in for the nanoCLR runtime types the glue reads (native/onebit_interop/onebit_interop.h): a stack
 * frame whose arguments are heap blocks, an int argument by NumericByRef().s4, an array by DereferenceArray() with its
 * element count, element type and size. Written for glue_test.cpp; not nanoCLR's source.
 */
#ifndef ONEBIT_STANDIN_NANOCLR_RUNTIME_H
#define ONEBIT_STANDIN_NANOCLR_RUNTIME_H

#include <stdint.h>

#include "nanoCLR_Interop.h"

typedef uint8_t CLR_UINT8;
typedef uint32_t CLR_UINT32;

enum CLR_DataType
{
    DATATYPE_U1 = 1,
    DATATYPE_I2,
    DATATYPE_I4,
    DATATYPE_U4,
    DATATYPE_I8,
};

struct CLR_RT_HeapBlock_Array
{
    CLR_UINT32 m_numOfElements;
    CLR_UINT8 m_typeOfElement;
    CLR_UINT8 m_sizeOfElement;
    void *m_data;

    CLR_UINT8 *GetFirstElement()
    {
        return static_cast<CLR_UINT8 *>(m_data);
    }
};

struct CLR_RT_HeapBlock
{
    struct Numeric
    {
        int32_t s4;
    };

    Numeric m_numeric;
    CLR_RT_HeapBlock_Array *m_array;

    Numeric &NumericByRef()
    {
        return m_numeric;
    }

    CLR_RT_HeapBlock_Array *DereferenceArray() const
    {
        return m_array;
    }
};

struct CLR_RT_StackFrame
{
    CLR_RT_HeapBlock *m_arguments;
    int32_t m_result;

    CLR_RT_HeapBlock &ArgN(int32_t n) const
    {
        return m_arguments[n];
    }

    void SetResult_I4(int32_t value)
    {
        m_result = value;
    }
};

#endif
