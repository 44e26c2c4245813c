/* histogram: HDR-style log-linear latency histogram in microseconds.
 *
 * Range 1 us .. 1 h (3,600,000,000 us) at 3 significant digits: every value is
 * kept in a bucket no wider than 1/1024 of the value, so merging is exact (bucket
 * counts add) and a percentile of the merge equals the percentile of the union
 * of samples to that precision. Values above the range are clamped to it and
 * counted. min, max, count and the exact sum are tracked alongside. Not thread
 * safe; one owner. */
#ifndef BARRAGE_COMMON_HISTOGRAM_H
#define BARRAGE_COMMON_HISTOGRAM_H

#include <stdbool.h>
#include <stdint.h>

#define HISTOGRAM_LOWEST_US 1u
#define HISTOGRAM_HIGHEST_US 3600000000ull

typedef struct histogram histogram_t;

/* Allocates an empty histogram. It is kept sparse (a few hundred bytes) while
 * it holds few distinct buckets, and dense (about 190 KB) beyond; the form
 * is invisible to callers. Never NULL (aborts on OOM). */
histogram_t *histogram_new(void);
/* Frees *h (NULL allowed) and sets *h = NULL. */
void histogram_destroy(histogram_t **h);
/* Empties h (all counts, min, max, sum). */
void histogram_reset(histogram_t *h);

/* Records one value / n equal values (us). 0 counts as 1 us; values above
 * HISTOGRAM_HIGHEST_US are clamped. */
void histogram_record(histogram_t *h, uint64_t value_us);
void histogram_record_n(histogram_t *h, uint64_t value_us, uint64_t n);

/* Adds every count of src into dst (exact). */
void histogram_merge(histogram_t *dst, const histogram_t *src);

uint64_t histogram_count(const histogram_t *h);
/* min/max of recorded values (exact, as recorded after clamping); 0 when empty. */
uint64_t histogram_min(const histogram_t *h);
uint64_t histogram_max(const histogram_t *h);
/* Exact arithmetic mean of recorded values; 0 when empty. */
double histogram_mean(const histogram_t *h);
/* Exact sum of recorded values. */
uint64_t histogram_sum(const histogram_t *h);

/* Value at percentile p (0..100): the smallest bucket whose cumulative count
 * reaches ceil(p/100 * count) samples, reported at the bucket's midpoint and
 * clamped to [min, max], so p100 == max and no percentile exceeds max.
 * 0 when empty. */
uint64_t histogram_percentile(const histogram_t *h, double p);

/* Sparse access for encoding: iterate the non-zero buckets in increasing
 * index order. Start with *idx = -1; returns false when no bucket follows. */
bool histogram_next_bucket(const histogram_t *h, int32_t *idx, uint64_t *count);
/* Number of buckets (valid indexes are 0 .. histogram_bucket_total()-1). */
int32_t histogram_bucket_total(void);
/* Lowest value that lands in bucket idx (for charts and CSV export). */
uint64_t histogram_bucket_low_us(int32_t idx);

/* Rebuilds a histogram from sparse parts (the decode side). Adds count to
 * bucket idx; returns -1 if idx is out of range. Afterwards call
 * histogram_set_stats with the exact min, max and sum that were encoded;
 * it returns -1 if they are inconsistent with the buckets (min/max outside
 * their buckets, or sum outside [count*min, count*max]). */
int histogram_add_bucket(histogram_t *h, int32_t idx, uint64_t count);
int histogram_set_stats(histogram_t *h, uint64_t min_us, uint64_t max_us, uint64_t sum_us);

#endif
