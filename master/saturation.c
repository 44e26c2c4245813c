/* saturation: worker saturation episodes from heartbeat health. */
#include "master/saturation.h"

saturation_change_t saturation_update(saturation_t *s, const proto_health_t *h, uint64_t now_us) {
    bool above = h->cpu_permille >= SATURATION_CPU_PERMILLE || h->lag_us > SATURATION_LAG_US;
    if (!above) {
        s->above_since_us = 0;
        if (!s->open) return SATURATION_SAME;
        s->open = false;
        return SATURATION_ENDED;
    }
    if (!s->above_since_us) s->above_since_us = now_us;
    if (s->open) {
        if (h->cpu_permille > s->cpu_max_permille) s->cpu_max_permille = h->cpu_permille;
        if (h->lag_us > s->lag_max_us) s->lag_max_us = h->lag_us;
        return SATURATION_SAME;
    }
    if (now_us - s->above_since_us < SATURATION_HOLD_US) return SATURATION_SAME;
    s->open = true;
    s->began_us = s->above_since_us;
    s->cpu_max_permille = h->cpu_permille;
    s->lag_max_us = h->lag_us;
    return SATURATION_BEGAN;
}
