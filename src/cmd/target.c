/*
 * target.c — `improve target set|list|clear`: targets for measures.
 *
 * A target is what an authority aims for on one measure, in the measure's
 * own units.  SPC compares it with a chart's process limits to give the
 * assurance icon (statistics.md §1.4): `improve spc --la --measure` uses it
 * when no --target is given, and `improve measures` fills its assurance
 * column from it.  Every change is written to the audit log in the same
 * transaction.
 */
#include "cmd/cli.h"
#include "core/err.h"
#include "measures/measure.h"
#include "store/store.h"

#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int run(int argc, char **argv);

const struct command command_target = {
    .name = "target",
    .run = run,
    .summary = "Set, list and clear targets for measures (the SPC assurance icon).",
    .usage = "improve target set --la CODE --measure ID --value X\n"
             "       improve target list [--la CODE]\n"
             "       improve target clear --la CODE (--measure ID | --all)",
    .help = "Targets for an authority's measures, in the measure's own units (a percentage\n"
            "as 0-100, a rate per 10,000 children as that rate).  SPC compares a target\n"
            "with the process limits of the measure's monthly chart: with higher_better\n"
            "measures a target below the lower limit is consistently passed, above the\n"
            "upper limit consistently failed, and in between hit and miss (the other way\n"
            "round for lower_better; neutral measures get no assurance icon).\n"
            "`improve spc --la CODE --measure ID` uses the target unless --target is\n"
            "given, and `improve measures` shows the icon in its assurance column.\n"
            "\n"
            "  set    set or replace the target of one measure\n"
            "  list   the targets, by authority and measure (columns la,measure,value,\n"
            "         user,set_at with --format csv)\n"
            "  clear  remove the target of one measure, or with --all every target of\n"
            "         the authority\n"
            "\n"
            "The authority must be in the database (improve import authorities) and the\n"
            "measure in the catalogue.  Every change is recorded in the audit log.\n"
            "\n"
            "Exit status: 0 done; 2 usage error (unknown authority or measure, a value that\n"
            "is not a number, nothing to clear); 3 the database is missing or not ours;\n"
            "4 store failure.\n"
            "\n"
            "Examples:\n"
            "  improve target set --la 202 --measure rereferrals_12m_pct --value 18\n"
            "  improve target list --la 202\n"
            "  improve target clear --la 202 --measure rereferrals_12m_pct\n",
};

struct target_args {
        const char *la, *measure, *value, *format;
        int all;
};

static const char *user_name(void)
{
        struct passwd *pw = getpwuid(geteuid());
        if (pw && pw->pw_name && *pw->pw_name)
                return pw->pw_name;
        const char *u = getenv("USER");
        return u && *u ? u : "unknown";
}

/* Open the store and check the authority is there; NULL after reporting. */
static struct store *open_for(const char *la, char *name, size_t cap, int *code)
{
        struct err e = {0};
        struct store *s = store_open(cli.db, 0, &e);
        if (!s) {
                *code = cli_report(&e);
                return NULL;
        }
        char pool[1024];
        struct store_authority au;
        int known = store_authority_get(s, la, &au, pool, sizeof pool, &e);
        if (known > 0) {
                snprintf(name, cap, "%s", au.name);
                return s;
        }
        *code = known < 0 ? cli_report(&e)
                          : cli_usage_error(&command_target,
                                            "authority %s is not in the database %s; import the "
                                            "authority list first (improve import authorities "
                                            "FILE)",
                                            la, cli.db);
        store_close(s);
        return NULL;
}

static int check_measure(const char *id)
{
        if (measure_find(id))
                return 0;
        return cli_usage_error(&command_target,
                               "--measure %s is not in the catalogue; expected a measure id such "
                               "as rereferrals_12m_pct (improve measures lists them)",
                               id);
}

static int set(const struct target_args *a)
{
        const struct command *cmd = &command_target;
        if (a->format || a->all)
                return cli_usage_error(cmd, "option '--%s' does not apply to target set",
                                       a->format ? "format" : "all");
        if (!a->la || !a->measure || !a->value)
                return cli_usage_error(cmd, "target set needs --%s",
                                       !a->la        ? "la"
                                       : !a->measure ? "measure"
                                                     : "value");
        double v;
        if (cli_la_code(cmd, "la", a->la) || check_measure(a->measure) ||
            cli_double(cmd, "value", a->value, -HUGE_VAL, HUGE_VAL, &v))
                return EXIT_USAGE;
        int code = EXIT_OK;
        char name[256];
        struct store *s = open_for(a->la, name, sizeof name, &code);
        if (!s)
                return code;
        struct err e = {0};
        struct store_target t = {a->la, a->measure, v, user_name(), NULL};
        char detail[160];
        snprintf(detail, sizeof detail, "%s = %.15g", a->measure, v);
        struct store_audit au = {t.user, "target-set", a->la, detail, NULL};
        int replaced = 0;
        if (store_begin(s, &e) || store_target_put(s, &t, &replaced, &e) ||
            store_audit_append(s, &au, &e) || store_commit(s, &e)) {
                store_rollback(s);
                code = cli_report(&e);
        } else {
                printf("target %s: %s (%s) %s = %.15g\n", replaced ? "replaced" : "set", a->la,
                       name, a->measure, v);
        }
        store_close(s);
        return code;
}

struct list_ctx {
        int csv;
        long n;
};

static int list_one(void *vctx, const struct store_target *t)
{
        struct list_ctx *c = vctx;
        if (c->csv)
                printf("%s,%s,%.15g,%s,%s\n", t->la, t->measure, t->value, t->user, t->set_at);
        else
                printf("%s  %-45s %14.15g  set by %s at %s\n", t->la, t->measure, t->value, t->user,
                       t->set_at);
        c->n++;
        return 0;
}

static int list(const struct target_args *a)
{
        const struct command *cmd = &command_target;
        if (a->measure || a->value || a->all)
                return cli_usage_error(cmd, "option '--%s' does not apply to target list",
                                       a->measure ? "measure"
                                       : a->value ? "value"
                                                  : "all");
        if (a->la && cli_la_code(cmd, "la", a->la))
                return EXIT_USAGE;
        struct list_ctx c = {0};
        if (a->format && strcmp(a->format, "csv") == 0)
                c.csv = 1;
        else if (a->format && strcmp(a->format, "text") != 0)
                return cli_usage_error(cmd, "option '--format' must be text or csv, not '%s'",
                                       a->format);
        struct err e = {0};
        struct store *s = store_open(cli.db, 0, &e);
        if (!s)
                return cli_report(&e);
        if (c.csv)
                printf("la,measure,value,user,set_at\n");
        int code = EXIT_OK;
        if (store_target_each(s, a->la, list_one, &c, &e))
                code = cli_report(&e);
        else if (!c.csv && c.n == 0)
                printf(a->la ? "no targets set for %s\n" : "no targets set\n", a->la);
        store_close(s);
        return code;
}

static int clear(const struct target_args *a)
{
        const struct command *cmd = &command_target;
        if (a->value || a->format)
                return cli_usage_error(cmd, "option '--%s' does not apply to target clear",
                                       a->value ? "value" : "format");
        if (!a->la)
                return cli_usage_error(cmd, "target clear needs --la");
        if (!a->measure == !a->all)
                return cli_usage_error(cmd, "target clear needs either --measure ID or --all");
        if (cli_la_code(cmd, "la", a->la) || (a->measure && check_measure(a->measure)))
                return EXIT_USAGE;
        int code = EXIT_OK;
        char name[256];
        struct store *s = open_for(a->la, name, sizeof name, &code);
        if (!s)
                return code;
        struct err e = {0};
        int64_t n = 0;
        struct store_audit au = {user_name(), "target-clear", a->la,
                                 a->measure ? a->measure : "all", NULL};
        if (store_begin(s, &e) || store_target_delete(s, a->la, a->measure, &n, &e)) {
                store_rollback(s);
                code = cli_report(&e);
        } else if (n == 0) {
                store_rollback(s);
                code = cli_usage_error(
                    cmd, a->measure ? "no target is set for %s %s" : "no targets are set for %s%s",
                    a->la, a->measure ? a->measure : "");
        } else if (store_audit_append(s, &au, &e) || store_commit(s, &e)) {
                store_rollback(s);
                code = cli_report(&e);
        } else {
                printf("cleared %lld target%s of %s (%s)\n", (long long)n, n == 1 ? "" : "s", a->la,
                       name);
        }
        store_close(s);
        return code;
}

static int run(int argc, char **argv)
{
        const struct command *cmd = &command_target;
        struct target_args a = {0};
        const struct cli_opt opts[] = {
            {"la", 0, CLI_VALUE, &a.la},       {"measure", 0, CLI_VALUE, &a.measure},
            {"value", 0, CLI_VALUE, &a.value}, {"format", 0, CLI_VALUE, &a.format},
            {"all", 0, CLI_FLAG, &a.all},      {0},
        };
        struct cli_list pos = {0};
        int code;
        if (cli_parse(cmd, argc, argv, opts, &pos, &code)) {
                if (pos.n == 0)
                        code = cli_usage_error(cmd, "say what to do: set, list or clear");
                else if (pos.n > 1)
                        code = cli_usage_error(cmd, "unexpected argument '%s'", pos.v[1]);
                else if (strcmp(pos.v[0], "set") == 0)
                        code = set(&a);
                else if (strcmp(pos.v[0], "list") == 0)
                        code = list(&a);
                else if (strcmp(pos.v[0], "clear") == 0)
                        code = clear(&a);
                else
                        code = cli_usage_error(cmd,
                                               "'%s' is not something target does; expected set, "
                                               "list or clear",
                                               pos.v[0]);
        }
        cli_list_release(&pos);
        return code;
}
