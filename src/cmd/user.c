/*
 * user.c — `improve user`: the web application's accounts, managed on the
 * server by whoever runs improve there (the first administrator of an
 * authority can only be made this way).
 *
 * Passwords are read from standard input (--password-stdin) or generated and
 * printed once; either way they are hashed with Argon2id and wiped from
 * memory, never stored or logged.  Every change is written to the audit log.
 */
#include "cmd/cli.h"
#include "core/err.h"
#include "store/store.h"
#include "web/auth.h"
#include "web/web.h"

#include <pwd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int run(int argc, char **argv);

const struct command command_user = {
    .name = "user",
    .run = run,
    .summary = "Add, list, disable, enable or reset the web application's accounts.",
    .usage = "improve user add --la CODE --role ROLE --email EMAIL [--password-stdin]\n"
             "       improve user list [--la CODE]\n"
             "       improve user disable|enable --email EMAIL\n"
             "       improve user reset --email EMAIL [--password-stdin]",
    .help =
        "Accounts of 'improve serve'.  Each belongs to one authority and has one role:\n"
        "  admin         everything in its authority, the audit log; manages users\n"
        "  leader        everything in its authority (DCS, AD, head of service)\n"
        "  analyst       everything in its authority; imports, measures, exports\n"
        "  practitioner  its own team's aggregates; no lists of children\n"
        "  member        aggregates only, small numbers suppressed (elected member)\n"
        "  peer          aggregates only, suppressed (another authority, reviewer)\n"
        "  inspector     read-only aggregates, self-evaluation and evidence\n"
        "\n"
        "add      create an account.  The authority must be in the database (import\n"
        "         the authorities list first).  Without --password-stdin a password is\n"
        "         generated and printed once: pass it on by a safe channel.\n"
        "list     every account (of one authority with --la), with its status.\n"
        "disable  stop an account signing in and end its sessions; 'enable' undoes it.\n"
        "reset    set a new password (generated, or from standard input), end the\n"
        "         account's sessions and clear its failed sign-ins.\n"
        "\n"
        "Options:\n"
        "  --la CODE          the authority (3-digit code)\n"
        "  --role ROLE        one of the roles above\n"
        "  --email EMAIL      the account's e-mail address (its sign-in name)\n"
        "  --password-stdin   read the password from the first line of standard input\n"
        "                     (at least 12 characters)\n"
        "\n"
        "Examples:\n"
        "  improve user add --la 202 --role admin --email head.of.data@example.gov.uk\n"
        "  printf '%s\\n' \"$PW\" | improve user reset --email a@example.org --password-stdin\n",
};

/* Who ran the command, for the audit log. */
static void who(char *out, size_t n)
{
        const struct passwd *pw = getpwuid(getuid());
        snprintf(out, n, "cli:%s", pw && pw->pw_name ? pw->pw_name : "unknown");
}

static int audit(struct store *s, const char *action, const struct store_user *u, struct err *e)
{
        char user[96], detail[STORE_EMAIL_MAX + 64];
        who(user, sizeof user);
        snprintf(detail, sizeof detail, "%s (%s)", u->email, u->role);
        struct store_audit a = {.user = user, .action = action, .la = u->la, .detail = detail};
        return store_audit_append(s, &a, e);
}

/*
 * The new password: the first line of standard input, or a generated one
 * (then *generated is set and the caller prints it).  0 ok, else an exit code.
 */
static int new_password(int from_stdin, char *pw, size_t n, int *generated)
{
        *generated = 0;
        if (!from_stdin) {
                auth_generate_password(pw);
                *generated = 1;
                return 0;
        }
        if (!fgets(pw, (int)n, stdin)) {
                fprintf(stderr, "improve user: --password-stdin: no password on standard input\n");
                return EXIT_USAGE;
        }
        size_t len = strlen(pw);
        if (len == n - 1 && pw[len - 1] != '\n') {
                sodium_memzero(pw, n);
                fprintf(stderr, "improve user: the password is too long: at most 1024 bytes\n");
                return EXIT_USAGE;
        }
        while (len && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
                pw[--len] = '\0';
        struct err e = {0};
        if (auth_password_acceptable(pw, &e)) {
                sodium_memzero(pw, n);
                fprintf(stderr, "improve user: %s\n", e.msg);
                return EXIT_USAGE;
        }
        return 0;
}

static int need(const char *value, const char *flag, const char *sub)
{
        if (value)
                return 0;
        return cli_usage_error(&command_user, "'%s' needs --%s", sub, flag);
}

/* Open the store and find the account named by --email; returns an exit code. */
static int find_user(const char *email, struct store **s, struct store_user *u)
{
        struct err e = {0};
        char norm[STORE_EMAIL_MAX + 1];
        if (auth_normalise_email(email, norm, &e))
                return cli_usage_error(&command_user, "%s", e.msg);
        *s = store_open(cli.db, 0, &e);
        if (!*s)
                return cli_report(&e);
        int found = store_user_get_email(*s, norm, u, &e);
        if (found <= 0) {
                store_close(*s);
                *s = NULL;
                if (found < 0)
                        return cli_report(&e);
                fprintf(stderr, "improve user: no account with e-mail %s\n", norm);
                return EXIT_INPUT;
        }
        return 0;
}

static int add(const char *la, const char *role, const char *email, int from_stdin)
{
        if (need(la, "la", "add") || need(role, "role", "add") || need(email, "email", "add"))
                return EXIT_USAGE;
        if (cli_la_code(&command_user, "la", la))
                return EXIT_USAGE;
        enum web_role r;
        if (web_role_parse(role, &r))
                return cli_usage_error(&command_user,
                                       "--role '%s' is not a role: use admin, leader, analyst, "
                                       "practitioner, member, peer or inspector",
                                       role);
        struct err e = {0};
        struct store_user u = {0};
        if (auth_normalise_email(email, u.email, &e))
                return cli_usage_error(&command_user, "%s", e.msg);
        snprintf(u.la, sizeof u.la, "%s", la);
        snprintf(u.role, sizeof u.role, "%s", role);
        if (auth_init(&e))
                return cli_report(&e);

        struct store *s = store_open(cli.db, 0, &e);
        if (!s)
                return cli_report(&e);
        char pw[1026];
        int generated;
        int rc = new_password(from_stdin, pw, sizeof pw, &generated);
        if (rc) {
                store_close(s);
                return rc;
        }
        struct auth_config cfg;
        auth_config_default(&cfg);
        int64_t id;
        if (auth_hash_password(&cfg, pw, u.pwhash, &e) || store_begin(s, &e) ||
            store_user_add(s, &u, &id, &e) || audit(s, "user-add", &u, &e) || store_commit(s, &e)) {
                store_rollback(s);
                store_close(s);
                sodium_memzero(pw, sizeof pw);
                return cli_report(&e);
        }
        store_close(s);
        printf("added %s (%s, authority %s)\n", u.email, u.role, u.la);
        if (generated)
                printf("password: %s\n(shown once: give it to the user by a safe channel)\n", pw);
        sodium_memzero(pw, sizeof pw);
        sodium_memzero(u.pwhash, sizeof u.pwhash);
        return EXIT_OK;
}

struct list_ctx {
        long shown;
};

static int print_user(void *vctx, const struct store_user *u)
{
        struct list_ctx *ctx = vctx;
        if (ctx->shown++ == 0)
                printf("%-40s %-4s %-13s %-9s %s\n", "EMAIL", "LA", "ROLE", "STATUS", "CREATED");
        printf("%-40s %-4s %-13s %-9s %s\n", u->email, u->la, u->role,
               u->disabled ? "disabled" : "active", u->created_at);
        return 0;
}

static int list(const char *la)
{
        if (la && cli_la_code(&command_user, "la", la))
                return EXIT_USAGE;
        struct err e = {0};
        struct store *s = store_open(cli.db, 0, &e);
        if (!s)
                return cli_report(&e);
        struct list_ctx ctx = {0};
        int rc = store_user_each(s, la, print_user, &ctx, &e);
        store_close(s);
        if (rc)
                return cli_report(&e);
        if (ctx.shown == 0)
                printf("No accounts%s%s.\n", la ? " in authority " : "", la ? la : "");
        return EXIT_OK;
}

static int set_disabled(const char *email, int disabled)
{
        const char *sub = disabled ? "disable" : "enable";
        if (need(email, "email", sub))
                return EXIT_USAGE;
        struct store *s;
        struct store_user u;
        int rc = find_user(email, &s, &u);
        if (rc)
                return rc;
        struct err e = {0};
        if (store_begin(s, &e) || store_user_set_disabled(s, u.id, disabled, &e) < 0 ||
            (disabled && store_session_delete_user(s, u.id, &e)) ||
            audit(s, disabled ? "user-disable" : "user-enable", &u, &e) || store_commit(s, &e)) {
                store_rollback(s);
                store_close(s);
                return cli_report(&e);
        }
        store_close(s);
        if (disabled)
                printf("disabled %s: it cannot sign in, and its sessions have ended\n", u.email);
        else
                printf("enabled %s\n", u.email);
        return EXIT_OK;
}

static int reset(const char *email, int from_stdin)
{
        if (need(email, "email", "reset"))
                return EXIT_USAGE;
        struct err e = {0};
        if (auth_init(&e))
                return cli_report(&e);
        struct store *s;
        struct store_user u;
        int rc = find_user(email, &s, &u);
        if (rc)
                return rc;
        char pw[1026], hash[STORE_PWHASH_MAX];
        int generated;
        rc = new_password(from_stdin, pw, sizeof pw, &generated);
        if (rc) {
                store_close(s);
                return rc;
        }
        struct auth_config cfg;
        auth_config_default(&cfg);
        if (auth_hash_password(&cfg, pw, hash, &e) || store_begin(s, &e) ||
            store_user_set_pwhash(s, u.id, hash, &e) < 0 ||
            store_session_delete_user(s, u.id, &e) || store_login_failure_clear(s, u.email, &e) ||
            audit(s, "user-reset", &u, &e) || store_commit(s, &e)) {
                store_rollback(s);
                store_close(s);
                sodium_memzero(pw, sizeof pw);
                return cli_report(&e);
        }
        store_close(s);
        printf("reset the password of %s; its sessions have ended\n", u.email);
        if (generated)
                printf("password: %s\n(shown once: give it to the user by a safe channel)\n", pw);
        sodium_memzero(pw, sizeof pw);
        sodium_memzero(hash, sizeof hash);
        return EXIT_OK;
}

static int run(int argc, char **argv)
{
        const char *la = NULL, *role = NULL, *email = NULL;
        int from_stdin = 0;
        const struct cli_opt opts[] = {
            {"la", 0, CLI_VALUE, &la},
            {"role", 0, CLI_VALUE, &role},
            {"email", 0, CLI_VALUE, &email},
            {"password-stdin", 0, CLI_FLAG, &from_stdin},
            {0},
        };
        struct cli_list pos = {0};
        int code;
        if (!cli_parse(&command_user, argc, argv, opts, &pos, &code)) {
                cli_list_release(&pos);
                return code;
        }
        if (pos.n != 1) {
                cli_list_release(&pos);
                return cli_usage_error(&command_user, "%s",
                                       pos.n ? "give one of add, list, disable, enable, reset"
                                             : "what should be done? add, list, disable, "
                                               "enable or reset");
        }
        const char *sub = pos.v[0];
        int rc;
        if (strcmp(sub, "add") == 0)
                rc = add(la, role, email, from_stdin);
        else if (strcmp(sub, "list") == 0)
                rc = list(la);
        else if (strcmp(sub, "disable") == 0)
                rc = set_disabled(email, 1);
        else if (strcmp(sub, "enable") == 0)
                rc = set_disabled(email, 0);
        else if (strcmp(sub, "reset") == 0)
                rc = reset(email, from_stdin);
        else
                rc = cli_usage_error(&command_user,
                                     "'%s' is not a user command: use add, list, disable, enable "
                                     "or reset",
                                     sub);
        cli_list_release(&pos);
        return rc;
}
