/*
 * forecast.c — `improve forecast`: how many children an authority will have
 * in care, by age band and placement type, over the coming months.
 *
 * The authority's stored SSDA903 returns are read back (Header and Episodes
 * only), merged into one episode history (the later return wins for the same
 * child and start date), and the stock-and-flow model of statistics.md §6
 * (src/stats/forecast*.c) is estimated over the reference window ending on
 * the last day of the data and projected from the stock on that day.  The
 * output is written by forecast_output.c, built in memory and written in one
 * go so that a failed run leaves no half file at --out.
 */
#include "cmd/cli.h"
#include "cmd/forecast_output.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "returns/ssda903.h"
#include "stats/forecast.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

#define DEFAULT_REFERENCE_MONTHS 36
#define DEFAULT_HORIZON_MONTHS   36

const struct command command_forecast = {
    .name = "forecast",
    .run = run,
    .summary = "Demand forecast: children in care by age band and placement type.",
    .usage = "improve forecast [--db PATH] --la CODE [--reference-months N] [--horizon-months N]\n"
             "       [--bootstrap none|process|parameter] [--replicates N] [--seed S]\n"
             "       [--format text|csv|json|svg] [--out FILE]",
    .help = "Projects the number of children looked after by an authority at each month end,\n"
            "by age band (0, 1-4, 5-9, 10-15, 16-17) and placement type (fostering U1-U6;\n"
            "residential K1, K2, R1; supported H5, P2, K3; other), with 95% prediction\n"
            "intervals.  The model (statistics.md section 6) follows each child day by day\n"
            "through the authority's SSDA903 episodes in the database: rates of moving\n"
            "between placement types and of leaving care are occurrences over child-days\n"
            "in a reference window, entrants arrive at the window's daily rate, children\n"
            "move up an age band on their birthday and leave at 18.  Short breaks (legal\n"
            "status V3, V4) are left out.  The projection starts from the children in care\n"
            "on the last day of the data (31 March of the latest return).\n"
            "\n"
            "The 95% interval covers process noise only (children moving and arriving at\n"
            "random at the estimated rates), not the uncertainty in the rates themselves;\n"
            "--bootstrap parameter adds that by resampling children.\n"
            "\n"
            "Options:\n"
            "  --la CODE                 the authority (3-digit code); its SSDA903 returns\n"
            "                            must be imported (improve import)\n"
            "  --reference-months N      months of data the rates come from, ending on the\n"
            "                            last day of the data (default 36, cut to the data)\n"
            "  --horizon-months N        month ends projected (default 36, at most 120)\n"
            "  --bootstrap KIND          none (default: analytic interval), process\n"
            "                            (simulated children) or parameter (children resampled,\n"
            "                            rates re-estimated, then simulated)\n"
            "  --replicates N            bootstrap replicates (default 2000, at least 2000)\n"
            "  --seed S                  bootstrap random seed (default 1)\n"
            "  --format FORMAT           text (default), csv, json or svg\n"
            "  --out FILE                write to FILE instead of standard output\n"
            "\n"
            "CSV columns: month,state,projected,lower,upper; for each month end one row per\n"
            "state, written <band>:<category> (e.g. 10-15:fostering), then `total`.\n"
            "projected has one decimal place; lower and upper are whole children.\n"
            "\n"
            "Exit status: 0 forecast written; 2 usage error (including an authority with no\n"
            "SSDA903 returns in the database); 3 the database is missing or not ours, or\n"
            "--out is not writable; 4 store failure.\n"
            "\n"
            "Examples:\n"
            "  improve forecast --la 202\n"
            "  improve forecast --la 202 --horizon-months 24 --format csv --out cla.csv\n"
            "  improve forecast --la 202 --format svg --out cla.svg\n",
};

struct forecast_args {
        const char *la, *ref, *horizon, *bootstrap, *replicates, *seed, *format, *out;
};

int forecast_store_episodes(struct store *s, const char *la, struct forecast_episodes *eps,
                            size_t *nyears, struct err *e)
{
        int *years = NULL;
        size_t n = 0;
        if (store_return_years(s, STORE_RETURN_SSDA903, la, &years, &n, e))
                return -1;
        *nyears = n;
        unsigned tables = (1u << SSDA903_HEADER) | (1u << SSDA903_EPISODES);
        int rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++) {
                struct ssda903_load *ld = NULL;
                int found = store_return_read_903(s, la, years[i], tables, &ld, e);
                if (found < 0)
                        rc = -1;
                else if (found > 0)
                        rc = forecast_episodes_add_903(eps, ld, e);
                if (ld)
                        ssda903_free(ld);
        }
        free(years);
        if (rc == 0 && n > 0)
                rc = forecast_episodes_finish(eps, e);
        return rc;
}

static int execute(const struct command *cmd, const struct forecast_args *a)
{
        if (!a->la)
                return cli_usage_error(cmd, "say which authority: --la CODE");
        if (cli_la_code(cmd, "la", a->la))
                return EXIT_USAGE;
        enum forecast_format fmt;
        if (forecast_format_parse(a->format ? a->format : "text", &fmt))
                return cli_usage_error(cmd,
                                       "option '--format' must be text, csv, json or svg, not "
                                       "'%s'",
                                       a->format);
        long ref = DEFAULT_REFERENCE_MONTHS, horizon = DEFAULT_HORIZON_MONTHS;
        if ((a->ref && cli_int(cmd, "reference-months", a->ref, 1, 600, &ref)) ||
            (a->horizon && cli_int(cmd, "horizon-months", a->horizon, 1, 120, &horizon)))
                return EXIT_USAGE;
        struct forecast_options o;
        forecast_options_default(&o);
        o.horizon_months = (int)horizon;
        if (!a->bootstrap || strcmp(a->bootstrap, "none") == 0)
                o.bootstrap = FORECAST_BOOT_NONE;
        else if (strcmp(a->bootstrap, "process") == 0)
                o.bootstrap = FORECAST_BOOT_PROCESS;
        else if (strcmp(a->bootstrap, "parameter") == 0)
                o.bootstrap = FORECAST_BOOT_PARAMETER;
        else
                return cli_usage_error(cmd,
                                       "option '--bootstrap' must be none, process or "
                                       "parameter, not '%s'",
                                       a->bootstrap);
        if ((a->replicates || a->seed) && o.bootstrap == FORECAST_BOOT_NONE)
                return cli_usage_error(cmd, "option '--%s' needs --bootstrap process or parameter",
                                       a->replicates ? "replicates" : "seed");
        long reps = (long)o.replicates, seed = (long)o.seed;
        if ((a->replicates &&
             cli_int(cmd, "replicates", a->replicates, FORECAST_MIN_REPLICATES, 1000000, &reps)) ||
            (a->seed && cli_int(cmd, "seed", a->seed, 0, 2147483647L, &seed)))
                return EXIT_USAGE;
        o.replicates = (size_t)reps;
        o.seed = (unsigned long)seed;

        struct err e = {0};
        struct store *s = store_open(cli.db, 0, &e);
        if (!s)
                return cli_report(&e);
        char pool[1024];
        struct store_authority au;
        int known = store_authority_get(s, a->la, &au, pool, sizeof pool, &e);
        if (known <= 0) {
                store_close(s);
                if (known < 0)
                        return cli_report(&e);
                return cli_usage_error(cmd,
                                       "authority %s is not in the database %s; import it "
                                       "(improve import authorities FILE) and its SSDA903 "
                                       "returns",
                                       a->la, cli.db);
        }
        struct forecast_report rep = {.la = au.code, .la_name = au.name, .boot = o.bootstrap};
        forecast_states_default(&rep.st);
        struct forecast_episodes eps;
        forecast_episodes_init(&eps);
        struct forecast_estimate est = {0};
        struct forecast_result res = {0};
        int code = EXIT_OK, have_est = 0, have_res = 0;
        size_t nyears = 0;
        if (forecast_states_finish(&rep.st, &e) ||
            forecast_store_episodes(s, a->la, &eps, &nyears, &e)) {
                code = cli_report(&e);
        } else if (nyears == 0 || eps.n == 0) {
                code = cli_usage_error(cmd,
                                       "authority %s has no SSDA903 episodes in %s; import its "
                                       "returns first (improve import --la %s DIR)",
                                       a->la, cli.db, a->la);
        } else {
                date_t w0, w1;
                have_est = 1;
                if (forecast_default_window(&eps, (int)ref, &w0, &w1, &e) ||
                    forecast_estimate(&rep.st, &eps, w0, w1, &est, &e)) {
                        code = cli_report(&e);
                } else {
                        double stock[FORECAST_MAX_STATES] = {0};
                        rep.in_care =
                            forecast_stock_on(&rep.st, &eps, est.w1, stock, &rep.unplaced);
                        have_res = 1;
                        if (forecast_run(&rep.st, &est, stock, est.w1, &o, &res, &e))
                                code = cli_report(&e);
                }
        }
        store_close(s);
        if (code == EXIT_OK) {
                rep.eps = &eps;
                rep.est = &est;
                rep.res = &res;
                rep.years = nyears;
                struct buf b;
                buf_init(&b);
                if (forecast_output(&b, fmt, &rep, &e) != 0)
                        code = cli_report(&e);
                else
                        code = cli_deliver(&b, a->out);
                buf_release(&b);
        }
        if (have_res)
                forecast_result_release(&res);
        if (have_est)
                forecast_estimate_release(&est);
        forecast_episodes_release(&eps);
        return code;
}

static int run(int argc, char **argv)
{
        struct forecast_args a = {0};
        const struct cli_opt opts[] = {
            {"la", 0, CLI_VALUE, &a.la},
            {"reference-months", 0, CLI_VALUE, &a.ref},
            {"horizon-months", 0, CLI_VALUE, &a.horizon},
            {"bootstrap", 0, CLI_VALUE, &a.bootstrap},
            {"replicates", 0, CLI_VALUE, &a.replicates},
            {"seed", 0, CLI_VALUE, &a.seed},
            {"format", 0, CLI_VALUE, &a.format},
            {"out", 0, CLI_VALUE, &a.out},
            {0},
        };
        int code;
        if (cli_parse(&command_forecast, argc, argv, opts, NULL, &code))
                code = execute(&command_forecast, &a);
        return code;
}
