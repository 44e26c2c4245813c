/* histogram: HDR-style log-linear buckets (3 significant digits, 1 us .. 1 h). */
#include "common/histogram.h"

#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"

/* 2048 sub-buckets per power of two: a bucket is at most 1/1024 of its value wide. */
#define SUB_HALF_MAGNITUDE 10
#define SUB_HALF_COUNT (1 << SUB_HALF_MAGNITUDE)
#define SUB_MASK ((uint64_t)(2 * SUB_HALF_COUNT - 1))
/* 2048 << 21 > 3.6e9: 22 buckets cover the range. */
#define BUCKET_COUNT 22
#define COUNTS_LEN ((BUCKET_COUNT + 1) * SUB_HALF_COUNT)

/* A histogram starts sparse — sorted (index, count) pairs, a few hundred
 * bytes — and turns dense (one count per bucket, about 190 KB) once it holds
 * more than SPARSE_MAX distinct buckets. Decoded report deltas hold a few
 * dozen buckets, so the master merges them without touching 190 KB each;
 * a worker's recording histogram turns dense within its first requests and
 * stays so (reset keeps the array). */
#define SPARSE_MAX 128

struct histogram {
    uint64_t total;
    uint64_t min_us;
    uint64_t max_us;
    uint64_t sum_us;
    uint64_t *counts; /* dense form; NULL while sparse */
    int32_t *sp_idx;  /* sparse form: increasing bucket indexes */
    uint64_t *sp_count;
    uint32_t sp_n, sp_cap;
};

static int32_t s_index_of(uint64_t v) {
    int pow2ceiling = 64 - __builtin_clzll(v | SUB_MASK);
    int bucket = pow2ceiling - (SUB_HALF_MAGNITUDE + 1);
    int64_t sub = (int64_t)(v >> bucket);
    return (int32_t)(((int64_t)(bucket + 1) << SUB_HALF_MAGNITUDE) + sub - SUB_HALF_COUNT);
}

/* Lowest value of bucket idx and its width, both in us. */
static void s_bucket_range(int32_t idx, uint64_t *low, uint64_t *width) {
    int bucket = (idx >> SUB_HALF_MAGNITUDE) - 1;
    int64_t sub = (idx & (SUB_HALF_COUNT - 1)) + SUB_HALF_COUNT;
    if (bucket < 0) {
        sub -= SUB_HALF_COUNT;
        bucket = 0;
    }
    *low = (uint64_t)sub << bucket;
    *width = (uint64_t)1 << bucket;
}

static uint64_t s_clamp(uint64_t v) {
    if (v < HISTOGRAM_LOWEST_US) return HISTOGRAM_LOWEST_US;
    if (v > HISTOGRAM_HIGHEST_US) return HISTOGRAM_HIGHEST_US;
    return v;
}

histogram_t *histogram_new(void) {
    return xcalloc(1, sizeof(histogram_t));
}

void histogram_destroy(histogram_t **h) {
    if (!h || !*h) return;
    free((*h)->counts);
    free((*h)->sp_idx);
    free((*h)->sp_count);
    free(*h);
    *h = NULL;
}

void histogram_reset(histogram_t *h) {
    if (h->total && h->counts) {
        /* Only the span between min and max can hold counts. */
        int32_t lo = s_index_of(h->min_us), hi = s_index_of(h->max_us);
        memset(&h->counts[lo], 0, (size_t)(hi - lo + 1) * sizeof h->counts[0]);
    }
    h->sp_n = 0;
    h->total = h->min_us = h->max_us = h->sum_us = 0;
}

static void s_densify(histogram_t *h) {
    h->counts = xcalloc(COUNTS_LEN, sizeof h->counts[0]);
    for (uint32_t i = 0; i < h->sp_n; i++) h->counts[h->sp_idx[i]] = h->sp_count[i];
    free(h->sp_idx);
    free(h->sp_count);
    h->sp_idx = NULL;
    h->sp_count = NULL;
    h->sp_n = h->sp_cap = 0;
}

/* Adds n to bucket idx's count, in whichever form h is. */
static void s_add(histogram_t *h, int32_t idx, uint64_t n) {
    if (h->counts) {
        h->counts[idx] += n;
        return;
    }
    /* Binary search for idx among the sorted pairs. */
    uint32_t lo = 0, hi = h->sp_n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (h->sp_idx[mid] < idx)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < h->sp_n && h->sp_idx[lo] == idx) {
        h->sp_count[lo] += n;
        return;
    }
    if (h->sp_n == SPARSE_MAX) {
        s_densify(h);
        h->counts[idx] += n;
        return;
    }
    if (h->sp_n == h->sp_cap) {
        h->sp_cap = h->sp_cap ? h->sp_cap * 2 : 16;
        h->sp_idx = xrealloc(h->sp_idx, h->sp_cap * sizeof *h->sp_idx);
        h->sp_count = xrealloc(h->sp_count, h->sp_cap * sizeof *h->sp_count);
    }
    memmove(&h->sp_idx[lo + 1], &h->sp_idx[lo], (h->sp_n - lo) * sizeof *h->sp_idx);
    memmove(&h->sp_count[lo + 1], &h->sp_count[lo], (h->sp_n - lo) * sizeof *h->sp_count);
    h->sp_idx[lo] = idx;
    h->sp_count[lo] = n;
    h->sp_n++;
}

/* The count of bucket idx (0 when empty). */
static uint64_t s_count_at(const histogram_t *h, int32_t idx) {
    if (h->counts) return h->counts[idx];
    for (uint32_t i = 0; i < h->sp_n && h->sp_idx[i] <= idx; i++) {
        if (h->sp_idx[i] == idx) return h->sp_count[i];
    }
    return 0;
}

void histogram_record_n(histogram_t *h, uint64_t value_us, uint64_t n) {
    if (n == 0) return;
    uint64_t v = s_clamp(value_us);
    s_add(h, s_index_of(v), n);
    if (h->total == 0 || v < h->min_us) h->min_us = v;
    if (v > h->max_us) h->max_us = v;
    h->total += n;
    h->sum_us += v * n;
}

void histogram_record(histogram_t *h, uint64_t value_us) {
    histogram_record_n(h, value_us, 1);
}

void histogram_merge(histogram_t *dst, const histogram_t *src) {
    if (src->total == 0) return;
    if (src->counts) {
        int32_t lo = s_index_of(src->min_us), hi = s_index_of(src->max_us);
        if (!dst->counts && dst->sp_n + (uint32_t)(hi - lo + 1) > SPARSE_MAX) s_densify(dst);
        for (int32_t i = lo; i <= hi; i++) {
            if (src->counts[i]) s_add(dst, i, src->counts[i]);
        }
    } else {
        for (uint32_t i = 0; i < src->sp_n; i++) s_add(dst, src->sp_idx[i], src->sp_count[i]);
    }
    if (dst->total == 0 || src->min_us < dst->min_us) dst->min_us = src->min_us;
    if (src->max_us > dst->max_us) dst->max_us = src->max_us;
    dst->total += src->total;
    dst->sum_us += src->sum_us;
}

uint64_t histogram_count(const histogram_t *h) {
    return h->total;
}

uint64_t histogram_min(const histogram_t *h) {
    return h->min_us;
}

uint64_t histogram_max(const histogram_t *h) {
    return h->max_us;
}

uint64_t histogram_sum(const histogram_t *h) {
    return h->sum_us;
}

double histogram_mean(const histogram_t *h) {
    return h->total ? (double)h->sum_us / (double)h->total : 0.0;
}

uint64_t histogram_percentile(const histogram_t *h, double p) {
    if (h->total == 0) return 0;
    if (!(p > 0)) return h->min_us; /* also NaN, whose conversion to an integer is undefined */
    if (p >= 100) return h->max_us;
    /* Rank of the sample at percentile p (1-based), as in a sorted array. */
    double exact = p / 100.0 * (double)h->total;
    uint64_t rank = (uint64_t)exact;
    if ((double)rank < exact) rank++;
    if (rank == 0) rank = 1;
    uint64_t seen = 0, count;
    for (int32_t i = -1; histogram_next_bucket(h, &i, &count);) {
        seen += count;
        if (seen >= rank) {
            uint64_t low, width;
            s_bucket_range(i, &low, &width);
            uint64_t mid = low + (width - 1) / 2;
            if (mid < h->min_us) mid = h->min_us;
            if (mid > h->max_us) mid = h->max_us;
            return mid;
        }
    }
    return h->max_us;
}

bool histogram_next_bucket(const histogram_t *h, int32_t *idx, uint64_t *count) {
    if (h->total == 0) return false;
    if (!h->counts) {
        /* Binary search for the first pair after *idx. */
        uint32_t lo = 0, hi = h->sp_n;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (h->sp_idx[mid] <= *idx)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == h->sp_n) return false;
        *idx = h->sp_idx[lo];
        *count = h->sp_count[lo];
        return true;
    }
    int32_t i = *idx + 1, lo = s_index_of(h->min_us), hi = s_index_of(h->max_us);
    if (i < lo) i = lo;
    for (; i <= hi; i++) {
        if (h->counts[i]) {
            *idx = i;
            *count = h->counts[i];
            return true;
        }
    }
    return false;
}

int32_t histogram_bucket_total(void) {
    return COUNTS_LEN;
}

uint64_t histogram_bucket_low_us(int32_t idx) {
    uint64_t low, width;
    s_bucket_range(idx, &low, &width);
    return low;
}

int histogram_add_bucket(histogram_t *h, int32_t idx, uint64_t count) {
    /* Only buckets that a clamped value can land in: 1 us .. HISTOGRAM_HIGHEST_US. */
    if (idx < s_index_of(HISTOGRAM_LOWEST_US) || idx > s_index_of(HISTOGRAM_HIGHEST_US)) return -1;
    if (count == 0) return 0;
    if (s_count_at(h, idx) + count < count || h->total + count < count) return -1;
    s_add(h, idx, count);
    h->total += count;
    /* Provisional bounds so the iteration range covers every bucket until
     * histogram_set_stats installs the exact values. */
    uint64_t low, width;
    s_bucket_range(idx, &low, &width);
    if (h->min_us == 0 || low < h->min_us) h->min_us = low;
    if (low + width - 1 > h->max_us) h->max_us = s_clamp(low + width - 1);
    return 0;
}

int histogram_set_stats(histogram_t *h, uint64_t min_us, uint64_t max_us, uint64_t sum_us) {
    if (h->total == 0) {
        if (min_us || max_us || sum_us) return -1;
        return 0;
    }
    if (min_us < HISTOGRAM_LOWEST_US || max_us > HISTOGRAM_HIGHEST_US || min_us > max_us) return -1;
    /* The lowest and highest non-zero buckets must be exactly min's and max's. */
    int32_t first = -1, last = -1;
    uint64_t count;
    for (int32_t i = -1; histogram_next_bucket(h, &i, &count);) {
        if (first < 0) first = i;
        last = i;
    }
    if (first != s_index_of(min_us) || last != s_index_of(max_us)) return -1;
    /* sum within [count*min, count*max], guarding the multiplications. */
    if (h->total > UINT64_MAX / max_us) return -1;
    if (sum_us < h->total * min_us || sum_us > h->total * max_us) return -1;
    h->min_us = min_us;
    h->max_us = max_us;
    h->sum_us = sum_us;
    return 0;
}
