/*
 * fuzz_903_csv.c — libFuzzer harness for the SSDA903 CSV reader: any bytes are
 * read as one table (this year's, then again as last year's), the load is
 * finished and the rule set run over it.  Malformed input must give an error,
 * never a crash, leak or sanitizer report.
 */
#include "core/err.h"
#include "returns/ssda903.h"
#include "rules/rules.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct err e;
        err_clear(&e);
        struct ssda903_load *ld = ssda903_new();
        const char *text = (const char *)data;
        if (ssda903_read_csv_mem(ld, "fuzz.csv", text, size, 0, &e) == 0 &&
            ssda903_read_csv_mem(ld, "fuzz_last.csv", text, size, 1, &e) == 0) {
                /* Alternate between an inferred and a given year. */
                struct ssda903_options o = {.collection_year = (size & 1) ? 2025 : 0};
                if (ssda903_finish(ld, &o, &e) == 0) {
                        struct rule_ctx ctx;
                        rules_ctx_init_903(&ctx, ld, 0);
                        struct rules_result res;
                        rules_result_init(&res);
                        rules_run(&ctx, &res, &e);
                        rules_result_release(&res);
                }
        }
        ssda903_free(ld);
        return 0;
}
