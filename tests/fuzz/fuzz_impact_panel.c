/*
 * fuzz_impact_panel.c — libFuzzer harness for the file readers of
 * `improve impact` (src/cmd/impact_panel.c): the long panel of --panel
 * (columns unit,time,y and a predictor column x) and the single series of
 * --series (columns period,value).
 *
 * The reader takes a path, so each input is written to an anonymous memory
 * file and read through /proc/self/fd.  Both forms are read from every input
 * and checked for invariants: an error is EXIT_INPUT with a "PATH:" prefix;
 * on success there is at least one unit and one period, period keys ascend
 * strictly and are found again by impact_find_period, unit names are
 * non-empty (panel form), distinct and found again by impact_find_unit,
 * values are finite or missing (NaN), at most one value per input row is
 * set, and every period label is a non-empty string.  Each key is also
 * parsed back from its label.  Sanitizers catch the rest.
 */
#include "cmd/impact_int.h"
#include "core/err.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t count_lines(const uint8_t *d, size_t n)
{
        size_t lines = 1;
        for (size_t i = 0; i < n; i++)
                lines += d[i] == '\n' || d[i] == '\r';
        return lines;
}

static void check(const struct impact_reader *rd, size_t max_rows)
{
        struct impact_panel p;
        struct err e = {0};
        if (impact_panel_read(rd, &p, &e) != 0) {
                assert(e.code == EXIT_INPUT);
                size_t n = strlen(rd->path);
                assert(strncmp(e.msg, rd->path, n) == 0 && e.msg[n] == ':');
                return;
        }
        assert(p.nunits >= 1 && p.nperiods >= 1);
        assert(rd->unit_col || p.nunits == 1);
        assert(p.nseries == rd->nseries);
        assert(p.kind == IMPACT_TIME_NUMBER || p.kind == IMPACT_TIME_DATE);
        for (size_t t = 0; t < p.nperiods; t++) {
                assert(t == 0 || p.keys[t - 1] < p.keys[t]);
                assert(impact_find_period(&p, p.keys[t]) == t);
                assert(p.labels[t] && *p.labels[t]);
                enum impact_time_kind kind;
                double key;
                assert(impact_parse_time(p.labels[t], strlen(p.labels[t]), &kind, &key) == 0);
                assert(kind == p.kind);
                /* numbers are printed to 15 significant digits */
                assert(key == p.keys[t] || fabs(key - p.keys[t]) <= 1e-14 * fabs(p.keys[t]));
        }
        for (size_t u = 0; u < p.nunits; u++) {
                assert(p.units[u]);
                assert(!rd->unit_col || *p.units[u]);
                assert(impact_find_unit(&p, p.units[u]) == u);
        }
        size_t set = 0;
        for (size_t c = 0; c < p.nunits * p.nperiods; c++) {
                assert(!isinf(p.y[c]));
                set += !isnan(p.y[c]);
                for (size_t s = 0; s < p.nseries; s++)
                        assert(!isinf(p.series[s][c]));
        }
        assert(set <= max_rows);
        impact_panel_release(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        int fd = memfd_create("impact_panel", 0);
        assert(fd >= 0);
        size_t off = 0;
        while (off < size) {
                ssize_t w = write(fd, data + off, size - off);
                assert(w > 0);
                off += (size_t)w;
        }
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        size_t rows = count_lines(data, size);
        static const char *const series[] = {"x"};
        struct impact_reader panel = {.path = path,
                                      .unit_col = "unit",
                                      .time_col = "time",
                                      .outcome_col = "y",
                                      .series_cols = series,
                                      .nseries = 1};
        check(&panel, rows);
        struct impact_reader one = {
            .path = path, .unit_col = NULL, .time_col = "period", .outcome_col = "value"};
        check(&one, rows);
        close(fd);
        return 0;
}
