/*
 * page_import.c — uploading a return in the browser:
 *
 *   GET  /imports/new      the form: the return's files (SSDA903 CSV tables
 *                          or XML, or a CIN census XML), optionally last
 *                          year's tables, a postcode file (and its district
 *                          lookup) and the providers list
 *   POST /imports/new      (multipart) the files are written to a private
 *                          temporary directory under names the server
 *                          chooses, then validated exactly as `improve
 *                          validate --la LA` does (validate_collect, _refdata,
 *                          _load, _check); the result is shown, with a button
 *                          to import it.  A malformed file gets a GOV.UK
 *                          error summary naming the file and line, and
 *                          nothing can be imported.  The form is marked
 *                          data-upload-progress: web/init.js then sends files
 *                          of 1 MiB or more with a progress bar (the form works
 *                          without script).
 *   POST /imports/confirm  imports the validated files through the command's
 *                          own entry point (import_returns_run_from: validates
 *                          again, stores in one transaction, recomputes the
 *                          measures); audited as "import".
 *
 * A pending upload is remembered here, in memory, by a random token that
 * belongs to the user who made it; the confirm form sends only the token, so
 * no path on disk ever comes from the request.  Pending uploads expire after
 * an hour and are removed when the server stops.
 */
#include "web/pages.h"
#include "cmd/import_returns.h"
#include "cmd/validate.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PENDING_MAX      32
#define PENDING_LIFETIME 3600
#define PENDING_FILES    (HTTP_MAX_PARTS)

/* What each kind of part is, and the server's name for its files. */
enum part_kind { PART_RETURN, PART_PREVIOUS, PART_POSTCODES, PART_LTLA, PART_PROVIDERS };
static const char *const part_field[] = {"return", "previous", "postcodes", "ltla_utla",
                                         "providers"};

struct pending_file {
        enum part_kind kind;
        char path[128];     /* in the pending directory, named by us */
        char original[128]; /* the browser's file name, for messages only */
};

struct pending {
        char token[AUTH_TOKEN_LEN + 1];
        int64_t user_id;
        int64_t created;
        char dir[96];
        struct pending_file files[PENDING_FILES];
        size_t nfiles;
};

static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pending pendings[PENDING_MAX];

static void remove_dir(const char *dir)
{
        if (!*dir)
                return;
        DIR *d = opendir(dir);
        if (d) {
                const struct dirent *de;
                while ((de = readdir(d)) != NULL) {
                        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                                continue;
                        char p[512];
                        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
                        unlink(p);
                }
                closedir(d);
        }
        rmdir(dir);
}

/* Forget a pending upload (lock held). */
static void pending_drop(struct pending *p)
{
        remove_dir(p->dir);
        memset(p, 0, sizeof *p);
}

void web_uploads_cleanup(void)
{
        pthread_mutex_lock(&pending_lock);
        for (size_t i = 0; i < PENDING_MAX; i++)
                if (pendings[i].token[0])
                        pending_drop(&pendings[i]);
        pthread_mutex_unlock(&pending_lock);
}

/* ---------------------------------------------------------------- the form */

static void file_input(struct html *h, const char *id, const char *label, const char *hint,
                       int multiple, const char *error)
{
        html_lit(h, "<div class=\"govuk-form-group");
        if (error)
                html_lit(h, " govuk-form-group--error");
        html_lit(h, "\">\n<label class=\"govuk-label govuk-label--s\" for=\"");
        html_attr(h, id);
        html_lit(h, "\">");
        html_text(h, label);
        html_lit(h, "</label>\n<div id=\"");
        html_attr(h, id);
        html_lit(h, "-hint\" class=\"govuk-hint\">");
        html_text(h, hint);
        html_lit(h, "</div>\n");
        if (error) {
                html_lit(h, "<p id=\"");
                html_attr(h, id);
                html_lit(h, "-error\" class=\"govuk-error-message\"><span "
                            "class=\"govuk-visually-hidden\">Error:</span> ");
                html_text(h, error);
                html_lit(h, "</p>\n");
        }
        html_lit(h, "<input class=\"govuk-file-upload");
        if (error)
                html_lit(h, " govuk-file-upload--error");
        html_lit(h, "\" id=\"");
        html_attr(h, id);
        html_lit(h, "\" name=\"");
        html_attr(h, id);
        html_lit(h, "\" type=\"file\"");
        if (multiple)
                html_lit(h, " multiple");
        html_lit(h, " aria-describedby=\"");
        html_attr(h, id);
        html_lit(h, "-hint");
        if (error) {
                html_lit(h, " ");
                html_attr(h, id);
                html_lit(h, "-error");
        }
        html_lit(h, "\">\n</div>\n");
}

static void form(struct web_ctx *c, const struct web_error *errors, size_t n)
{
        struct html *h = &c->html;
        web_page_begin(c, n ? "Error: Upload a return" : "Upload a return");
        html_lit(h,
                 "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n");
        web_error_summary(c, errors, n);
        html_lit(h, "<h1 class=\"govuk-heading-l\">Upload a return</h1>\n"
                    "<p class=\"govuk-body\">The files are checked against the DfE's validation "
                    "rules exactly as <code>improve validate</code> checks them. You see the "
                    "result first; nothing is stored until you confirm.</p>\n"
                    "<form method=\"post\" action=\"/imports/new\" enctype=\"multipart/form-data\" "
                    "novalidate data-upload-progress=\"1048576\">\n");
        web_csrf_field(c);
        const char *err_return = NULL;
        for (size_t i = 0; i < n; i++)
                if (errors[i].field_id && strcmp(errors[i].field_id, "return") == 0)
                        err_return = errors[i].message;
        file_input(h, "return", "The return",
                   "SSDA903 tables (CSV) or an SSDA903 XML file with its CSV tables, or one CIN "
                   "census XML file. Select every file of the return.",
                   1, err_return);
        file_input(h, "previous", "Last year's SSDA903 tables (optional)",
                   "For the rules that compare with the previous year.", 1, NULL);
        file_input(h, "postcodes", "Postcode file (optional)",
                   "ONS postcode directory extract, for the distance and area rules.", 0, NULL);
        file_input(h, "ltla_utla", "District to county lookup (optional)",
                   "Only with a postcode file.", 0, NULL);
        file_input(h, "providers", "Ofsted providers list (optional)",
                   "For the rules about providers.", 0, NULL);
        html_lit(h, "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">"
                    "Check the files</button>\n</form>\n</div>\n</div>\n");
        web_page_end(c);
}

int page_import_form(struct web_ctx *c)
{
        form(c, NULL, 0);
        return 0;
}

/* ---------------------------------------------------------------- checking */

static int write_part(const char *path, const struct http_part *p, struct err *e)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0)
                return err_set(e, EXIT_INTERNAL, "cannot write an upload: %s", strerror(errno));
        const char *d = p->data;
        size_t n = p->len;
        while (n) {
                ssize_t w = write(fd, d, n);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0) {
                        close(fd);
                        return err_set(e, EXIT_INTERNAL, "cannot write an upload: %s",
                                       strerror(errno));
                }
                d += w;
                n -= (size_t)w;
        }
        return close(fd) ? err_set(e, EXIT_INTERNAL, "cannot write an upload") : 0;
}

/* The validate options naming the pending files, as the command line would. */
static void pending_opts(const struct pending *p, const char *la, struct validate_opts *o)
{
        memset(o, 0, sizeof *o);
        o->la = la;
        o->ret = -1;
        for (size_t i = 0; i < p->nfiles; i++) {
                const struct pending_file *f = &p->files[i];
                switch (f->kind) {
                case PART_RETURN:
                        cli_list_push(&o->paths, f->path);
                        break;
                case PART_PREVIOUS:
                        cli_list_push(&o->previous, f->path);
                        break;
                case PART_POSTCODES:
                        o->postcodes = f->path;
                        break;
                case PART_LTLA:
                        o->ltla_utla = f->path;
                        break;
                case PART_PROVIDERS:
                        o->providers = f->path;
                        break;
                }
        }
}

/* A message with our file names replaced by the names the user uploaded. */
static const char *user_words(struct web_ctx *c, const struct pending *p, const char *msg)
{
        const char *out = msg;
        for (size_t i = 0; i < p->nfiles; i++) {
                const char *hit;
                while ((hit = strstr(out, p->files[i].path)) != NULL)
                        out = arena_printf(c->arena, "%.*s%s%s", (int)(hit - out), out,
                                           p->files[i].original, hit + strlen(p->files[i].path));
        }
        return out;
}

static void summary_row(struct html *h, const char *key, const char *value)
{
        html_lit(h,
                 "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">");
        html_text(h, key);
        html_lit(h, "</dt><dd class=\"govuk-summary-list__value\">");
        html_text(h, value ? value : "");
        html_lit(h, "</dd></div>\n");
}

#define SHOW_FINDINGS 100

static void result_page(struct web_ctx *c, const struct pending *p, const struct validate_run *r)
{
        struct html *h = &c->html;
        const struct rules_result *res = &r->res;
        char ylab[8];
        validate_year_label(r->collection_year, ylab);
        web_page_begin(c, "Check the result");
        html_lit(h, "<h1 class=\"govuk-heading-l\">Check the result before importing</h1>\n"
                    "<dl class=\"govuk-summary-list\">\n");
        summary_row(h, "Return", validate_return_name(r->ret));
        summary_row(h, "Authority", c->scope->la);
        summary_row(h, "Collection year", ylab);
        summary_row(h, "How the year was decided",
                    user_words(c, p, r->year_note ? r->year_note : ""));
        summary_row(h, "Rules", r->rules_note);
        summary_row(h, "Children and rows",
                    arena_printf(c->arena, "%zu children, %zu rows", r->nchildren, r->nrows));
        summary_row(h, "Result",
                    arena_printf(c->arena,
                                 "%zu error%s, %zu quer%s; %zu rules ran, %zu skipped, %zu not "
                                 "implemented",
                                 res->nerrors, res->nerrors == 1 ? "" : "s", res->nqueries,
                                 res->nqueries == 1 ? "y" : "ies", res->nran, res->nskipped,
                                 res->nmissing));
        html_lit(h, "</dl>\n");

        size_t nrules;
        struct validate_rule_count *rc = validate_rule_counts(r, &nrules);
        if (nrules) {
                html_lit(h, "<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                            "govuk-table__caption--m\">Findings by rule</caption>\n"
                            "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
                html_th(h, "Rule", 0);
                html_th(h, "Severity", 0);
                html_th(h, "Findings", 1);
                html_th(h, "Message", 0);
                html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
                for (size_t i = 0; i < nrules; i++) {
                        char b[32];
                        snprintf(b, sizeof b, "%zu", rc[i].count);
                        html_lit(h, "<tr class=\"govuk-table__row\">");
                        html_td(h, rc[i].rule, 0);
                        html_td(h, rc[i].severity == RULE_QUERY ? "query" : "error", 0);
                        html_td(h, b, 1);
                        html_td(h, rc[i].message, 0);
                        html_lit(h, "</tr>\n");
                }
                html_lit(h, "</tbody>\n</table>\n");
                size_t show = res->n < SHOW_FINDINGS ? res->n : SHOW_FINDINGS;
                html_lit(h, "<details class=\"govuk-details\">\n<summary "
                            "class=\"govuk-details__summary\"><span "
                            "class=\"govuk-details__summary-text\">");
                html_textf(h, "The first %zu findings, with the child and row", show);
                html_lit(h, "</span></summary>\n<div class=\"govuk-details__text\">\n"
                            "<table class=\"govuk-table\">\n<caption class=\"govuk-table__caption "
                            "govuk-table__caption--s\">Findings</caption>\n"
                            "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
                html_th(h, "Rule", 0);
                html_th(h, "Child", 0);
                html_th(h, "Table", 0);
                html_th(h, "Row", 1);
                html_th(h, "Message", 0);
                html_lit(h, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
                for (size_t i = 0; i < show; i++) {
                        const struct finding *f = &res->f[i];
                        char b[32] = "";
                        if (f->row > 0)
                                snprintf(b, sizeof b, "%ld", f->row);
                        html_lit(h, "<tr class=\"govuk-table__row\">");
                        html_td(h, f->rule, 0);
                        html_td(h, f->child, 0);
                        html_td(h, f->table, 0);
                        html_td(h, b, 1);
                        html_td(h, f->message, 0);
                        html_lit(h, "</tr>\n");
                }
                html_lit(h, "</tbody>\n</table>\n</div>\n</details>\n");
        } else {
                html_lit(h, "<p class=\"govuk-body\">No findings.</p>\n");
        }
        free(rc);
        html_lit(h, "<form method=\"post\" action=\"/imports/confirm\" novalidate>\n");
        web_csrf_field(c);
        html_lit(h, "<input type=\"hidden\" name=\"upload\" value=\"");
        html_attr(h, p->token);
        html_lit(h, "\">\n<div class=\"govuk-button-group\">\n<button type=\"submit\" "
                    "class=\"govuk-button\" data-module=\"govuk-button\">Import this return"
                    "</button>\n<a class=\"govuk-link\" href=\"/imports/new\">Upload other files"
                    "</a>\n</div>\n</form>\n<p class=\"govuk-body\">Importing replaces the "
                    "authority's stored return of the same kind and year, in one step.</p>\n");
        web_page_end(c);
}

/* Keep the uploaded parts of one field in the pending directory; 0 or -1. */
static int keep_parts(struct web_ctx *c, struct pending *p, enum part_kind kind, struct err *e)
{
        const struct http_parts *parts = &c->req->parts;
        for (size_t i = 0; i < parts->n; i++) {
                const struct http_part *hp = &parts->v[i];
                if (strcmp(hp->name, part_field[kind]) != 0 || !hp->filename)
                        continue;
                if (!*hp->filename && hp->len == 0)
                        continue; /* a file input left empty */
                if (p->nfiles == PENDING_FILES)
                        return err_set(e, EXIT_INPUT, "too many files: at most %d", PENDING_FILES);
                struct pending_file *f = &p->files[p->nfiles++];
                f->kind = kind;
                snprintf(f->path, sizeof f->path, "%s/%s-%02zu", p->dir, part_field[kind],
                         p->nfiles);
                /* The browser's name, for messages: its last path segment, printable. */
                const char *base = hp->filename;
                for (const char *q = hp->filename; *q; q++)
                        if (*q == '/' || *q == '\\')
                                base = q + 1;
                snprintf(f->original, sizeof f->original, "%s", *base ? base : "(unnamed file)");
                if (write_part(f->path, hp, e))
                        return -1;
        }
        return 0;
}

int page_import_upload(struct web_ctx *c)
{
        struct err e = {0};
        struct pending p;
        memset(&p, 0, sizeof p);
        const char *tmp = getenv("TMPDIR");
        snprintf(p.dir, sizeof p.dir, "%s/improve-upload-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(p.dir)) {
                err_set(&e, EXIT_INTERNAL, "cannot make an upload directory: %s", strerror(errno));
                fprintf(stderr, "improve serve: %s\n", e.msg);
                return -1;
        }
        int rc = 0;
        for (int k = PART_RETURN; k <= PART_PROVIDERS && rc == 0; k++)
                rc = keep_parts(c, &p, (enum part_kind)k, &e);
        struct web_error errs[2];
        size_t nerr = 0;
        int returns = 0, postcodes = 0, ltla = 0;
        for (size_t i = 0; i < p.nfiles; i++) {
                returns += p.files[i].kind == PART_RETURN;
                postcodes += p.files[i].kind == PART_POSTCODES;
                ltla += p.files[i].kind == PART_LTLA;
        }
        if (rc && e.code == EXIT_INPUT)
                errs[nerr++] = (struct web_error){"return", arena_strdup(c->arena, e.msg)};
        else if (rc)
                goto fail;
        else if (!returns)
                errs[nerr++] = (struct web_error){"return", "Select the return's files"};
        else if (ltla && !postcodes)
                errs[nerr++] = (struct web_error){"postcodes", "Select the postcode file that "
                                                               "the district lookup goes with"};
        if (nerr) {
                remove_dir(p.dir);
                form(c, errs, nerr);
                return 0;
        }

        struct validate_opts o;
        pending_opts(&p, c->scope->la, &o);
        struct validate_run r;
        validate_run_init(&r);
        rc = validate_collect(&r, &o, &e);
        if (rc == 0)
                rc = validate_refdata(&r, &o, c->store, &e);
        if (rc == 0)
                rc = validate_load(&r, &o, 0, &e);
        if (rc == 0)
                rc = validate_check(&r, &e);
        if (rc) {
                validate_run_release(&r);
                validate_opts_release(&o);
                remove_dir(p.dir);
                if (e.code != EXIT_INPUT && e.code != EXIT_USAGE)
                        goto fail_logged;
                /* Malformed: the reader's FILE:LINE message, with the user's file names. */
                errs[0] = (struct web_error){"return", user_words(c, &p, e.msg)};
                form(c, errs, 1);
                return 0;
        }

        /* Remember it for the confirm step, under a token only this user can use. */
        auth_random_token(p.token);
        p.user_id = c->scope->user_id;
        p.created = c->now;
        pthread_mutex_lock(&pending_lock);
        struct pending *slot = NULL;
        for (size_t i = 0; i < PENDING_MAX; i++) {
                struct pending *q = &pendings[i];
                if (q->token[0] &&
                    (q->created + PENDING_LIFETIME < c->now || (q->user_id == p.user_id)))
                        pending_drop(q); /* expired, or this user's older upload */
                if (!q->token[0] && !slot)
                        slot = q;
        }
        if (!slot) {
                /* Full: the oldest goes. */
                slot = &pendings[0];
                for (size_t i = 1; i < PENDING_MAX; i++)
                        if (pendings[i].created < slot->created)
                                slot = &pendings[i];
                pending_drop(slot);
        }
        *slot = p;
        pthread_mutex_unlock(&pending_lock);
        result_page(c, &p, &r);
        c->audit_detail = arena_printf(c->arena, "checked %s %d: %zu errors, %zu queries",
                                       validate_return_name(r.ret), r.collection_year,
                                       r.res.nerrors, r.res.nqueries);
        validate_run_release(&r);
        validate_opts_release(&o);
        return 0;
fail:
        fprintf(stderr, "improve serve: upload: %s\n", e.msg);
fail_logged:
        remove_dir(p.dir);
        return -1;
}

/* ---------------------------------------------------------------- importing */

int page_import_confirm(struct web_ctx *c)
{
        const char *token = web_field(c, "upload");
        struct pending p;
        int found = 0;
        pthread_mutex_lock(&pending_lock);
        for (size_t i = 0; token && i < PENDING_MAX; i++)
                if (pendings[i].token[0] && pendings[i].user_id == c->scope->user_id &&
                    auth_token_equal(pendings[i].token, token) &&
                    pendings[i].created + PENDING_LIFETIME >= c->now) {
                        p = pendings[i];
                        memset(&pendings[i], 0, sizeof pendings[i]); /* the directory is ours */
                        found = 1;
                        break;
                }
        pthread_mutex_unlock(&pending_lock);
        if (!found) {
                struct web_error err = {"return", "This upload has expired or was already "
                                                  "imported. Upload the files again."};
                form(c, &err, 1);
                c->audit_detail = "not imported: no such upload of this user";
                return 0;
        }

        /* The command's own import: argv as `improve import --la LA ... PATH...`. */
        const char *argv[2 * PENDING_FILES + 8];
        int argc = 0;
        argv[argc++] = "import";
        argv[argc++] = "--la";
        argv[argc++] = c->scope->la;
        for (size_t i = 0; i < p.nfiles; i++) {
                static const char *const flag[] = {NULL, "--previous", "--postcodes", "--ltla-utla",
                                                   "--providers"};
                if (p.files[i].kind == PART_RETURN)
                        continue;
                argv[argc++] = flag[p.files[i].kind];
                argv[argc++] = p.files[i].path;
        }
        for (size_t i = 0; i < p.nfiles; i++)
                if (p.files[i].kind == PART_RETURN)
                        argv[argc++] = p.files[i].path;
        argv[argc] = NULL;
        /* The command opens the database named by cli.db: the server's own. */
        const char *db = store_location(c->store);
        if (!cli.db || strcmp(cli.db, db) != 0)
                cli.db = db;
        /* Recorded as imported by the signed-in user, from the files the browser named: last
         * year's tables under "previous/", and a name met twice numbered, since an import
         * records each name once. */
        const char *paths[PENDING_FILES], *recorded[PENDING_FILES];
        for (size_t i = 0; i < p.nfiles; i++) {
                paths[i] = p.files[i].path;
                const char *base = p.files[i].kind == PART_PREVIOUS
                                       ? arena_printf(c->arena, "previous/%s", p.files[i].original)
                                       : p.files[i].original;
                recorded[i] = base;
                for (int k = 2, again = 1; again; k++) {
                        again = 0;
                        for (size_t j = 0; j < i && !again; j++)
                                again = strcmp(recorded[j], recorded[i]) == 0;
                        if (again)
                                recorded[i] = arena_printf(c->arena, "%s (%d)", base, k);
                }
        }
        struct import_origin origin = {c->scope->email, paths, recorded, p.nfiles};
        int code = import_returns_run_from(argc, (char **)argv, &origin);
        fflush(stdout);
        remove_dir(p.dir);

        struct html *h = &c->html;
        if (code != EXIT_OK) {
                struct web_error err = {
                    "return",
                    code == EXIT_INPUT
                        ? "The files could not be read as a return, so nothing was imported."
                        : "The return could not be imported; nothing was stored. The server's "
                          "log says why."};
                form(c, &err, 1);
                c->audit_detail = arena_printf(c->arena, "not imported: exit %d", code);
                return 0;
        }
        web_page_begin(c, "Return imported");
        html_lit(h, "<div class=\"govuk-panel govuk-panel--confirmation\">\n"
                    "<h1 class=\"govuk-panel__title\">Return imported</h1>\n"
                    "<div class=\"govuk-panel__body\">The measures have been recomputed</div>\n"
                    "</div>\n<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/quality\">"
                    "See its findings on the data quality page</a> or <a class=\"govuk-link\" "
                    "href=\"/\">go to the scorecard</a>.</p>\n");
        web_page_end(c);
        struct buf names;
        buf_init(&names);
        for (size_t i = 0; i < p.nfiles; i++) {
                if (names.len)
                        buf_puts(&names, ", ");
                buf_puts(&names, p.files[i].original);
        }
        c->audit_detail = arena_printf(c->arena, "imported: %s", names.len ? names.data : "");
        buf_release(&names);
        return 0;
}
