/*
 * fuzz_903_xml.c — libFuzzer harness for the EXPSSDA903 XML reader: any bytes
 * are read as an XML return, the load is finished and the rule set run over
 * it (unexpected elements become findings).  Malformed input must give an
 * error, never a crash, leak or sanitizer report.
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
        if (ssda903_read_xml_mem(ld, "fuzz.xml", (const char *)data, size, 0, &e) == 0) {
                struct ssda903_options o = {.collection_year = (size & 1) ? 2026 : 0};
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
