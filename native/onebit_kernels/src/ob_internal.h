/*
 * Helpers shared by the layer sources: the contract's rounding in 64-bit two's-complement arithmetic without undefined
 * behaviour, the popcount, and the checks every entry point makes before it touches a buffer.
 */
#ifndef OB_INTERNAL_H
#define OB_INTERNAL_H

#include <stdint.h>
#include "onebit_kernels.h"

/* The largest shift a blob may hold (BlobFormat.MaxShift). */
#define OB_MAX_SHIFT 62

/* GCC at -Os (the size-optimised builds of ESP-IDF and nanoFramework) calls a `static inline` function out of line
 * when that is smaller; the popcount must stay inline in the conv's inner loop (scripts/xtensa-estimate.sh counts it). */
#if defined(__GNUC__)
#define OB_INLINE static inline __attribute__((always_inline))
#else
#define OB_INLINE static inline
#endif

/* A specialised loop kept out of line, so that scripts/xtensa-estimate.sh finds its loop nest on its own. */
#if defined(__GNUC__)
#define OB_NOINLINE __attribute__((noinline))
#else
#define OB_NOINLINE
#endif

/*
 * Popcount of a 32-bit word. The Xtensa LX6/LX7 cores of the ESP32 and ESP32-S3 have no popcount instruction
 * (XCHAL_HAVE_POPC is not configured). Measured in Xtensa code (scripts/xtensa-estimate.sh, xtensa/README.md): SWAR
 * (Hacker's Delight, 2nd ed., §5-1) and a byte table cost the same per word, the table with four loads and 256 bytes of
 * DRAM; carry-save adders over 8-word blocks cost half per word but a fixed share per sum that the conv's 9–18 words
 * per plane do not amortise. So SWAR, and the conv's patch loop (conv_patch.h) shares its later steps between the
 * activation planes. The host build may ask for the compiler's builtin (OB_HOST_POPCOUNT), which it dispatches at load
 * time to the POPCNT instruction when the CPU has one (conv.c).
 */
OB_INLINE uint32_t ob_popcount32_swar(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (x * 0x01010101u) >> 24;
}

/* Two's-complement wrap of a 64-bit unsigned value to int64 / int32 / int16, as C# unchecked casts. Converting an
 * out-of-range value to a signed type is implementation-defined in C99 (§6.3.1.3), so it is done by hand. */
static inline int64_t ob_i64(uint64_t v)
{
    return v <= (uint64_t)INT64_MAX ? (int64_t)v : -(int64_t)(~v) - 1;
}

static inline int32_t ob_i32(uint64_t v)
{
    uint32_t w = (uint32_t)v;
    return w <= (uint32_t)INT32_MAX ? (int32_t)w : -(int32_t)(~w) - 1;
}

static inline int16_t ob_i16(uint64_t v)
{
    uint16_t w = (uint16_t)v;
    return w <= 0x7FFFu ? (int16_t)w : (int16_t)(-(int32_t)(uint16_t)~w - 1);
}

/* floor(v / 2^n): an arithmetic right shift, which C99 leaves implementation-defined for negative v (§6.5.7). */
static inline int64_t ob_floor_shift(int64_t v, int n)
{
    return v >= 0 ? v >> n : -((-(v + 1)) >> n) - 1;
}

/* RoundShift of CONTRACT.md §5: (v + 2^(n-1)) >> n, the sum wrapping in 64 bits as in C#. */
static inline int64_t ob_round_shift(int64_t v, int n)
{
    if (n == 0) return v;
    return ob_floor_shift(ob_i64((uint64_t)v + ((uint64_t)1 << (n - 1))), n);
}

/* Words per channel vector, CONTRACT.md §1. */
static inline int32_t ob_wpc(int32_t channels)
{
    return (channels + 31) >> 5;
}

/* True when a ring of `rows` rows of `row_len` elements fits a buffer of `len` elements. */
static inline int ob_ring_fits(int32_t rows, int64_t row_len, int32_t len)
{
    return rows >= 1 && (int64_t)rows * row_len <= (int64_t)len;
}

/* True when the row range is inside a tensor of `height` rows. */
static inline int ob_range_ok(int32_t start, int32_t end, int32_t height)
{
    return start >= 0 && start <= end && end <= height;
}

/* True for a positive dimension small enough that products of a few of them stay far from int64 overflow. */
static inline int ob_dim_ok(int32_t v)
{
    return v >= 1 && v <= 0xFFFF;
}

#endif
