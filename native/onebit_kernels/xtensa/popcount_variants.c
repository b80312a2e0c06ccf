/*
 * The three ways to count the ones of W ∧ A on a core without a popcount instruction (the ESP32's Xtensa LX6 and the
 * ESP32-S3's LX7: XCHAL_HAVE_POPC is not configured), each as the conv's inner operation Σ_i popcount(w[i] ∧ a[i]) over
 * n words, so that scripts/xtensa-estimate.sh can count the instructions per 32-bit word in the Xtensa disassembly.
 * Not part of the kernels' build: the kernels use the variant this measurement picked (src/ob_internal.h says which
 * and why). The script first runs them on the host against a plain bit count (popcount_check.c), so a count is never
 * taken from a variant that computes something else.
 */
#include <stdint.h>
#include "../src/ob_internal.h"

/* SWAR (Hacker's Delight, 2nd ed., §5-1): the kernels' ob_popcount32_swar per word. */
uint32_t ob_xt_dot_swar(const uint32_t *w, const uint32_t *a, int32_t n)
{
    uint32_t sum = 0;
    for (int32_t i = 0; i < n; i++) sum += ob_popcount32_swar(w[i] & a[i]);
    return sum;
}

/* Byte table: four loads from a 256-entry table per word (Hacker's Delight §5-1, "table lookup"). */
static const uint8_t ob_xt_byte_ones[256] = {
#define B2(n) n, n + 1, n + 1, n + 2
#define B4(n) B2(n), B2(n + 1), B2(n + 1), B2(n + 2)
#define B6(n) B4(n), B4(n + 1), B4(n + 1), B4(n + 2)
    B6(0), B6(1), B6(1), B6(2)
#undef B6
#undef B4
#undef B2
};

uint32_t ob_xt_dot_table(const uint32_t *w, const uint32_t *a, int32_t n)
{
    uint32_t sum = 0;
    for (int32_t i = 0; i < n; i++)
    {
        uint32_t x = w[i] & a[i];
        sum += (uint32_t)ob_xt_byte_ones[x & 0xFFu] + ob_xt_byte_ones[(x >> 8) & 0xFFu]
            + ob_xt_byte_ones[(x >> 16) & 0xFFu] + ob_xt_byte_ones[x >> 24];
    }
    return sum;
}

/* Carry-save adder: high and low bits of a + b + c, bit by bit. */
#define OB_CSA(h, l, a, b, c) do { uint32_t u_ = (a) ^ (b); (h) = ((a) & (b)) | (u_ & (c)); (l) = u_ ^ (c); } while (0)

/* Carry-save over blocks of 8 words (Harley and Seal; Muła, Kurz and Lemire, "Faster population counts using AVX2
 * instructions", 2018, §2): seven CSAs per 8 words and one SWAR popcount of the eights; the ones, twos and fours
 * accumulators and the tail words are counted once per call. */
uint32_t ob_xt_dot_csa(const uint32_t *w, const uint32_t *a, int32_t n)
{
    uint32_t ones = 0, twos = 0, fours = 0, eights, twos_a, twos_b, fours_a, fours_b, sum = 0;
    int32_t i = 0;
    for (; i + 8 <= n; i += 8)
    {
        OB_CSA(twos_a, ones, ones, w[i] & a[i], w[i + 1] & a[i + 1]);
        OB_CSA(twos_b, ones, ones, w[i + 2] & a[i + 2], w[i + 3] & a[i + 3]);
        OB_CSA(fours_a, twos, twos, twos_a, twos_b);
        OB_CSA(twos_a, ones, ones, w[i + 4] & a[i + 4], w[i + 5] & a[i + 5]);
        OB_CSA(twos_b, ones, ones, w[i + 6] & a[i + 6], w[i + 7] & a[i + 7]);
        OB_CSA(fours_b, twos, twos, twos_a, twos_b);
        OB_CSA(eights, fours, fours, fours_a, fours_b);
        sum += ob_popcount32_swar(eights);
    }
    sum = 8u * sum + 4u * ob_popcount32_swar(fours) + 2u * ob_popcount32_swar(twos) + ob_popcount32_swar(ones);
    for (; i < n; i++) sum += ob_popcount32_swar(w[i] & a[i]);
    return sum;
}
