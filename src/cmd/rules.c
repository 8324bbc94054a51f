/*
 * rules.c — `improve rules`: list a rule set, with each rule's status, so
 * that what the validator checks (and what it does not yet) is never hidden.
 *
 * The list comes from the generated catalogue (every code of every DfE rule
 * set) joined with the implemented rule table (rules_list in rules.h).
 */
#include "cmd/cli.h"
#include "core/csv.h"
#include "core/err.h"
#include "rules/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int run(int argc, char **argv);

const struct command command_rules = {
    .name = "rules",
    .run = run,
    .summary = "List the validation rules of a rule set and which are implemented.",
    .usage = "improve rules [--return 903|cin] [--rules YYYY] [--format text|csv]",
    .help = "Lists every rule of a DfE rule set in catalogue order with its severity\n"
            "(error or query), status, the reference data it needs and the tables it\n"
            "reads.  Status is one of:\n"
            "  implemented       checked on the return alone\n"
            "  needs-data        checked when its reference data is given to validate\n"
            "                    (postcodes, providers, last year's tables, --la, the\n"
            "                    authority list); skipped, with the reason, otherwise\n"
            "  not-implemented   in the DfE's rule set but not checked yet\n"
            "\n"
            "Options:\n"
            "  --return 903|cin  one return (default: both)\n"
            "  --rules YYYY      the rule set (2026 = 2025/26); default: the newest of each\n"
            "  --format text|csv text (default) ends with a count per status; csv has the\n"
            "                    columns return,rules_year,code,severity,status,needs,tables,\n"
            "                    fields,message\n"
            "\n"
            "Examples:\n"
            "  improve rules --return 903 --rules 2026\n"
            "  improve rules --format csv > rules.csv\n",
};

static const char *sev_name(enum rule_severity s)
{
        return s == RULE_QUERY ? "query" : "error";
}

/* Severity, needs, tables and fields as the implementation states them, else the catalogue. */
static void describe(const struct rule_info *ri, enum rule_severity *sev, unsigned *needs,
                     const char **tables, const char **fields)
{
        if (ri->def) {
                *sev = ri->def->severity;
                *needs = ri->def->needs;
                *tables = ri->def->tables;
                *fields = ri->def->fields;
        } else {
                *sev = ri->cat->severity;
                *needs = ri->cat->needs;
                *tables = ri->cat->tables;
                *fields = ri->cat->fields;
        }
}

static int list_one(enum rules_return ret, int year, int csv, int first, struct err *e)
{
        size_t n;
        struct rule_info *v = rules_list(ret, year, &n, e);
        if (!v)
                return -1;
        const char *rname = ret == RULES_CIN ? "cin" : "903";
        size_t counts[3] = {0};
        if (!csv)
                printf("%s%s rule set %d/%02d (--rules %d): %zu rules\n  %-12s %-8s %-16s "
                       "%-24s %s\n",
                       first ? "" : "\n", ret == RULES_CIN ? "CIN census" : "SSDA903", year - 1,
                       year % 100, year, n, "CODE", "SEVERITY", "STATUS", "NEEDS", "TABLES");
        for (size_t i = 0; i < n; i++) {
                const struct rule_info *ri = &v[i];
                enum rule_severity sev;
                unsigned needs;
                const char *tables, *fields;
                describe(ri, &sev, &needs, &tables, &fields);
                char nb[128];
                rule_needs_str(needs, nb, sizeof nb);
                counts[ri->status]++;
                if (csv) {
                        printf("%s,%d,", rname, year);
                        csv_write_str(stdout, ri->code);
                        printf(",%s,%s,", sev_name(sev), rule_status_name(ri->status));
                        csv_write_str(stdout, strcmp(nb, "none") == 0 ? "" : nb);
                        putchar(',');
                        csv_write_str(stdout, tables);
                        putchar(',');
                        csv_write_str(stdout, fields);
                        putchar(',');
                        csv_write_str(stdout, ri->def ? ri->def->message : "");
                        putchar('\n');
                } else {
                        printf("  %-12s %-8s %-16s %-24s %s\n", ri->code, sev_name(sev),
                               rule_status_name(ri->status), strcmp(nb, "none") == 0 ? "-" : nb,
                               tables && *tables ? tables : "-");
                }
        }
        if (!csv) {
                for (int s = 0; s < 3; s++)
                        printf("%s: %zu\n", rule_status_name((enum rule_status)s), counts[s]);
                printf("total: %zu\n", n);
        }
        free(v);
        return 0;
}

static int run(int argc, char **argv)
{
        const char *ret_text = NULL, *rules_text = NULL, *format = NULL;
        const struct cli_opt opts[] = {
            {"return", 0, CLI_VALUE, &ret_text},
            {"rules", 0, CLI_VALUE, &rules_text},
            {"format", 0, CLI_VALUE, &format},
            {0},
        };
        int code;
        if (!cli_parse(&command_rules, argc, argv, opts, NULL, &code))
                return code;
        int want[2] = {1, 1}; /* RULES_903, RULES_CIN */
        if (ret_text) {
                if (strcasecmp(ret_text, "903") == 0 || strcasecmp(ret_text, "ssda903") == 0)
                        want[RULES_CIN] = 0;
                else if (strcasecmp(ret_text, "cin") == 0)
                        want[RULES_903] = 0;
                else
                        return cli_usage_error(&command_rules,
                                               "option '--return' takes 903 or cin, not '%s'",
                                               ret_text);
        }
        int csv = 0;
        if (format) {
                if (strcmp(format, "csv") == 0)
                        csv = 1;
                else if (strcmp(format, "text") != 0)
                        return cli_usage_error(&command_rules,
                                               "option '--format' takes text or csv, not '%s'",
                                               format);
        }
        long year = 0;
        if (rules_text && cli_int(&command_rules, "rules", rules_text, 2000, 2100, &year))
                return EXIT_USAGE;
        int years[2] = {RULES_903_LAST, RULES_CIN_LAST};
        if (year) {
                for (int r = 0; r < 2; r++) {
                        years[r] = (int)year;
                        if (want[r] && !rules_year_valid((enum rules_return)r, (int)year)) {
                                if (ret_text || !want[!r] ||
                                    !rules_year_valid((enum rules_return) !r, (int)year))
                                        return cli_usage_error(
                                            &command_rules,
                                            "no %s rule set for %ld; expected %d to %d",
                                            r == RULES_CIN ? "CIN" : "SSDA903", year,
                                            r == RULES_CIN ? RULES_CIN_FIRST : RULES_903_FIRST,
                                            r == RULES_CIN ? RULES_CIN_LAST : RULES_903_LAST);
                                cli_info("no %s rule set for %ld; listing %s only",
                                         r == RULES_CIN ? "CIN" : "SSDA903", year,
                                         r == RULES_CIN ? "SSDA903" : "CIN");
                                want[r] = 0;
                        }
                }
        }
        if (csv)
                printf("return,rules_year,code,severity,status,needs,tables,fields,message\n");
        struct err e = {0};
        int first = 1;
        for (int r = 0; r < 2; r++) {
                if (!want[r])
                        continue;
                if (list_one((enum rules_return)r, years[r], csv, first, &e))
                        return cli_report(&e);
                first = 0;
        }
        return EXIT_OK;
}
