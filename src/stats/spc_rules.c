/*
 * spc_rules.c — the special-cause rules of statistics.md §1.3, each on one
 * group's points in time order.
 *
 * They are split out of spc.c so that each rule can be tested on its own
 * against the reference vectors in rule_unit_cases.json.  Missing points
 * arrive as side 0 / not close / NaN, which breaks every run and window
 * without any special case here: NaN fails both `>` and `<`.
 */
#include "stats/spc.h"

#include <string.h>

void spc_rule_shift_ends(const int *side, size_t n, int *out)
{
        size_t run = 0;
        for (size_t t = 0; t < n; t++) {
                if (side[t] != 0 && t > 0 && side[t] == side[t - 1])
                        run++;
                else
                        run = side[t] != 0 ? 1 : 0;
                out[t] = run >= SPC_RUN_LENGTH;
        }
}

void spc_rule_trend_ends(const double *y, size_t n, int *out)
{
        /* Steps in a row that were strictly up (or down); a tie or a NaN resets both. */
        size_t up = 0, down = 0;
        for (size_t t = 0; t < n; t++) {
                if (t > 0 && y[t] > y[t - 1]) {
                        up++;
                        down = 0;
                } else if (t > 0 && y[t] < y[t - 1]) {
                        down++;
                        up = 0;
                } else {
                        up = down = 0;
                }
                out[t] = up >= SPC_RUN_LENGTH - 1 ? 1 : down >= SPC_RUN_LENGTH - 1 ? -1 : 0;
        }
}

void spc_rule_part_of_seven(const int *ends, size_t n, int *out)
{
        memset(out, 0, n * sizeof *out);
        /* Walk backwards so each point is written once: `left` counts how many
         * more points to the left still belong to a run ending further right. */
        size_t left = 0;
        for (size_t k = n; k-- > 0;) {
                if (ends[k] != 0)
                        left = SPC_RUN_LENGTH;
                if (left > 0) {
                        out[k] = 1;
                        left--;
                }
        }
}

void spc_rule_two_in_three_windows(const int *close, const int *side, size_t n, int *out)
{
        memset(out, 0, n * sizeof *out);
        for (size_t w = 0; w + 2 < n; w++) {
                int near = (close[w] != 0) + (close[w + 1] != 0) + (close[w + 2] != 0);
                int sum = side[w] + side[w + 1] + side[w + 2];
                if (near >= 2 && (sum == 3 || sum == -3))
                        out[w] = out[w + 1] = out[w + 2] = 1;
        }
}

void spc_rule_two_in_three(const int *close, const int *side, size_t n, int *out)
{
        spc_rule_two_in_three_windows(close, side, n, out);
        for (size_t t = 0; t < n; t++)
                out[t] = out[t] && close[t];
}
