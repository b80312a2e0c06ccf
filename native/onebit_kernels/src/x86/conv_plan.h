/*
 * What the vector convs prepare once per call, so that their inner loop is nothing but AND, popcount and add:
 *  - the weights transposed to [block of `lanes` output channels][filter word][lane], so that one vector load gives
 *    the same filter word of `lanes` output channels and one broadcast activation word serves them all;
 *  - the input rows the call reads as strips: each plane's words de-interleaved into its own run, with zero pixels
 *    left and right of the image, so that the k·wpc words of kernel row ky for output pixel ox are one contiguous
 *    slice of the strip and padded taps are zero words (adding nothing, CONTRACT.md §4) without a test in the loop;
 *    rows above and below the image are a strip of zeros;
 *  - per input pixel Σ_p 2^p·popcount(A_p) (the data term), zero in the padding, and for z ≠ 0 the weights'
 *    popcount per tap, so that the border term of a pixel is a sum over its valid taps.
 * The popcounts are of whole words, padding bits included, as in conv.c.
 * Paired planes (AVX-512 with BITALG, layers of at most 16 channels at 2, 4 or 8 bits whose weight words have no bit
 * set above bit 15): strip word q of a pixel holds plane 2q in its low and plane 2q + 1 in its high 16 bits, and each
 * weight word is repeated in both halves, so one 16-bit-lane popcount counts two planes at once. Activation bits
 * above bit 15 meet zero weight bits, so dropping them changes no popcount of W ∧ A.
 */
#ifndef OB_X86_CONV_PLAN_H
#define OB_X86_CONV_PLAN_H

#include "ob_x86.h"

typedef struct ob_conv_plan {
    int32_t k, stride, wpc, bits, cout, lanes, blocks;
    int32_t paired;            /* planes in pairs, one strip plane per pair */
    int32_t strip_planes;      /* bits, or bits / 2 when paired */
    int32_t filter_words;      /* k·k·wpc */
    int32_t first_row, rows;   /* the input rows [first_row, first_row + rows) in strips */
    int32_t strip_pixels;      /* pad_left + in_width + right padding */
    int32_t strip_words;       /* strip_pixels·wpc, one plane */
    uint32_t *weights_t;       /* blocks × filter_words × lanes */
    uint32_t *tap_ones;        /* blocks × k·k × lanes, z ≠ 0 only */
    uint32_t *full_ones;       /* blocks × lanes, z ≠ 0 only */
    uint32_t *strips;          /* rows × strip_planes × strip_words */
    uint32_t *levels;          /* rows × strip_pixels */
    uint32_t *zeros;           /* max(strip_planes·strip_words, strip_pixels) */
    uint32_t *other;           /* out_width: 2·data − z·taps·Cin per output pixel of the current row */
    void *memory;
} ob_conv_plan;

/* True when the layer can take paired planes (see above). */
int ob_conv_plan_pairs(const ob_conv_layer *L, const uint32_t *weights);

/* Σ_p 2^p·popcount(A_p) of `pixels` pixels of bits·wpc words each, into out[0 .. pixels). */
typedef void (*ob_conv_levels)(const uint32_t *src, int32_t pixels, int32_t bits, int32_t wpc, uint32_t *out);

/* The scalar (POPCNT) form of ob_conv_levels. */
void ob_conv_plan_levels(const uint32_t *src, int32_t pixels, int32_t bits, int32_t wpc, uint32_t *out);

/* 0 when the memory is not available (the caller falls back to the portable code). */
int ob_conv_plan_make(ob_conv_plan *plan, const ob_conv_layer *L, const uint32_t *weights, const uint32_t *planes,
    int32_t in_rows, int32_t lanes, int32_t paired, ob_conv_levels levels, int32_t oy_start, int32_t oy_end);
void ob_conv_plan_free(ob_conv_plan *plan);

/* Per output row: the strip of each kernel row and plane, and the valid kernel rows [*ky0, *ky1). */
void ob_conv_plan_row(const ob_conv_plan *plan, const ob_conv_layer *L, int32_t oy, const uint32_t **strip_rows,
    const uint32_t **level_rows, int32_t *ky0, int32_t *ky1);

/* The other term of every output pixel of the row: plan->other[ox] = 2·data − z·taps·Cin. */
void ob_conv_plan_other(const ob_conv_plan *plan, const ob_conv_layer *L, const uint32_t *const *level_rows, int32_t ky0, int32_t ky1);

/* The valid kernel columns [*kx0, *kx1) of output pixel ox. */
static inline void ob_conv_plan_columns(const ob_conv_layer *L, int32_t ox, int32_t *kx0, int32_t *kx1)
{
    int32_t ix0 = ox * L->stride - L->pad_left;
    *kx0 = ix0 < 0 ? -ix0 : 0;
    *kx1 = L->in_width - ix0 < L->kernel ? L->in_width - ix0 : L->kernel;
}

#endif
