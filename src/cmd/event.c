/*
 * event.c — `improve event add|list`: the change register.
 *
 * Leaders restructure, adopt practice models, form trusts; the register keeps
 * each change (authority, date, kind, title, the measures it should move, a
 * note) so that `improve impact --event ID` can evaluate it.  Whole files of
 * events come in through `improve import events FILE` (event_import.c).
 */
#include "cmd/cli.h"
#include "cmd/event.h"
#include "core/csv.h"
#include "core/err.h"
#include "store/store.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int run(int argc, char **argv);

const struct command command_event = {
    .name = "event",
    .run = run,
    .summary = "Register structural changes (restructures, trusts, practice models) and list them.",
    .usage = "improve event add --la CODE --date YYYY-MM-DD --kind KIND --title TEXT\n"
             "                  [--measure ID]... [--note TEXT]\n"
             "       improve event list [--la CODE] [--format text|csv]",
    .help = "The change register: every structural change an authority makes, so that its\n"
            "impact can be evaluated (improve impact --event ID).\n"
            "\n"
            "  add    register one change.  KIND is one of restructure, practice-model,\n"
            "         trust, outsourcing, joint-service, leadership, inspection.  --measure\n"
            "         names a measure the change is meant to move (repeatable; ids from the\n"
            "         measure catalogue).  The authority must be in the database (improve\n"
            "         import authorities).  A change is one authority, date, kind and title;\n"
            "         registering the same again is refused.\n"
            "  list   the register, by authority and date, with each event's id.  --format\n"
            "         csv writes id,la,date,kind,title,measures,note, which `improve import\n"
            "         events` reads back.\n"
            "\n"
            "A whole file (the events.csv that improve synth writes, columns\n"
            "la,date,kind,title,measures,note, measures separated by ';') comes in with\n"
            "`improve import events FILE`.\n"
            "\n"
            "Exit status: 0 done; 2 usage error (a bad code, date, kind or measure, or an\n"
            "event already registered); 3 the database is missing or not ours; 4 store\n"
            "failure.\n"
            "\n"
            "Examples:\n"
            "  improve event add --la 202 --date 2021-04-01 --kind restructure \\\n"
            "      --title \"Front door restructure\" --measure referrals_rate_per_10k\n"
            "  improve event list --la 202\n",
};

struct event_args {
        const char *la, *date, *kind, *title, *note, *format;
        struct cli_list measures;
};

static const char *user_name(void)
{
        struct passwd *pw = getpwuid(geteuid());
        if (pw && pw->pw_name && *pw->pw_name)
                return pw->pw_name;
        const char *u = getenv("USER");
        return u && *u ? u : "unknown";
}

/* A field that failed its check is a usage error naming the flag. */
static int check(int (*fn)(const char *, char *, size_t), const char *flag, const char *value)
{
        char why[512];
        if (fn(value, why, sizeof why) == 0)
                return 0;
        return cli_usage_error(&command_event, "--%s: %s", flag, why);
}

static int add(const struct event_args *a)
{
        const struct command *cmd = &command_event;
        if (a->format)
                return cli_usage_error(cmd, "option '--format' applies to event list only");
        const char *missing = !a->la      ? "la"
                              : !a->date  ? "date"
                              : !a->kind  ? "kind"
                              : !a->title ? "title"
                                          : NULL;
        if (missing)
                return cli_usage_error(cmd, "event add needs --%s", missing);
        if (cli_la_code(cmd, "la", a->la))
                return EXIT_USAGE;
        if (check(event_check_date, "date", a->date) || check(event_check_kind, "kind", a->kind) ||
            check(event_check_title, "title", a->title))
                return EXIT_USAGE;
        struct store_event ev = {0};
        if (a->measures.n > STORE_EVENT_MEASURES_MAX)
                return cli_usage_error(cmd, "at most %d --measure options",
                                       STORE_EVENT_MEASURES_MAX);
        for (size_t i = 0; i < a->measures.n; i++) {
                if (check(event_check_measure, "measure", a->measures.v[i]))
                        return EXIT_USAGE;
                for (size_t j = 0; j < i; j++)
                        if (strcmp(a->measures.v[i], a->measures.v[j]) == 0)
                                return cli_usage_error(cmd, "--measure %s is given twice",
                                                       a->measures.v[i]);
                ev.measures[ev.n_measures++] = a->measures.v[i];
        }
        ev.la = a->la;
        ev.date = a->date;
        ev.kind = a->kind;
        ev.title = a->title;
        ev.note = a->note ? a->note : "";
        ev.user = user_name();

        struct err e = {0};
        struct store *s = store_open(cli.db, 0, &e);
        if (!s)
                return cli_report(&e);
        int code = EXIT_OK;
        char pool[1024];
        struct store_authority auth;
        int64_t id = 0;
        int known = store_authority_get(s, a->la, &auth, pool, sizeof pool, &e);
        int dup = known > 0 ? store_event_find(s, ev.la, ev.date, ev.kind, ev.title, &id, &e) : 0;
        if (known < 0 || dup < 0) {
                code = cli_report(&e);
        } else if (!known) {
                code = cli_usage_error(cmd,
                                       "authority %s is not in the database; import the "
                                       "authority list first (improve import authorities FILE)",
                                       a->la);
        } else if (dup) {
                code = cli_usage_error(cmd, "this change is already registered as event %lld",
                                       (long long)id);
        } else {
                struct store_audit au = {ev.user, "event-add", ev.la, ev.title, NULL};
                if (store_begin(s, &e) || store_event_put(s, &ev, &id, NULL, &e) ||
                    store_audit_append(s, &au, &e) || store_commit(s, &e)) {
                        store_rollback(s);
                        code = cli_report(&e);
                } else {
                        printf("event %lld added: %s (%s) %s %s: %s\n", (long long)id, ev.la,
                               auth.name, ev.date, ev.kind, ev.title);
                }
        }
        store_close(s);
        return code;
}

struct list_ctx {
        int csv;
        long n;
};

static void join_measures(const struct store_event *ev, char *out, size_t cap)
{
        size_t n = 0;
        out[0] = '\0';
        for (size_t i = 0; i < ev->n_measures && n < cap; i++)
                n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? ";" : "", ev->measures[i]);
}

static int list_one(void *vctx, const struct store_event *ev)
{
        struct list_ctx *ctx = vctx;
        char measures[STORE_EVENT_MEASURES_MAX * 80];
        join_measures(ev, measures, sizeof measures);
        if (ctx->csv) {
                printf("%lld,%s,%s,%s,", (long long)ev->id, ev->la, ev->date, ev->kind);
                csv_write_str(stdout, ev->title);
                putchar(',');
                csv_write_str(stdout, measures);
                putchar(',');
                csv_write_str(stdout, ev->note);
                putchar('\n');
        } else {
                printf("%4lld  %s  %s  %-14s  %s\n", (long long)ev->id, ev->la, ev->date, ev->kind,
                       ev->title);
                if (ev->n_measures)
                        printf("%*s measures: %s\n", 6, "", measures);
                if (ev->note && *ev->note)
                        printf("%*s note: %s\n", 6, "", ev->note);
        }
        ctx->n++;
        return 0;
}

static int list(const struct event_args *a)
{
        const struct command *cmd = &command_event;
        const char *extra = a->date         ? "date"
                            : a->kind       ? "kind"
                            : a->title      ? "title"
                            : a->note       ? "note"
                            : a->measures.n ? "measure"
                                            : NULL;
        if (extra)
                return cli_usage_error(cmd, "option '--%s' applies to event add only", extra);
        if (a->la && cli_la_code(cmd, "la", a->la))
                return EXIT_USAGE;
        struct list_ctx ctx = {0};
        if (a->format && strcmp(a->format, "csv") == 0)
                ctx.csv = 1;
        else if (a->format && strcmp(a->format, "text") != 0)
                return cli_usage_error(cmd, "option '--format' must be text or csv, not '%s'",
                                       a->format);
        struct err e = {0};
        struct store *s = store_open(cli.db, 0, &e);
        if (!s)
                return cli_report(&e);
        if (ctx.csv)
                printf("id,la,date,kind,title,measures,note\n");
        int code = EXIT_OK;
        if (store_event_each(s, a->la, list_one, &ctx, &e))
                code = cli_report(&e);
        else if (!ctx.csv && ctx.n == 0)
                printf(a->la ? "no events registered for %s\n" : "no events registered\n", a->la);
        store_close(s);
        return code;
}

static int run(int argc, char **argv)
{
        struct event_args a = {0};
        const struct cli_opt opts[] = {
            {"la", 0, CLI_VALUE, &a.la},         {"date", 0, CLI_VALUE, &a.date},
            {"kind", 0, CLI_VALUE, &a.kind},     {"title", 0, CLI_VALUE, &a.title},
            {"note", 0, CLI_VALUE, &a.note},     {"measure", 0, CLI_MULTI, &a.measures},
            {"format", 0, CLI_VALUE, &a.format}, {0},
        };
        struct cli_list pos = {0};
        int code;
        if (cli_parse(&command_event, argc, argv, opts, &pos, &code)) {
                if (pos.n == 0)
                        code = cli_usage_error(&command_event, "say what to do: add or list");
                else if (pos.n > 1)
                        code =
                            cli_usage_error(&command_event, "unexpected argument '%s'", pos.v[1]);
                else if (strcmp(pos.v[0], "add") == 0)
                        code = add(&a);
                else if (strcmp(pos.v[0], "list") == 0)
                        code = list(&a);
                else
                        code = cli_usage_error(&command_event,
                                               "'%s' is not something event does; expected add "
                                               "or list",
                                               pos.v[0]);
        }
        cli_list_release(&pos);
        cli_list_release(&a.measures);
        return code;
}
