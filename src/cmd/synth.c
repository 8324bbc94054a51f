/*
 * synth.c — `improve synth`: write a synthetic region of fictional
 * authorities, with their statutory returns and the ground truth.
 */
#include "cmd/cli.h"
#include "core/err.h"
#include "synth/synth.h"

#include <stdio.h>
#include <stdlib.h>

static int run(int argc, char **argv);

const struct command command_synth = {
    .name = "synth",
    .run = run,
    .summary = "Generate a synthetic region with ground truth (test bed and demo data).",
    .usage = "improve synth --out DIR [--las N] [--years Y] [--last-year YYYY] [--seed S] "
             "[--errors RATE]",
    .help = "Simulates children's journeys (referrals, assessments, child protection,\n"
            "care, adoption, leaving care) in fictional authorities and writes, for each\n"
            "authority and collection year, the SSDA903 CSV tables and the CIN census XML,\n"
            "plus authorities.csv, populations.csv, postcodes.csv, providers.csv,\n"
            "events.csv and truth/ (measures, effects, signals, injected errors).\n"
            "No real child's data is involved.  See docs/synthetic-data.md.\n"
            "\n"
            "Options:\n"
            "  --out DIR          output directory (created if absent)\n"
            "  --las N            number of authorities, 1-199 (default 12)\n"
            "  --years Y          collection years (default 4)\n"
            "  --last-year YYYY   last collection year, 2013-2027 (default 2026 = 2025/26)\n"
            "  --seed S           random seed (default 1); same seed, same bytes\n"
            "  --errors RATE      share of records given a realistic mistake, 0-0.5\n"
            "                     (default 0: files break no validation rule)\n"
            "\n"
            "Examples:\n"
            "  improve synth --out demo-data\n"
            "  improve synth --out national --las 153 --years 8\n"
            "  improve synth --out dirty --las 3 --errors 0.01 --seed 7\n",
};

static void progress(void *ctx, int done, int total)
{
        cli_progress_update(ctx, (unsigned long long)done);
        (void)total;
}

static int run(int argc, char **argv)
{
        const char *out = NULL, *las = NULL, *years = NULL, *last = NULL, *seed = NULL,
                   *errors = NULL;
        const struct cli_opt opts[] = {
            {"out", 0, CLI_VALUE, &out},
            {"las", 0, CLI_VALUE, &las},
            {"years", 0, CLI_VALUE, &years},
            {"last-year", 0, CLI_VALUE, &last},
            {"seed", 0, CLI_VALUE, &seed},
            {"errors", 0, CLI_VALUE, &errors},
            {0},
        };
        int code;
        if (!cli_parse(&command_synth, argc, argv, opts, NULL, &code))
                return code;
        struct synth_options o;
        synth_options_default(&o);
        if (!out || !*out)
                return cli_usage_error(&command_synth, "option '--out' is required");
        o.out_dir = out;
        long v;
        if (las) {
                if (cli_int(&command_synth, "las", las, 1, SYNTH_MAX_LAS, &v))
                        return EXIT_USAGE;
                o.las = (int)v;
        }
        if (last) {
                if (cli_int(&command_synth, "last-year", last, SYNTH_FIRST_YEAR_MIN,
                            SYNTH_LAST_YEAR_MAX, &v))
                        return EXIT_USAGE;
                o.last_year = (int)v;
        }
        if (years) {
                if (cli_int(&command_synth, "years", years, 1,
                            o.last_year - SYNTH_FIRST_YEAR_MIN + 1, &v))
                        return EXIT_USAGE;
                o.years = (int)v;
        }
        if (seed) {
                char *end;
                unsigned long long s = strtoull(seed, &end, 10);
                if (!*seed || *end || *seed == '-')
                        return cli_usage_error(
                            &command_synth, "option '--seed' needs a whole number, not '%s'", seed);
                o.seed = s;
        }
        if (errors && cli_double(&command_synth, "errors", errors, 0, 0.5, &o.error_rate))
                return EXIT_USAGE;
        struct err e = {0};
        if (synth_check_options(&o, &e) < 0)
                return cli_usage_error(&command_synth, "%s", e.msg);
        struct cli_progress p;
        cli_progress_start(&p, "synth: authorities", (unsigned long long)o.las);
        int rc = synth_run_progress(&o, progress, &p, &e);
        cli_progress_end(&p);
        if (rc < 0)
                return cli_report(&e);
        cli_info("synth: wrote %d authorities, %d-%d, to %s\n", o.las, o.last_year - o.years + 1,
                 o.last_year, out);
        return EXIT_OK;
}
