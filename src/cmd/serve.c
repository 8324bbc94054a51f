/*
 * serve.c — `improve serve`: the web application (src/web/) on a port.
 *
 * Runs until SIGINT or SIGTERM, then stops accepting, lets requests in
 * flight finish and closes the database.  The signals are blocked before the
 * server's threads start, so only this thread receives them (sigwait).
 */
#include "cmd/cli.h"
#include "core/err.h"
#include "store/store.h"
#include "web/web.h"

#include <signal.h>
#include <stdio.h>

static int run(int argc, char **argv);

const struct command command_serve = {
    .name = "serve",
    .run = run,
    .summary = "Serve the web application (scorecard, measures, data quality, uploads, admin).",
    .usage = "improve serve [--db PATH] [--listen HOST:PORT] [--trust-proxy]",
    .help = "Serves improve's web pages from the database until stopped with Ctrl-C\n"
            "(SIGINT) or SIGTERM.  Accounts are made with 'improve user add'.\n"
            "\n"
            "Options:\n"
            "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; port 0\n"
            "                      picks a free port).  Plain HTTP: put a TLS-terminating\n"
            "                      reverse proxy in front for anything beyond this machine.\n"
            "  --trust-proxy       TLS ends at a reverse proxy in front of improve: honour\n"
            "                      its X-Forwarded-Proto (cookies are then marked Secure)\n"
            "                      and X-Forwarded-For (the address failed sign-ins are\n"
            "                      counted against).  Only use it behind such a proxy.\n"
            "\n"
            "Example:\n  improve serve --db la.db --listen 127.0.0.1:8080\n",
};

static int run(int argc, char **argv)
{
        const char *listen = "127.0.0.1:8080";
        int trust_proxy = 0;
        const struct cli_opt opts[] = {
            {"listen", 0, CLI_VALUE, &listen},
            {"trust-proxy", 0, CLI_FLAG, &trust_proxy},
            {0},
        };
        int code;
        if (!cli_parse(&command_serve, argc, argv, opts, NULL, &code))
                return code;
        struct err e = {0};
        char host[64];
        int port;
        if (web_parse_listen(listen, host, sizeof host, &port, &e))
                return cli_usage_error(&command_serve, "%s", e.msg);

        sigset_t stop;
        sigemptyset(&stop);
        sigaddset(&stop, SIGINT);
        sigaddset(&stop, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stop, NULL);

        struct web_server_options o = {.db = cli.db, .listen = listen};
        web_app_init(&o.app);
        o.app.trust_proxy = trust_proxy;
        struct web_server *srv = web_server_start(&o, &e);
        if (!srv) {
                pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
                return cli_report(&e);
        }
        const char *shown = host;
        int v6 = 0;
        for (const char *p = host; *p; p++)
                v6 |= *p == ':';
        cli_info("serving %s on http://%s%s%s:%d/ (stop with Ctrl-C)", cli.db, v6 ? "[" : "", shown,
                 v6 ? "]" : "", web_server_port(srv));
        int sig = 0;
        sigwait(&stop, &sig);
        cli_info("stopping (%s)", sig == SIGTERM ? "SIGTERM" : "SIGINT");
        web_server_stop(srv);
        pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
        return EXIT_OK;
}
