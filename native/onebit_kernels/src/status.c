#include "onebit_kernels.h"

const char *ob_status_text(int32_t status)
{
    switch (status)
    {
    case OB_OK: return "ok";
    case OB_E_NULL: return "a buffer pointer is null";
    case OB_E_LAYER: return "a layer field is outside the contract";
    case OB_E_ROWS: return "a ring has no rows or the row range is outside the tensor";
    case OB_E_SHORT: return "a buffer is shorter than the layer or its ring needs";
    default: return "unknown status";
    }
}
