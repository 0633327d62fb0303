/* utf8.c: strict UTF-8 and a table-free lower-casing for the scripts news text uses. */
#include "utf8_int.h"

#include <string.h>

size_t stance_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char b0 = s[0];
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2, c = b0 & 0x1F, min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3, c = b0 & 0x0F, min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4, c = b0 & 0x07, min = 0x10000;
    } else {
        return 0; /* continuation byte, 0xC0/0xC1 overlong lead, or 0xF5.. */
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

size_t stance_utf8_encode(uint32_t cp, unsigned char out[4])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= 0x10FFFF) {
        out[0] = (unsigned char)(0xF0 | (cp >> 18));
        out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (unsigned char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

size_t stance_utf8_check(const unsigned char *s, size_t n)
{
    const uint64_t high = 0x8080808080808080ULL;
    size_t i = 0;
    while (i < n) {
        /* ASCII, the bulk of news text, eight bytes at a time */
        uint64_t v;
        while (n - i >= 16) {
            uint64_t w;
            memcpy(&v, s + i, sizeof v);
            memcpy(&w, s + i + 8, sizeof w);
            if ((v | w) & high)
                break;
            i += 16;
        }
        if (i == n) /* the loop above can end exactly at the end */
            break;
        if (n - i >= 8) {
            memcpy(&v, s + i, sizeof v);
            if (!(v & high)) {
                i += 8;
                continue;
            }
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = stance_utf8_decode(s + i, n - i, &cp);
        if (len == 0)
            return i;
        i += len;
    }
    return n;
}

/* In these blocks upper case is the even code point and lower case the next odd one. */
static int even_odd_pair(uint32_t cp)
{
    return (cp >= 0x0100 && cp <= 0x012F) || (cp >= 0x0132 && cp <= 0x0137) ||
           (cp >= 0x014A && cp <= 0x0177) || (cp >= 0x0182 && cp <= 0x0185) ||
           (cp >= 0x01A0 && cp <= 0x01A5) || (cp >= 0x01DE && cp <= 0x01EF) ||
           (cp >= 0x01F8 && cp <= 0x021F) || (cp >= 0x0222 && cp <= 0x0233) ||
           (cp >= 0x0460 && cp <= 0x0481) || (cp >= 0x048A && cp <= 0x04BF) ||
           (cp >= 0x04D0 && cp <= 0x052F) || (cp >= 0x1E00 && cp <= 0x1E95) ||
           (cp >= 0x1EA0 && cp <= 0x1EFF);
}

/* ...and in these the upper case is odd and the lower case the next even one. */
static int odd_even_pair(uint32_t cp)
{
    return (cp >= 0x0139 && cp <= 0x0148) || (cp >= 0x0179 && cp <= 0x017E) ||
           (cp >= 0x01CD && cp <= 0x01DC) || (cp >= 0x04C1 && cp <= 0x04CE);
}

uint32_t stance_utf8_lower(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    if (cp >= 0x00C0 && cp <= 0x00DE && cp != 0x00D7)
        return cp + 32;
    if (even_odd_pair(cp))
        return cp | 1;
    if (odd_even_pair(cp))
        return (cp & 1) ? cp + 1 : cp;
    switch (cp) {
    case 0x0130: return 'i';     /* I with dot above */
    case 0x0178: return 0x00FF;  /* Y with diaeresis */
    case 0x0386: return 0x03AC;
    case 0x038C: return 0x03CC;
    case 0x03C2: return 0x03C3;  /* final sigma folds to sigma */
    case 0x04C0: return 0x04CF;
    default: break;
    }
    if (cp >= 0x0388 && cp <= 0x038A)
        return cp + 37;
    if (cp == 0x038E || cp == 0x038F)
        return cp + 63;
    if (cp >= 0x0391 && cp <= 0x03AB && cp != 0x03A2)
        return cp + 32;
    if (cp >= 0x0400 && cp <= 0x040F)
        return cp + 80;
    if (cp >= 0x0410 && cp <= 0x042F)
        return cp + 32;
    return cp;
}

/* The code points of general category Cf (Unicode 15.1), as ranges in order. */
static const uint32_t format_ranges[][2] = {
    {0x00AD, 0x00AD},   {0x0600, 0x0605},   {0x061C, 0x061C},   {0x06DD, 0x06DD},
    {0x070F, 0x070F},   {0x0890, 0x0891},   {0x08E2, 0x08E2},   {0x180E, 0x180E},
    {0x200B, 0x200F},   {0x202A, 0x202E},   {0x2060, 0x2064},   {0x2066, 0x206F},
    {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD},
    {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
    {0xE0020, 0xE007F},
};

int stance_utf8_is_format(uint32_t cp)
{
    if (cp < 0x00AD || (cp > 0x00AD && cp < 0x0600))
        return 0; /* Latin, Greek and Cyrillic letters decide here */
    size_t lo = 0, hi = sizeof format_ranges / sizeof format_ranges[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < format_ranges[mid][0])
            hi = mid;
        else if (cp > format_ranges[mid][1])
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}
