#include "ob_x86.h"
int ob_x86_conv_avx2(const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes, int32_t in_rows,
    int32_t *acc, int32_t out_rows, int32_t oy_start, int32_t oy_end) { (void)L;(void)weights;(void)planes;(void)in_rows;(void)acc;(void)out_rows;(void)oy_start;(void)oy_end; return 0; }
