/*
 * validate.c — `improve validate`: check an SSDA903 return or a CIN census
 * against the DfE's validation rules and report what to fix.
 *
 * Nothing is stored.  The store is only read, when present, for the list of
 * authorities (the submitting authority's ONS code) unless --authorities is
 * given.  The work is in validate_run.c (reading, rules) and
 * validate_report.c (the four report forms).
 */
#include "cmd/cli.h"
#include "cmd/validate.h"
#include "core/err.h"
#include "store/store.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Findings shown on the terminal before pointing at the full report. */
#define TEXT_FIRST 20

static int run(int argc, char **argv);

const struct command command_validate = {
    .name = "validate",
    .run = run,
    .summary = "Check an SSDA903 return or a CIN census against the DfE validation rules.",
    .usage = "improve validate [--return 903|cin] [--la CODE] [--year YYYY] [--rules YYYY] "
             "[--previous PATH]… [--postcodes FILE] [--ltla-utla FILE] [--providers FILE] "
             "[--authorities FILE] [--format text|csv|json|xlsx] [--out FILE] PATH…",
    .help = "Reads one return and reports every row that breaks a rule of the DfE's\n"
            "validation rule set: errors (must be fixed) and queries (check, then amend\n"
            "or explain).  Nothing is stored; use 'improve import' for that.\n"
            "\n"
            "PATH… is one return: SSDA903 CSV tables (each recognised by its columns, not\n"
            "its name), or one EXPSSDA903 XML file plus optional SWEpisodes/DoLo CSVs, or\n"
            "one CIN census XML file.  A directory stands for its .csv and .xml files.\n"
            "\n"
            "Options:\n"
            "  --return 903|cin    which return (default: from the files: XML with root\n"
            "                      <Message> is a CIN census; CSV tables or <EXPSSDA903> are\n"
            "                      SSDA903)\n"
            "  --la CODE           the submitting authority's 3-digit code (CIN: default the\n"
            "                      header's LEA); rules comparing placements with it need\n"
            "                      its ONS code, from --authorities or the store\n"
            "  --year YYYY         collection year of the data (2026 = 1 April 2025 to\n"
            "                      31 March 2026); default: inferred, and said how\n"
            "  --rules YYYY        rule set (2026 = 2025/26); default: the data's own year,\n"
            "                      or the oldest set for older data\n"
            "  --previous PATH     last year's SSDA903 tables (repeatable)\n"
            "  --postcodes FILE    ONS Postcode Directory CSV (pcd, oslaua/laua, oseast1m,\n"
            "                      osnrth1m)\n"
            "  --ltla-utla FILE    district to upper-tier authority lookup for the postcodes\n"
            "  --providers FILE    Ofsted's list of providers, as CSV\n"
            "  --authorities FILE  authority list (authorities.csv from 'improve synth' or\n"
            "                      la_lookup_with_codes_regions_sn2025.csv)\n"
            "  --format FORMAT     text (default), csv, json or xlsx\n"
            "  --out FILE          write the full report to FILE (format from its extension\n"
            "                      unless --format says); a summary still goes to stdout\n"
            "\n"
            "Rules whose reference data is missing are skipped and listed with the reason;\n"
            "rules not yet implemented are counted, never hidden.\n"
            "\n"
            "CSV and XLSX reports have the columns rule,severity,table,row,child,fields,\n"
            "message,file; row is the 1-based data row of that table's file (XML: the\n"
            "element's position within its table).  The workbook also has a summary\n"
            "sheet (rule, count, message) and one row per child.\n"
            "\n"
            "Exit status: 0 no errors (queries alone do not fail), 1 errors found,\n"
            "2 usage, 3 malformed input (FILE:LINE: what was wrong).\n"
            "\n"
            "Examples:\n"
            "  improve validate 903/\n"
            "  improve validate --la 201 --authorities authorities.csv --previous 2025/903 \\\n"
            "      --postcodes postcodes.csv --out report.xlsx 2026/903\n"
            "  improve validate --format csv cin_census_2026.xml > findings.csv\n",
};

/* The same file as one of the inputs: writing the report there would destroy it. */
static int is_input(const struct validate_run *r, const char *out)
{
        struct stat so, si;
        if (stat(out, &so) != 0)
                return 0;
        for (size_t i = 0; i < r->nfiles; i++)
                if (stat(r->files[i].path, &si) == 0 && si.st_dev == so.st_dev &&
                    si.st_ino == so.st_ino)
                        return 1;
        return 0;
}

/* Write the report beside `path` and rename it into place, so a reader never sees half. */
static int write_report(const char *path, enum validate_format fmt, const struct validate_run *r,
                        struct err *e)
{
        char tmp[4096];
        if ((size_t)snprintf(tmp, sizeof tmp, "%s.partial-%ld", path, (long)getpid()) >= sizeof tmp)
                return err_set(e, EXIT_USAGE, "%s: name too long", path);
        int rc = 0;
        if (fmt == VFORMAT_XLSX) {
                rc = validate_write_xlsx(tmp, r, e);
        } else {
                FILE *f = fopen(tmp, "w");
                if (!f)
                        return err_set(e, EXIT_INPUT, "%s: cannot write: %s", path,
                                       strerror(errno));
                if (fmt == VFORMAT_CSV)
                        validate_write_csv(f, r);
                else if (fmt == VFORMAT_JSON)
                        rc = validate_write_json(f, r, e);
                else
                        validate_write_text(f, r, 0, NULL);
                if (ferror(f) | fclose(f)) {
                        if (!rc)
                                rc = err_set(e, EXIT_INPUT, "%s: cannot write: %s", path,
                                             strerror(errno));
                }
        }
        if (rc == 0 && rename(tmp, path) != 0)
                rc = err_set(e, EXIT_INPUT, "%s: cannot write: %s", path, strerror(errno));
        if (rc)
                unlink(tmp);
        return rc;
}

static int run(int argc, char **argv)
{
        /*
         * A load's row arrays and its findings grow by realloc to several megabytes.  Served
         * from the heap (not a fresh mmap each time, glibc's default above 128 KiB) they reuse
         * pages already touched instead of faulting in new zeroed ones: on the 903 fixtures
         * page faults fell by a fifth and CPU by about 8 % (docs/internals.md, "Validating
         * fast").  A one-shot command, so the larger heap is given back at exit.
         */
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TOP_PAD, 16 << 20);
        struct validate_opts o = {0};
        const char *format_text = NULL, *out_path = NULL;
        struct cli_opt opts[VALIDATE_NOPTS + 3];
        validate_opt_rows(&o, opts);
        opts[VALIDATE_NOPTS] = (struct cli_opt){"format", 0, CLI_VALUE, &format_text};
        opts[VALIDATE_NOPTS + 1] = (struct cli_opt){"out", 'o', CLI_VALUE, &out_path};
        opts[VALIDATE_NOPTS + 2] = (struct cli_opt){0};
        int code;
        if (!cli_parse(&command_validate, argc, argv, opts, &o.paths, &code) ||
            (code = validate_opts_check(&command_validate, &o)) != 0) {
                validate_opts_release(&o);
                return code;
        }
        enum validate_format fmt = VFORMAT_TEXT;
        if (format_text) {
                int f = validate_format_parse(format_text);
                if (f < 0) {
                        validate_opts_release(&o);
                        return cli_usage_error(&command_validate,
                                               "option '--format' takes text, csv, json or xlsx, "
                                               "not '%s'",
                                               format_text);
                }
                fmt = (enum validate_format)f;
        } else if (out_path) {
                fmt = validate_format_of(out_path);
        }
        if (fmt == VFORMAT_XLSX && !out_path) {
                validate_opts_release(&o);
                return cli_usage_error(&command_validate,
                                       "an xlsx report is a file: give --out FILE.xlsx");
        }

        struct err e = {0};
        struct validate_run r;
        validate_run_init(&r);
        struct store *s = NULL;
        struct stat st;
        /* The store is read for the authority list only, and never created here. */
        if (!o.authorities && cli.db && stat(cli.db, &st) == 0) {
                struct err ignored = {0};
                s = store_open(cli.db, STORE_READONLY, &ignored);
                if (!s)
                        cli_verbose("not using %s for the authority list: %s", cli.db, ignored.msg);
        }
        int rc = validate_collect(&r, &o, &e);
        if (rc == 0)
                rc = validate_refdata(&r, &o, s, &e);
        store_close(s);
        if (rc == 0 && out_path && is_input(&r, out_path)) {
                validate_run_release(&r);
                validate_opts_release(&o);
                return cli_usage_error(&command_validate,
                                       "--out %s is one of the input files; choose another name",
                                       out_path);
        }
        if (rc == 0)
                rc = validate_load(&r, &o, 0, &e);
        if (rc == 0)
                rc = validate_check(&r, &e);
        if (rc) {
                code = cli_report(&e);
                goto out;
        }
        cli_verbose("read %zu rows in %.3f s; rules in %.3f s", r.nrows, r.seconds_read,
                    r.seconds_rules);
        if (out_path) {
                if (write_report(out_path, fmt, &r, &e)) {
                        code = cli_report(&e);
                        goto out;
                }
                validate_write_text(stdout, &r, TEXT_FIRST, out_path);
        } else if (fmt == VFORMAT_CSV) {
                validate_write_csv(stdout, &r);
        } else if (fmt == VFORMAT_JSON) {
                if (validate_write_json(stdout, &r, &e)) {
                        code = cli_report(&e);
                        goto out;
                }
        } else {
                validate_write_text(stdout, &r, TEXT_FIRST, NULL);
        }
        code = r.res.nerrors ? EXIT_FINDINGS : EXIT_OK;
out:
        validate_run_release(&r);
        validate_opts_release(&o);
        return code;
}
