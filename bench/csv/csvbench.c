/*
 * csvbench.c — time the CSV reader over one file (bench/csv/run drives it).
 *
 * Usage: csvbench FILE [RUNS] [SCANNER]
 *
 * Each run opens the file (mmap), reads every record and touches every
 * field's length so nothing can be optimised away, then closes it; the best
 * wall time of RUNS (default 3) is reported as one line:
 *   scanner wall-seconds cpu-seconds bytes records fields sum-of-field-lengths
 * (CPU time shows how much of the wall time was other work on a busy machine).
 * Figures only: it exits non-zero just when the file is unreadable or malformed.
 */
#include "core/csv.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(clockid_t clock)
{
        struct timespec ts;
        clock_gettime(clock, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "usage: csvbench FILE [RUNS] [SCANNER]\n");
                return 2;
        }
        int runs = argc > 2 ? atoi(argv[2]) : 3;
        if (argc > 3 && csv_use_scanner(argv[3]) < 0) {
                fprintf(stderr, "csvbench: scanner %s not available here\n", argv[3]);
                return 2;
        }
        double best = 1e300, best_cpu = 1e300;
        size_t bytes = 0, records = 0, fields = 0, total_len = 0;
        for (int i = 0; i < runs; i++) {
                struct err e = {0};
                double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
                struct csv_reader *r = csv_open_file(argv[1], &e);
                if (!r) {
                        fprintf(stderr, "csvbench: %s\n", e.msg);
                        return 3;
                }
                struct csv_record rec;
                size_t nrec = 0, nfld = 0, sum = 0;
                int rc;
                while ((rc = csv_read(r, &rec, &e)) == 1) {
                        nrec++;
                        nfld += rec.count;
                        for (size_t k = 0; k < rec.count; k++)
                                sum += rec.fields[k].len;
                }
                bytes = csv_size(r);
                csv_free(r);
                double t = now(CLOCK_MONOTONIC) - t0;
                double c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
                if (rc < 0) {
                        fprintf(stderr, "csvbench: %s\n", e.msg);
                        return 3;
                }
                if (t < best)
                        best = t;
                if (c < best_cpu)
                        best_cpu = c;
                records = nrec;
                fields = nfld;
                total_len = sum;
        }
        printf("%s %.6f %.6f %zu %zu %zu %zu\n", csv_scanner(), best, best_cpu, bytes, records,
               fields, total_len);
        return 0;
}
