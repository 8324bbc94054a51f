/*
 * validate_run.c — reading a return and running its rules, shared by
 * `improve validate` and `improve import` (see validate.h).
 *
 * Which return the files are is decided from their content, not their names:
 * a CSV file is an SSDA903 table, an XML file whose root element is
 * <EXPSSDA903> is the SSDA903 XML form and one whose root is <Message> is a
 * CIN census.  Each file is read into memory once; when importing, its
 * SHA-256 is taken from those very bytes, so the recorded hash is of what was
 * stored even if the file changes on disk meanwhile.
 */
#include "cmd/validate.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "returns/refdata.h"
#include "returns/ssda903.h"
#include "rules/cin/cin_rules.h"
#include "store/store.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

/* ---------------------------------------------------------------- options */

void validate_opt_rows(struct validate_opts *o, struct cli_opt *out)
{
        const struct cli_opt rows[VALIDATE_NOPTS] = {
            {"return", 0, CLI_VALUE, &o->ret_text},
            {"la", 0, CLI_VALUE, &o->la},
            {"year", 0, CLI_VALUE, &o->year_text},
            {"rules", 0, CLI_VALUE, &o->rules_text},
            {"previous", 0, CLI_MULTI, &o->previous},
            {"postcodes", 0, CLI_VALUE, &o->postcodes},
            {"ltla-utla", 0, CLI_VALUE, &o->ltla_utla},
            {"providers", 0, CLI_VALUE, &o->providers},
            {"authorities", 0, CLI_VALUE, &o->authorities},
        };
        memcpy(out, rows, sizeof rows);
}

int validate_opts_check(const struct command *cmd, struct validate_opts *o)
{
        o->ret = -1;
        if (o->ret_text) {
                if (strcasecmp(o->ret_text, "903") == 0 || strcasecmp(o->ret_text, "ssda903") == 0)
                        o->ret = RULES_903;
                else if (strcasecmp(o->ret_text, "cin") == 0)
                        o->ret = RULES_CIN;
                else
                        return cli_usage_error(cmd, "option '--return' takes 903 or cin, not '%s'",
                                               o->ret_text);
        }
        if (o->la && cli_la_code(cmd, "la", o->la))
                return EXIT_USAGE;
        long v;
        if (o->year_text) {
                if (cli_int(cmd, "year", o->year_text, 2000, 2100, &v))
                        return EXIT_USAGE;
                o->year = (int)v;
        }
        if (o->rules_text) {
                if (cli_int(cmd, "rules", o->rules_text, 2000, 2100, &v))
                        return EXIT_USAGE;
                o->rules_year = (int)v;
                if (!rules_year_valid(RULES_903, o->rules_year) &&
                    !rules_year_valid(RULES_CIN, o->rules_year))
                        return cli_usage_error(cmd,
                                               "no rule set for %d; SSDA903 has %d to %d, CIN %d "
                                               "to %d",
                                               o->rules_year, RULES_903_FIRST, RULES_903_LAST,
                                               RULES_CIN_FIRST, RULES_CIN_LAST);
        }
        if (o->ltla_utla && !o->postcodes)
                return cli_usage_error(cmd, "option '--ltla-utla' maps the districts of the "
                                            "postcode file; give --postcodes too");
        if (o->ret == RULES_CIN && o->previous.n)
                return cli_usage_error(cmd, "option '--previous' is for SSDA903 returns; a CIN "
                                            "census carries no previous-year tables");
        if (o->paths.n == 0)
                return cli_usage_error(cmd, "name the return's files or directories");
        return 0;
}

void validate_opts_release(struct validate_opts *o)
{
        cli_list_release(&o->previous);
        cli_list_release(&o->paths);
}

/* ---------------------------------------------------------------- run */

void validate_run_init(struct validate_run *r)
{
        memset(r, 0, sizeof *r);
        arena_init(&r->arena, 0);
        cin_load_init(&r->cin);
        rules_result_init(&r->res);
}

void validate_run_release(struct validate_run *r)
{
        rules_result_release(&r->res);
        if (r->s903)
                ssda903_free(r->s903);
        cin_load_release(&r->cin);
        refdata_postcodes_free(r->postcodes);
        refdata_providers_free(r->providers);
        refdata_authorities_free(r->authorities);
        free(r->files);
        arena_release(&r->arena);
        memset(r, 0, sizeof *r);
}

const char *validate_return_name(enum rules_return ret)
{
        return ret == RULES_CIN ? "CIN census" : "SSDA903";
}

const char *validate_year_label(int year, char buf[8])
{
        unsigned y = (unsigned)year % 10000u;
        snprintf(buf, 8, "%04u/%02u", (y + 9999u) % 10000u, y % 100u);
        return buf;
}

static double now_seconds(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- which return */

/*
 * The root element's name of an XML document, from its first bytes: skips the
 * declaration, comments, a DOCTYPE and white space.  0 and the name (namespace
 * prefix removed) with its line, or -1 when the head does not show one.
 */
static int xml_root(const char *s, size_t n, char *name, size_t cap, long *line)
{
        size_t i = 0;
        long ln = 1;
        if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
            (unsigned char)s[2] == 0xBF)
                i = 3;
        while (i < n) {
                char c = s[i];
                if (c == '\n' || c == ' ' || c == '\t' || c == '\r') {
                        ln += c == '\n';
                        i++;
                        continue;
                }
                if (c != '<' || i + 1 >= n)
                        return -1;
                const char *end = NULL;
                size_t endlen = 1;
                if (s[i + 1] == '?') {
                        end = memmem(s + i, n - i, "?>", 2);
                        endlen = 2;
                } else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
                        end = memmem(s + i, n - i, "-->", 3);
                        endlen = 3;
                } else if (s[i + 1] == '!') {
                        end = memchr(s + i, '>', n - i);
                }
                if (s[i + 1] == '?' || s[i + 1] == '!') {
                        if (!end)
                                return -1;
                        for (const char *p = s + i; p < end; p++)
                                ln += *p == '\n';
                        i = (size_t)(end - s) + endlen;
                        continue;
                }
                size_t j = i + 1;
                while (j < n && !isspace((unsigned char)s[j]) && s[j] != '>' && s[j] != '/')
                        j++;
                const char *nm = s + i + 1;
                size_t len = j - i - 1;
                const char *colon = memchr(nm, ':', len);
                if (colon) {
                        len -= (size_t)(colon + 1 - nm);
                        nm = colon + 1;
                }
                if (len == 0 || len >= cap)
                        return -1;
                memcpy(name, nm, len);
                name[len] = '\0';
                *line = ln;
                return 0;
        }
        return -1;
}

/* Look at the start of a file to say what it is. */
static int sniff(struct validate_file *f, struct err *e)
{
        FILE *fp = fopen(f->path, "rb");
        if (!fp)
                return err_at(e, f->path, 0, "cannot open: %s", strerror(errno));
        /* A CSV file says so in its first bytes; only XML (or blank space) needs more. */
        char head[65536];
        size_t n = fread(head, 1, 4096, fp), i = 0;
        for (int more = 1;; more = 0) {
                i = 0;
                if (n >= 3 && (unsigned char)head[0] == 0xEF && (unsigned char)head[1] == 0xBB &&
                    (unsigned char)head[2] == 0xBF)
                        i = 3;
                while (i < n && isspace((unsigned char)head[i]))
                        i++;
                if (!more || n < 4096 || (i < n && head[i] != '<'))
                        break;
                n += fread(head + n, 1, sizeof head - n, fp);
        }
        int bad = ferror(fp);
        fclose(fp);
        if (bad)
                return err_at(e, f->path, 0, "cannot read: %s", strerror(errno));
        f->kind = VFILE_CSV;
        if (i >= n || head[i] != '<')
                return 0;
        char root[64];
        long line;
        f->kind = VFILE_XML_903; /* the SSDA903 reader explains XML it cannot read */
        if (xml_root(head, n, root, sizeof root, &line) != 0)
                return 0;
        if (strcmp(root, "Message") == 0)
                f->kind = VFILE_XML_CIN;
        else if (strcmp(root, "EXPSSDA903") != 0)
                return err_at(e, f->path, line,
                              "the XML root element is <%s>; expected <EXPSSDA903> (an SSDA903 "
                              "return) or <Message> (a CIN census)",
                              root);
        return 0;
}

static int push_file(struct validate_run *r, const char *path, int previous, struct err *e)
{
        r->files = xgrow(r->files, &r->files_cap, r->nfiles + 1, sizeof *r->files);
        struct validate_file *f = &r->files[r->nfiles];
        memset(f, 0, sizeof *f);
        f->path = arena_strdup(&r->arena, path);
        f->previous = previous;
        if (sniff(f, e))
                return -1;
        r->nfiles++;
        return 0;
}

static int wanted(const struct dirent *d)
{
        const char *n = d->d_name;
        const char *dot = strrchr(n, '.');
        return n[0] != '.' && dot && (strcasecmp(dot, ".csv") == 0 || strcasecmp(dot, ".xml") == 0);
}

/* A path: a file, or a directory whose .csv and .xml files are read in name order. */
static int add_path(struct validate_run *r, const char *path, int previous, struct err *e)
{
        struct stat st;
        if (stat(path, &st) != 0)
                return err_at(e, path, 0, "cannot open: %s", strerror(errno));
        if (!S_ISDIR(st.st_mode))
                return push_file(r, path, previous, e);
        struct dirent **list;
        int n = scandir(path, &list, wanted, alphasort);
        if (n < 0)
                return err_at(e, path, 0, "cannot read directory: %s", strerror(errno));
        int rc = 0, files = 0;
        size_t plen = strlen(path);
        for (int i = 0; i < n; i++) {
                if (rc == 0) {
                        char *p =
                            arena_printf(&r->arena, "%s%s%s", path,
                                         plen && path[plen - 1] == '/' ? "" : "/", list[i]->d_name);
                        struct stat fs;
                        if (stat(p, &fs) == 0 && S_ISREG(fs.st_mode)) {
                                rc = push_file(r, p, previous, e);
                                files++;
                        }
                }
                free(list[i]);
        }
        free(list);
        if (rc == 0 && files == 0)
                return err_at(e, path, 0,
                              "no .csv or .xml files; expected SSDA903 tables or a CIN census");
        return rc;
}

int validate_collect(struct validate_run *r, const struct validate_opts *o, struct err *e)
{
        for (size_t i = 0; i < o->paths.n; i++)
                if (add_path(r, o->paths.v[i], 0, e))
                        return -1;
        for (size_t i = 0; i < o->previous.n; i++)
                if (add_path(r, o->previous.v[i], 1, e))
                        return -1;
        const struct validate_file *cin = NULL, *s903 = NULL;
        size_t ncin = 0;
        for (size_t i = 0; i < r->nfiles; i++) {
                const struct validate_file *f = &r->files[i];
                if (f->kind == VFILE_XML_CIN) {
                        if (f->previous)
                                return err_set(e, EXIT_USAGE,
                                               "%s is a CIN census; --previous takes last year's "
                                               "SSDA903 tables",
                                               f->path);
                        if (!cin)
                                cin = f;
                        else if (o->ret != RULES_903)
                                return err_set(e, EXIT_USAGE,
                                               "%s and %s are both CIN censuses; validate one "
                                               "census at a time",
                                               cin->path, f->path);
                        ncin++;
                } else if (!f->previous && !s903) {
                        s903 = f;
                }
        }
        int ret = o->ret;
        if (ret < 0) {
                if (cin && s903)
                        return err_set(e, EXIT_USAGE,
                                       "%s is a CIN census but %s is an SSDA903 table; validate "
                                       "one return at a time",
                                       cin->path, s903->path);
                ret = cin ? RULES_CIN : RULES_903;
        }
        if (ret == RULES_903 && cin)
                return err_at(e, cin->path, 0,
                              "is a CIN census (root <Message>); expected SSDA903 tables (CSV, or "
                              "XML with root <EXPSSDA903>)");
        if (ret == RULES_CIN) {
                if (o->previous.n)
                        return err_set(e, EXIT_USAGE,
                                       "--previous is for SSDA903 returns; a CIN census carries "
                                       "no previous-year tables");
                if (s903)
                        return err_at(e, s903->path, 0,
                                      "is %s; expected a CIN census (XML with root <Message>)",
                                      s903->kind == VFILE_CSV ? "a CSV file (an SSDA903 table?)"
                                                              : "SSDA903 XML (root <EXPSSDA903>)");
                if (r->nfiles != 1)
                        return err_set(e, EXIT_USAGE,
                                       "a CIN census is one XML file; %zu files were given",
                                       r->nfiles);
        }
        r->ret = (enum rules_return)ret;
        return 0;
}

/* ---------------------------------------------------------------- reference data */

struct store_list {
        struct refdata_authority *v;
        size_t n, cap;
        struct arena *arena;
};

static int collect_authority(void *ctx, const struct store_authority *a)
{
        struct store_list *l = ctx;
        l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
        struct refdata_authority *x = &l->v[l->n++];
        x->old_code = arena_strdup(l->arena, a->code);
        x->new_code = a->ecode[0] ? arena_strdup(l->arena, a->ecode) : NULL;
        x->name = a->name ? arena_strdup(l->arena, a->name) : NULL;
        return 0;
}

/* The submitting authority's ONS code and name, from the list of authorities. */
static void resolve_la(struct validate_run *r, const char *from)
{
        if (!r->la_old) {
                r->la_note = "not given (--la): rules that need the submitting authority are "
                             "skipped";
                return;
        }
        const struct refdata_authority *a =
            r->authorities ? refdata_authority_find(r->authorities, r->la_old) : NULL;
        if (a && a->new_code && *a->new_code) {
                r->la_code = a->new_code;
                r->la_name = a->name && *a->name ? a->name : NULL;
                r->la_note = arena_printf(&r->arena, "%s (%s%s%s) from %s; codes from %s",
                                          r->la_old, a->new_code, r->la_name ? ", " : "",
                                          r->la_name ? r->la_name : "", from, r->authorities_from);
        } else {
                r->la_code = NULL;
                r->la_note = arena_printf(
                    &r->arena,
                    "%s from %s; its ONS code is not known (give --authorities, or import the "
                    "authority list), so rules that need it are skipped",
                    r->la_old, from);
        }
}

int validate_refdata(struct validate_run *r, const struct validate_opts *o, struct store *store,
                     struct err *e)
{
        if (o->postcodes && !(r->postcodes = refdata_postcodes_load(o->postcodes, o->ltla_utla, e)))
                return -1;
        if (o->providers && !(r->providers = refdata_providers_load(o->providers, e)))
                return -1;
        if (o->authorities) {
                if (!(r->authorities = refdata_authorities_load(o->authorities, e)))
                        return -1;
                r->authorities_from = arena_printf(&r->arena, "--authorities %s", o->authorities);
        } else if (store) {
                struct store_list l = {.arena = &r->arena};
                if (store_authority_each(store, collect_authority, &l, e)) {
                        free(l.v);
                        return -1;
                }
                if (l.n) {
                        r->authorities = refdata_authorities_from(l.v, l.n);
                        r->authorities_from = "the store's authority list";
                }
                free(l.v);
        }
        r->la_old = o->la;
        resolve_la(r, "--la");
        return 0;
}

/* ---------------------------------------------------------------- loading */

static int read_file(struct validate_file *f, int hash, struct buf *b, struct err *e)
{
        buf_reset(b);
        if (buf_read_file(b, f->path, e))
                return -1;
        f->bytes = (long long)b->len;
        if (hash) {
                unsigned char h[crypto_hash_sha256_BYTES];
                crypto_hash_sha256(h, (const unsigned char *)b->data, b->len);
                sodium_bin2hex(f->sha256, sizeof f->sha256, h, sizeof h);
        }
        return 0;
}

static int finish_903(struct validate_run *r, const struct validate_opts *o, struct err *e);

/* One input of ssda903_add_csv_tables(). */
struct csv_source {
        struct validate_file *f;
        int hash;
};

static int read_source(void *ctx, struct buf *b, struct err *e)
{
        struct csv_source *s = ctx;
        return read_file(s->f, s->hash, b, e);
}

/*
 * Whether to read the tables two at a time (ssda903_add_csv_tables): several
 * CSV files, none holding most of the bytes, and enough of them to be worth a
 * thread.  One dominant table is better split between two threads, which
 * ssda903_add_mem does for a large one.
 */
static int tables_at_once(const struct validate_run *r, size_t *sizes)
{
        if (r->nfiles < 2)
                return 0;
        size_t total = 0, largest = 0;
        for (size_t i = 0; i < r->nfiles; i++) {
                struct stat st;
                if (r->files[i].kind != VFILE_CSV || stat(r->files[i].path, &st) != 0)
                        return 0;
                sizes[i] = (size_t)st.st_size;
                total += sizes[i];
                if (sizes[i] > largest)
                        largest = sizes[i];
        }
        return total >= 64 * 1024 && largest <= total / 2 + total / 8;
}

static int load_903(struct validate_run *r, const struct validate_opts *o, int hash, struct err *e)
{
        r->s903 = ssda903_new();
        size_t *sizes = xcalloc(r->nfiles ? r->nfiles : 1, sizeof *sizes);
        if (tables_at_once(r, sizes)) {
                struct ssda903_csv_input *in = xcalloc(r->nfiles, sizeof *in);
                struct csv_source *src = xcalloc(r->nfiles, sizeof *src);
                for (size_t i = 0; i < r->nfiles; i++) {
                        src[i] = (struct csv_source){&r->files[i], hash};
                        in[i] = (struct ssda903_csv_input){r->files[i].path, r->files[i].previous,
                                                           sizes[i], read_source, &src[i]};
                }
                int rc = ssda903_add_csv_tables(r->s903, in, r->nfiles, e);
                free(src);
                free(in);
                free(sizes);
                if (rc)
                        return -1;
                return finish_903(r, o, e);
        }
        free(sizes);
        struct buf b;
        buf_init(&b);
        for (size_t i = 0; i < r->nfiles; i++) {
                struct validate_file *f = &r->files[i];
                if (read_file(f, hash, &b, e) ||
                    ssda903_add_mem(r->s903, f->path, b.data, b.len, f->previous, e)) {
                        buf_release(&b);
                        return -1;
                }
        }
        buf_release(&b);
        return finish_903(r, o, e);
}

static int finish_903(struct validate_run *r, const struct validate_opts *o, struct err *e)
{
        struct ssda903_options opt = {
            .collection_year = o->year,
            .postcodes = r->postcodes,
            .la_code = r->la_code,
        };
        if (ssda903_finish(r->s903, &opt, e))
                return -1;
        const struct ssda903_load *ld = r->s903;
        r->collection_year = ld->collection_year;
        r->year_note = ld->year_note;
        for (int t = 0; t < SSDA903_NCURRENT; t++)
                r->nrows += ld->t[t].n;
        /* Children of this year's tables; the load also numbers last year's. */
        for (uint32_t k = 0; k < ld->nchildren; k++)
                for (int t = 0; t < SSDA903_NCURRENT; t++) {
                        const struct ssda903_table *tab = &ld->t[t];
                        if (tab->first && tab->first[k + 1] > tab->first[k]) {
                                r->nchildren++;
                                break;
                        }
                }
        return 0;
}

static int load_cin(struct validate_run *r, const struct validate_opts *o, int hash, struct err *e)
{
        struct validate_file *f = &r->files[0];
        struct buf b;
        buf_init(&b);
        int rc = read_file(f, hash, &b, e);
        if (rc == 0)
                rc = cin_read_buffer(&r->cin, b.data, b.len, f->path, o->la, e);
        buf_release(&b);
        if (rc)
                return -1;
        r->cin_loaded = 1;
        if (!o->la && r->cin.la) {
                r->la_old = r->cin.la;
                resolve_la(r, "the census header (LEA)");
        } else if (!o->la) {
                resolve_la(r, "");
        }
        int data_year = cin_load_year(&r->cin);
        char lab[8], lab2[8];
        if (o->year) {
                r->collection_year = o->year;
                if (data_year && data_year != o->year)
                        r->year_note = arena_printf(
                            &r->arena, "collection year %s (given; the census header says %s)",
                            validate_year_label(o->year, lab),
                            validate_year_label(data_year, lab2));
                else
                        r->year_note = arena_printf(&r->arena, "collection year %s (given)",
                                                    validate_year_label(o->year, lab));
        } else if (data_year) {
                r->collection_year = data_year;
                const struct cin_row *h = cin_header(&r->cin);
                int from_ref = h && cin_real(h->d[CIN_HDR_ReferenceDate]);
                r->year_note = arena_printf(
                    &r->arena,
                    "collection year %s (1 April %d to 31 March %d) from the census header's %s %s",
                    validate_year_label(data_year, lab), data_year - 1, data_year,
                    from_ref ? "ReferenceDate" : "Year",
                    from_ref ? h->v[CIN_HDR_ReferenceDate] : h->v[CIN_HDR_Year]);
        } else {
                return err_set(e, EXIT_USAGE,
                               "%s: the census header gives no collection year (ReferenceDate "
                               "or Year); give the year (--year)",
                               f->path);
        }
        r->nchildren = r->cin.nchildren;
        for (int t = 0; t < CIN_NTABLES; t++)
                r->nrows += r->cin.table[t].n;
        return 0;
}

int validate_load(struct validate_run *r, const struct validate_opts *o, int hash, struct err *e)
{
        double t0 = now_seconds();
        int rc = r->ret == RULES_CIN ? load_cin(r, o, hash, e) : load_903(r, o, hash, e);
        r->seconds_read = now_seconds() - t0;
        if (rc)
                return -1;
        char lab[8];
        if (o->rules_year) {
                if (!rules_year_valid(r->ret, o->rules_year))
                        return err_set(e, EXIT_USAGE,
                                       "no %s rule set for %d; expected a year from %d to %d",
                                       validate_return_name(r->ret), o->rules_year,
                                       r->ret == RULES_CIN ? RULES_CIN_FIRST : RULES_903_FIRST,
                                       r->ret == RULES_CIN ? RULES_CIN_LAST : RULES_903_LAST);
                r->rules_year = o->rules_year;
                r->rules_note = arena_printf(&r->arena, "rule set %s (asked for with --rules)",
                                             validate_year_label(r->rules_year, lab));
        } else {
                const char *notice;
                r->rules_year = rules_pick_year(r->ret, r->collection_year, &notice);
                if (notice)
                        r->rules_note =
                            arena_printf(&r->arena, "rule set %s: %s",
                                         validate_year_label(r->rules_year, lab), notice);
                else
                        r->rules_note = arena_printf(&r->arena, "rule set %s, the data's own year",
                                                     validate_year_label(r->rules_year, lab));
        }
        return 0;
}

/* ---------------------------------------------------------------- rules */

/*
 * The CIN reader's notes on odd content become FORMAT findings, ahead of the
 * rules' own (as the SSDA903 runner does with its load's notes).
 */
static void add_cin_issues(struct validate_run *r)
{
        const struct cin_load *l = &r->cin;
        size_t extra = l->nissues + (l->issues_dropped ? 1 : 0);
        if (!extra)
                return;
        struct rules_result *res = &r->res;
        size_t n = res->n + extra;
        struct finding *f = xcalloc(n, sizeof *f);
        for (size_t i = 0; i < l->nissues; i++) {
                const struct cin_issue *is = &l->issues[i];
                struct finding *x = &f[i];
                x->rule = "FORMAT";
                x->severity = RULE_ERROR;
                x->table = is->table;
                x->row = is->row;
                x->child = is->child;
                x->fields = is->element && strcmp(is->element, "#text") != 0 ? is->element : "";
                x->message = is->line > 0
                                 ? arena_printf(&res->arena, "line %ld: %s", is->line, is->text)
                                 : is->text;
                x->file = is->file ? is->file : l->file;
        }
        if (l->issues_dropped) {
                struct finding *x = &f[l->nissues];
                x->rule = "FORMAT";
                x->severity = RULE_ERROR;
                x->table = "XML";
                x->fields = "";
                x->message = arena_printf(&res->arena,
                                          "%zu further problems of the same kind were not listed",
                                          l->issues_dropped);
                x->file = l->file;
        }
        if (res->n)
                memcpy(f + extra, res->f, res->n * sizeof *f);
        free(res->f);
        res->f = f;
        res->n = res->cap = n;
        res->nerrors += extra;
}

int validate_check(struct validate_run *r, struct err *e)
{
        double t0 = now_seconds();
        if (r->ret == RULES_CIN)
                cin_rules_ctx_init(&r->ctx, &r->cin, r->collection_year, r->rules_year);
        else
                rules_ctx_init_903(&r->ctx, r->s903, r->rules_year);
        r->ctx.la_code = r->la_code;
        r->ctx.la_old = r->la_old;
        r->ctx.postcodes = r->postcodes;
        r->ctx.providers = r->providers;
        r->ctx.authorities = r->authorities;
        if (rules_run(&r->ctx, &r->res, e))
                return -1;
        if (r->ret == RULES_CIN)
                add_cin_issues(r);
        r->checked = 1;
        r->seconds_rules = now_seconds() - t0;
        return 0;
}
