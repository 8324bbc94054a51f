/*
 * demo.c — `improve demo`: the main job on a synthetic region, end to end.
 *
 * The demo runs the same commands a user would, in order, through their
 * command-table entries, so what it shows is exactly what those commands do.
 * Every step does real work; steps whose issues have not landed are listed
 * as not run rather than pretended.  Steps are added as they land:
 * generate the region (issue 3), import it (issues 4 and 5), compute the
 * measures (issue 5), serve the pages (issue 7): one demo account per role
 * in the first authority is made (or given a new password when it exists)
 * and printed, then `improve serve` runs until stopped.
 */
#include "cmd/cli.h"
#include "core/err.h"
#include "store/store.h"
#include "web/web.h"

#include <sodium.h>

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct command command_synth;
extern const struct command command_import;
extern const struct command command_measures;
extern const struct command command_serve;

static int run(int argc, char **argv);

const struct command command_demo = {
    .name = "demo",
    .run = run,
    .summary = "Run the main job on a synthetic region (for trying improve out).",
    .usage = "improve demo [--db PATH] [--data DIR] [--listen HOST:PORT] [--no-serve]",
    .help = "Generates the default synthetic region into DIR (default ./demo-data) unless it\n"
            "is already there, then loads it into the demo database (default ./demo.db\n"
            "unless --db is given), imports every authority's returns year by year (each\n"
            "validated and stored, its measures computed) and shows a few measures of the\n"
            "first authority.  Then it makes one demo account per role in that authority\n"
            "(or gives the existing ones new passwords), prints them, and serves the\n"
            "pages until stopped with Ctrl-C.  No real child's data is involved.\n"
            "\n"
            "Options:\n"
            "  --data DIR          where the synthetic region is (or is written)\n"
            "  --listen HOST:PORT  where to serve the pages (default 127.0.0.1:8080)\n"
            "  --no-serve          stop after printing the accounts\n"
            "\n"
            "Example:\n  improve demo\n",
};

/* Run a command as step() does, but with its output and notes discarded (errors still show). */
static int quiet_step(const struct command *cmd, char **argv)
{
        int argc = 0;
        while (argv[argc])
                argc++;
        fflush(stdout);
        int saved = dup(STDOUT_FILENO);
        int null = open("/dev/null", O_WRONLY);
        if (saved >= 0 && null >= 0)
                dup2(null, STDOUT_FILENO);
        if (null >= 0)
                close(null);
        int verbosity = cli.verbosity;
        cli.verbosity = -1; /* and its notes: the demo reports per authority */
        int rc = cmd->run(argc, argv);
        cli.verbosity = verbosity;
        fflush(stdout);
        if (saved >= 0) {
                dup2(saved, STDOUT_FILENO);
                close(saved);
        }
        return rc;
}

static int three_digits(const struct dirent *d)
{
        const char *n = d->d_name;
        return strlen(n) == 3 && isdigit((unsigned char)n[0]) && isdigit((unsigned char)n[1]) &&
               isdigit((unsigned char)n[2]);
}

static int four_digits(const struct dirent *d)
{
        const char *n = d->d_name;
        return strlen(n) == 4 && strspn(n, "0123456789") == 4;
}

/*
 * Import every year of one generated authority, oldest first (so that each
 * SSDA903 return has last year's beside it, as an authority sends them):
 * the SSDA903 tables with the region's postcodes, providers and authorities,
 * then the CIN census.  *last gets the latest year imported.
 */
static int import_authority(const char *data, const char *la, int *last)
{
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", data, la);
        struct dirent **years;
        int n = scandir(dir, &years, four_digits, alphasort);
        if (n < 0) {
                fprintf(stderr, "improve demo: cannot read %s\n", dir);
                return EXIT_INPUT;
        }
        char postcodes[4096], providers[4096], authorities[4096];
        snprintf(postcodes, sizeof postcodes, "%s/postcodes.csv", data);
        snprintf(providers, sizeof providers, "%s/providers.csv", data);
        snprintf(authorities, sizeof authorities, "%s/authorities.csv", data);
        int rc = EXIT_OK;
        for (int i = 0; i < n && rc == EXIT_OK; i++) {
                /* The directory and a year's name (d_name: up to 255 bytes) and the file. */
                char s903[sizeof dir + 272], prev[sizeof dir + 272], cin[sizeof dir + 272];
                snprintf(s903, sizeof s903, "%s/%s/903", dir, years[i]->d_name);
                snprintf(cin, sizeof cin, "%s/%s/cin.xml", dir, years[i]->d_name);
                char *av[16];
                int k = 0;
                av[k++] = "import";
                av[k++] = "--la";
                av[k++] = (char *)la;
                if (i > 0) {
                        snprintf(prev, sizeof prev, "%s/%s/903", dir, years[i - 1]->d_name);
                        av[k++] = "--previous";
                        av[k++] = prev;
                }
                av[k++] = "--postcodes";
                av[k++] = postcodes;
                av[k++] = "--providers";
                av[k++] = providers;
                av[k++] = "--authorities";
                av[k++] = authorities;
                av[k++] = s903;
                av[k] = NULL;
                if ((rc = quiet_step(&command_import, av)) != EXIT_OK) {
                        fprintf(stderr, "improve demo: step failed (exit %d): importing %s\n", rc,
                                s903);
                        break;
                }
                char *ac[] = {"import", "--la", (char *)la, cin, NULL};
                if ((rc = quiet_step(&command_import, ac)) != EXIT_OK) {
                        fprintf(stderr, "improve demo: step failed (exit %d): importing %s\n", rc,
                                cin);
                        break;
                }
                *last = atoi(years[i]->d_name);
        }
        if (rc == EXIT_OK)
                printf("demo: authority %s: %d year%s of SSDA903 returns and CIN censuses "
                       "imported, measures computed\n",
                       la, n, n == 1 ? "" : "s");
        for (int i = 0; i < n; i++)
                free(years[i]);
        free(years);
        return rc;
}

/* Run another command with the arguments given, as `improve <argv...>` would. */
static int step(const struct command *cmd, const char *what, char **argv)
{
        int argc = 0;
        while (argv[argc])
                argc++;
        printf("demo: %s\n", what);
        fflush(stdout);
        int rc = cmd->run(argc, argv);
        fflush(stdout);
        if (rc != EXIT_OK)
                fprintf(stderr, "improve demo: step failed (exit %d): %s\n", rc, what);
        return rc;
}

/*
 * One account per role in authority `la`, each with a new generated password,
 * printed once.  Existing demo accounts are enabled and get new passwords, so
 * running the demo again always prints passwords that work.
 */
static int demo_accounts(const char *la)
{
        struct err e = {0};
        if (auth_init(&e))
                return cli_report(&e);
        struct store *s = store_open(cli.db, 0, &e);
        if (!s)
                return cli_report(&e);
        struct auth_config cfg;
        auth_config_default(&cfg);
        printf("demo: accounts of authority %s (passwords shown this once):\n", la);
        int code = EXIT_OK;
        for (int r = 0; r < WEB_ROLE_COUNT && code == EXIT_OK; r++) {
                struct store_user u;
                memset(&u, 0, sizeof u);
                snprintf(u.email, sizeof u.email, "%s@%s.demo.invalid",
                         web_role_name((enum web_role)r), la);
                char password[24];
                auth_generate_password(password);
                char hash[STORE_PWHASH_MAX];
                struct store_user old;
                int had = store_user_get_email(s, u.email, &old, &e);
                if (had < 0 || auth_hash_password(&cfg, password, hash, &e)) {
                        code = cli_report(&e);
                } else if (had) {
                        if (store_user_set_pwhash(s, old.id, hash, &e) < 0 ||
                            store_user_set_disabled(s, old.id, 0, &e) < 0)
                                code = cli_report(&e);
                } else {
                        snprintf(u.la, sizeof u.la, "%s", la);
                        snprintf(u.role, sizeof u.role, "%s", web_role_name((enum web_role)r));
                        snprintf(u.pwhash, sizeof u.pwhash, "%s", hash);
                        if (store_user_add(s, &u, &u.id, &e))
                                code = cli_report(&e);
                }
                if (code == EXIT_OK)
                        printf("  %-13s %-36s %s\n", web_role_name((enum web_role)r), u.email,
                               password);
                sodium_memzero(password, sizeof password);
        }
        store_close(s);
        fflush(stdout);
        return code;
}

static int run(int argc, char **argv)
{
        const char *data = "./demo-data";
        const char *listen = "127.0.0.1:8080";
        int no_serve = 0;
        const char *before = cli.db;
        const struct cli_opt opts[] = {{"data", 0, CLI_VALUE, &data},
                                       {"listen", 0, CLI_VALUE, &listen},
                                       {"no-serve", 0, CLI_FLAG, &no_serve},
                                       {0}};
        int code;
        if (!cli_parse(&command_demo, argc, argv, opts, NULL, &code))
                return code;
        static char db[4096];
        snprintf(db, sizeof db, "%s", cli.db != before ? cli.db : "./demo.db");
        cli.db = db;

        char marker[4096];
        snprintf(marker, sizeof marker, "%s/authorities.csv", data);
        struct stat sb;
        if (stat(marker, &sb) != 0) {
                char *av[] = {"synth", "--out", (char *)data, NULL};
                if ((code = step(&command_synth, "generating the synthetic region", av)))
                        return code;
        } else {
                printf("demo: using the synthetic region already in %s\n", data);
        }

        char authorities[4096], populations[4096];
        snprintf(authorities, sizeof authorities, "%s/authorities.csv", data);
        snprintf(populations, sizeof populations, "%s/populations.csv", data);
        char *a1[] = {"import", "authorities", authorities, NULL};
        if ((code = step(&command_import, "importing the authorities and neighbours", a1)))
                return code;
        char *a2[] = {"import", "populations", populations, NULL};
        if ((code = step(&command_import, "importing the populations aged 0-17", a2)))
                return code;

        /* Every authority's returns, each year validated and stored; measures follow. */
        struct dirent **las;
        int nla = scandir(data, &las, three_digits, alphasort);
        if (nla < 0) {
                fprintf(stderr, "improve demo: cannot read %s\n", data);
                return EXIT_INPUT;
        }
        printf("demo: importing the returns of %d authorit%s (validated, stored, measured)\n", nla,
               nla == 1 ? "y" : "ies");
        fflush(stdout);
        char first[4] = "", last_year[8] = "";
        code = EXIT_OK;
        for (int i = 0; i < nla; i++) {
                int last = 0;
                if (code == EXIT_OK)
                        code = import_authority(data, las[i]->d_name, &last);
                fflush(stdout);
                if (code == EXIT_OK && i == 0) {
                        memcpy(first, las[i]->d_name, 3); /* three_digits() checked it */
                        first[3] = '\0';
                        snprintf(last_year, sizeof last_year, "%d", last);
                }
                free(las[i]);
        }
        free(las);
        if (code != EXIT_OK)
                return code;

        if (*first && *last_year) {
                char what[96];
                snprintf(what, sizeof what, "measures of authority %s for %s (a few of them)",
                         first, last_year);
                char *am[] = {"measures",
                              "--la",
                              first,
                              "--year",
                              last_year,
                              "--measure",
                              "referrals_rate_per_10k",
                              "--measure",
                              "rereferrals_12m_pct",
                              "--measure",
                              "cpp_rate_per_10k",
                              "--measure",
                              "cla_rate_per_10k",
                              "--measure",
                              "cla_placements_3plus_pct",
                              NULL};
                if ((code = step(&command_measures, what, am)))
                        return code;
        }
        printf("demo: database %s is ready; every measure: improve measures --db %s --la %s\n", db,
               db, *first ? first : "CODE");
        if (!*first)
                return EXIT_OK;
        if ((code = demo_accounts(first)) != EXIT_OK)
                return code;
        if (no_serve) {
                printf("demo: serve the pages with: improve serve --db %s --listen %s\n", db,
                       listen);
                return EXIT_OK;
        }
        printf("demo: the scorecard is at http://%s/ (sign in with an account above)\n", listen);
        fflush(stdout);
        char *as[] = {"serve", "--listen", (char *)listen, NULL};
        return command_serve.run(3, as);
}
