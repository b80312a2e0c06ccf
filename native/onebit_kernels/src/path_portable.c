/* The path API of builds without the x86-64 paths (the device, other hosts): the portable C is the only path. */
#include "onebit_kernels.h"

int32_t ob_select_path(int32_t path)
{
    return path == OB_PATH_DEFAULT || path == OB_PATH_PORTABLE ? OB_OK : OB_E_LAYER;
}

int32_t ob_path_supported(int32_t path)
{
    return path == OB_PATH_PORTABLE;
}

const char *ob_path_name(void)
{
    return "portable";
}

int64_t ob_vector_calls(void)
{
    return 0;
}
