/*
 * Host check of popcount_variants.c, run by scripts/xtensa-estimate.sh before it counts their instructions: the three
 * variants against a bit-by-bit count on seeded random words, every length from 0 to 40 (carry-save blocks and tails).
 */
#include <stdint.h>
#include <stdio.h>

uint32_t ob_xt_dot_swar(const uint32_t *w, const uint32_t *a, int32_t n);
uint32_t ob_xt_dot_table(const uint32_t *w, const uint32_t *a, int32_t n);
uint32_t ob_xt_dot_csa(const uint32_t *w, const uint32_t *a, int32_t n);

static uint32_t next(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

int main(void)
{
    uint32_t seed = 12345u, w[40], a[40];
    for (int round = 0; round < 200; round++)
        for (int32_t n = 0; n <= 40; n++)
        {
            uint32_t expected = 0;
            for (int32_t i = 0; i < n; i++)
            {
                w[i] = round == 0 ? 0xFFFFFFFFu : next(&seed);
                a[i] = round == 0 ? 0xFFFFFFFFu : next(&seed);
                for (uint32_t x = w[i] & a[i]; x != 0; x &= x - 1) expected++;
            }
            uint32_t s = ob_xt_dot_swar(w, a, n), t = ob_xt_dot_table(w, a, n), c = ob_xt_dot_csa(w, a, n);
            if (s != expected || t != expected || c != expected)
            {
                printf("popcount variants disagree at n = %d: expected %u, swar %u, table %u, carry-save %u\n", (int)n,
                    (unsigned)expected, (unsigned)s, (unsigned)t, (unsigned)c);
                return 1;
            }
        }
    return 0;
}
