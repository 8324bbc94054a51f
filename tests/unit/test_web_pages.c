/*
 * test_web_pages.c — the pages with figures, through the whole application
 * in-process: the scorecard, a measure page, data quality with its
 * child-level drill-downs, and the JSON API, on a store filled by hand with
 * values whose shown text is worked out here (rounding half up to one
 * decimal place, measures.md §0.8; suppression, statistics.md §8.1).
 *
 * Two authorities: 901 has the values and a stored return with findings;
 * 902 has one value of its own.  Checks: the right figures and words, "c"
 * for outward roles (never the hidden value, on the page or in its
 * sparkline or CSV), data-quality flags, audit records naming the children
 * shown, scoping to the user's authority, markup escaped, SQL
 * metacharacters harmless.
 */
#include "test.h"

#include "cmd/measures_output.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "returns/ssda903.h"
#include "rules/rules.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_data.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <strings.h>
#include <unistd.h>

static int64_t now_value = 1800000000;
static int64_t fixed_now(void)
{
        return now_value;
}

struct fixture {
        char *dir;
        char path[512];
        struct store *s;
        struct web_app app;
        struct store_user users[2][WEB_ROLE_COUNT];
        int64_t import_901;
};

static const char *const las[2] = {"901", "902"};

struct result {
        int status;
        char *body; /* malloc'd */
        size_t len;
        char type[128];
        char disposition[256];
};

static void result_free(struct result *r)
{
        free(r->body);
        memset(r, 0, sizeof *r);
}

static void put_value_from(struct store_measure_writer *w, const char *source, const char *la,
                           const char *measure, const char *period, const char *end, int year,
                           int64_t num, int64_t den, double value);
static void put_value(struct store_measure_writer *w, const char *la, const char *measure,
                      const char *period, const char *end, int year, int64_t num, int64_t den,
                      double value)
{
        put_value_from(w, "cin", la, measure, period, end, year, num, den, value);
}

static void put_value_from(struct store_measure_writer *w, const char *source, const char *la,
                           const char *measure, const char *period, const char *end, int year,
                           int64_t num, int64_t den, double value)
{
        struct err e = {0};
        struct store_measure_value v = {
            .la = la,
            .measure = measure,
            .period = period,
            .period_end = end,
            .year = year,
            .source = source,
            .has_numerator = 1,
            .has_denominator = 1,
            .has_value = 1,
            .numerator = num,
            .denominator = den,
            .value = value,
            .note = "",
            .small_base = den < 10,
        };
        assert_int_equal(store_measure_put(w, &v, &e), 0);
}

static void put_bench(struct store_bench_writer *w, const char *la, const char *measure, int year,
                      double sn, double region, double england, int versus)
{
        struct err e = {0};
        struct store_measure_bench b = {
            .la = la,
            .year = year,
            .measure = measure,
            .has_sn_median = 1,
            .has_region = 1,
            .has_england = 1,
            .sn_median = sn,
            .region = region,
            .england = england,
            .sn_used = 10,
            .region_code = "E12000001",
            .region_source = "computed",
            .england_source = "published",
            .quartile = 3,
            .rank = 2,
            .ranked = 2,
            .versus = versus,
            .note = "",
        };
        assert_int_equal(store_bench_put(w, &b, &e), 0);
}

static const char header_csv[] = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
                                 "C1,1,02/01/2010,WBRI,UN1,,\n"
                                 "C2,2,03/02/2012,WBRI,UN2,,\n";
static const char episodes_csv[] =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,"
    "URN\n"
    "C1,01/04/2025,S,C2,N1,U1,PR1,30/06/2025,E11,,,,\n"
    "C2,01/05/2025,S,C2,N1,U1,PR1,,,,,,\n";

/* Findings of 901's return: one with markup in its message, a child id that looks like SQL. */
static const struct finding findings[] = {
    {"103", RULE_ERROR, "Header", 1, "C1", "ETHNIC", "<script>alert(1)</script> bad code",
     "header.csv"},
    {"103", RULE_ERROR, "Header", 2, "C2", "ETHNIC", "Ethnic code not valid", "header.csv"},
    {"2887Q", RULE_QUERY, "Episodes", 2, "C2' OR '1'='1", "DECOM", "Odd date", "episodes.csv"},
};

static void put_return(struct fixture *f, const char *la, const struct finding *fs, size_t nf)
{
        struct err e = {0};
        struct ssda903_load *ld = ssda903_new();
        assert_int_equal(ssda903_add_mem(ld, "header.csv", header_csv, strlen(header_csv), 0, &e),
                         0);
        assert_int_equal(
            ssda903_add_mem(ld, "episodes.csv", episodes_csv, strlen(episodes_csv), 0, &e), 0);
        struct ssda903_options opt = {.collection_year = 2026};
        assert_int_equal(ssda903_finish(ld, &opt, &e), 0);
        int64_t id;
        struct store_import imp = {.kind = "ssda903", .la = la, .year = 2026, .user = "test"};
        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_import_begin(f->s, &imp, &id, &e), 0);
        f->import_901 = id;
        struct store_return r = {STORE_RETURN_SSDA903, la, 2026, 2026, id, 2};
        assert_int_equal(store_return_put_903(f->s, &r, ld, fs, nf, &e), 0);
        assert_int_equal(store_import_finish(f->s, id, "ok", "{\"children\":2,\"errors\":2}", &e),
                         0);
        assert_int_equal(store_commit(f->s, &e), 0);
        ssda903_free(ld);
}

/*
 * The test's store goes in memory-backed /dev/shm when there is one: the
 * store syncs every transaction to disk (synchronous = FULL), and these tests
 * make hundreds of sessions; nothing here is about durability.
 */
static char *fast_tmpdir(void)
{
        char tmpl[] = "/dev/shm/improve-test-XXXXXX";
        char *d = access("/dev/shm", W_OK) == 0 ? mkdtemp(tmpl) : NULL;
        if (!d)
                return test_tmpdir();
        char *copy = malloc(strlen(d) + 1);
        assert_non_null(copy);
        strcpy(copy, d);
        return copy;
}

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof *f);
        f->dir = fast_tmpdir();
        snprintf(f->path, sizeof f->path, "%s/web.db", f->dir);
        struct err e = {0};
        assert_int_equal(auth_init(&e), 0);
        f->s = store_open(f->path, STORE_CREATE, &e);
        assert_non_null(f->s);
        web_app_init(&f->app);
        auth_config_for_tests(&f->app.auth);
        f->app.now = fixed_now;
        const char *names[2] = {"Aldrwick", "Bremmere"};
        for (int a = 0; a < 2; a++) {
                struct store_authority au = {.name = names[a]};
                snprintf(au.code, sizeof au.code, "%s", las[a]);
                assert_int_equal(store_authority_put(f->s, &au, &e), 0);
                for (int r = 0; r < WEB_ROLE_COUNT; r++) {
                        struct store_user *u = &f->users[a][r];
                        snprintf(u->email, sizeof u->email, "%s@%s.test",
                                 web_role_name((enum web_role)r), las[a]);
                        snprintf(u->la, sizeof u->la, "%s", las[a]);
                        snprintf(u->role, sizeof u->role, "%s", web_role_name((enum web_role)r));
                        snprintf(u->pwhash, sizeof u->pwhash, "x");
                        assert_int_equal(store_user_add(f->s, u, &u->id, &e), 0);
                }
        }
        /*
         * 901, re-referrals (lower is better): 2025 30/200 = 15%, 2026 45/180 = 25%, against a
         * neighbours' median of 20.04 (worse); assessments in 45 days (higher is better): 2026
         * 4/8 = 50% on a base under 10 (suppressed for outward roles), neighbours 40 (better).
         * 902: re-referrals 2026 = 33.35% (shown 33.4%, never to 901's users by name).
         */
        struct store_measure_writer *w;
        assert_int_equal(store_begin(f->s, &e), 0);
        assert_int_equal(store_measure_writer_open(f->s, &w, &e), 0);
        put_value(w, "901", "rereferrals_12m_pct", "year", "2025-03-31", 2025, 30, 200, 15.0);
        put_value(w, "901", "assessments_45wd_pct", "year", "2026-03-31", 2026, 4, 8, 50.0);
        put_value(w, "901", "rereferrals_12m_pct", "year", "2026-03-31", 2026, 45, 180, 25.0);
        /* From the SSDA903 return stored below, which has 2 errors: flagged. */
        put_value_from(w, "903", "901", "cla_uasc_pct", "year", "2026-03-31", 2026, 10, 200, 5.0);
        /*
         * 901's monthly re-referrals, February 2025 to March 2026: 20 and 22 in turn, then 60.
         * Mean 23.9, moving ranges of 2 (the jump of 38 is screened out), upper limit
         * 23.9 + 2.66 x 2 = 29.2: March 2026 is above it, and higher is worse, so the SPC
         * variation of the 2026 value is special cause, concern, high.
         */
        static const char *const month_ends[14] = {
            "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30",
            "2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30",
            "2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31"};
        for (int k = 0; k < 14; k++) {
                int64_t num = k == 13 ? 60 : k % 2 ? 22 : 20;
                put_value(w, "901", "rereferrals_12m_pct", "month", month_ends[k],
                          k < 2 ? 2025 : 2026, num, 100, (double)num);
        }
        put_value(w, "902", "rereferrals_12m_pct", "year", "2026-03-31", 2026, 667, 2000, 33.35);
        store_measure_writer_close(w);
        struct store_bench_writer *bw;
        assert_int_equal(store_bench_writer_open(f->s, &bw, &e), 0);
        put_bench(bw, "901", "rereferrals_12m_pct", 2026, 20.04, 21.25, 19.95, -1);
        put_bench(bw, "901", "assessments_45wd_pct", 2026, 40.0, 41.0, 42.0, +1);
        store_bench_writer_close(bw);
        assert_int_equal(store_commit(f->s, &e), 0);
        put_return(f, "901", findings, sizeof findings / sizeof findings[0]);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        store_close(f->s);
        test_rmdir(f->dir);
        free(f);
        return 0;
}

/* One GET as user (a, r), in-process. */
static void get(struct fixture *f, int a, int r, const char *target, struct result *out)
{
        struct err e = {0};
        struct auth_session s;
        assert_int_equal(auth_session_create(f->s, &f->users[a][r], now_value, &s, &e), 0);
        char cookie[128];
        snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", s.token);
        struct arena ar;
        arena_init(&ar, 0);
        struct http_request req = {.arena = &ar, .method = "GET", .remote_addr = "127.0.0.1"};
        const char *q = strchr(target, '?');
        req.path = q ? arena_strndup(&ar, target, (size_t)(q - target)) : target;
        if (q)
                assert_int_equal(http_parse_urlencoded(&ar, q + 1, strlen(q + 1), &req.query, &e),
                                 0);
        http_parse_cookies(&ar, cookie, &req.cookies);
        struct http_response resp;
        http_response_init(&resp);
        web_handle(&f->app, f->s, &req, &resp);
        out->status = resp.status;
        const void *data = resp.static_body ? resp.static_body : resp.body.data;
        out->len = resp.static_body ? resp.static_len : resp.body.len;
        out->body = malloc(out->len + 1);
        if (out->len)
                memcpy(out->body, data, out->len);
        out->body[out->len] = '\0';
        snprintf(out->type, sizeof out->type, "%s", resp.content_type ? resp.content_type : "");
        const char *d = http_response_header_get(&resp, "Content-Disposition");
        snprintf(out->disposition, sizeof out->disposition, "%s", d ? d : "");
        http_response_release(&resp);
        arena_release(&ar);
        assert_int_equal(auth_session_destroy(f->s, s.token, &e), 0);
}

static int has(const struct result *r, const char *needle)
{
        return strstr(r->body, needle) != NULL;
}

static long long audit_rows(struct fixture *f, const char *action, const char *children_like)
{
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT count(*) FROM audit_log WHERE action = ? AND "
                                            "coalesce(children, '') LIKE ?",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, children_like, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        long long n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return n;
}

static void test_scorecard_internal(void **state)
{
        struct fixture *f = *state;
        struct result r = {0};
        get(f, 0, WEB_ROLE_ANALYST, "/", &r);
        assert_int_equal(r.status, 200);
        /* The latest re-referral value, 45/180 = 25%, and its benchmarks rounded half up. */
        assert_true(has(&r, "Re-referrals within 12 months of a previous referral (%)"));
        assert_true(has(&r, ">25.0%<"));
        assert_true(has(&r, ">20.0%<")); /* 20.04 */
        assert_true(has(&r, ">21.3%<")); /* 21.25 rounds half up */
        assert_true(has(&r, ">20.0%<")); /* 19.95 rounds half up to 20.0 */
        /* Lower is better and 25 > 20.04: worse, in words; assessments 50 > 40: better. */
        assert_true(has(&r, "Worse than neighbours"));
        assert_true(has(&r, "Better than neighbours"));
        /* Internal roles see the small-base value. */
        assert_true(has(&r, ">50.0%<"));
        /* The SSDA903 return behind cla_uasc_pct has 2 errors (and a query, not counted); the
         * CIN census behind the others is not held, so only one flag. */
        assert_true(has(&r, ">5.0%<"));
        const char *flag = strstr(r.body, "Return has 2 errors");
        assert_non_null(flag);
        assert_null(strstr(flag + 1, "Return has"));
        /* SPC in words, as `improve measures` computes it. */
        assert_true(has(&r, "Special cause: concern, higher"));
        /* Grouped under Outcome 1, with a caption and column headers. */
        assert_true(has(&r, "<h2 class=\"govuk-heading-m\">Outcome 1"));
        assert_true(has(&r, "<caption"));
        assert_true(has(&r, "scope=\"col\""));
        /* A link to each measure's page. */
        assert_true(has(&r, "href=\"/measures/rereferrals_12m_pct\""));
        /* 902's value is not on 901's scorecard. */
        assert_false(has(&r, "33.4%"));
        result_free(&r);
}

/* The 2026 re-referral row of 901 as web_measures_load gives it through store `s`. */
static void load_rereferrals(struct store *s, double *value, char *variation, size_t n)
{
        struct err e = {0};
        struct web_measures set;
        assert_int_equal(web_measures_load(s, "901", NULL, 0, 0, WEB_SPC_LATEST, &set, &e), 0);
        const struct measures_row *r = web_measures_year(&set, "rereferrals_12m_pct", 2026);
        assert_non_null(r);
        *value = r->value;
        snprintf(variation, n, "%s", r->variation ? r->variation : "");
        web_measures_release(&set);
}

static int find_902(void *ctx, const struct store_measure_value *v)
{
        if (strcmp(v->la, "902") == 0)
                *(double *)ctx = v->value;
        return 0;
}

static double value_902(struct store *s)
{
        struct err e = {0};
        double v = -1;
        assert_int_equal(web_year_values_each(s, "rereferrals_12m_pct", 2026, find_902, &v, &e), 0);
        return v;
}

/* Put values through `s` in one transaction: 901's 2026 value and March 2026 month, 902's 2026. */
static void change_values(struct store *s, int64_t num901, int64_t march, double v902)
{
        struct err e = {0};
        struct store_measure_writer *w;
        assert_int_equal(store_begin(s, &e), 0);
        assert_int_equal(store_measure_writer_open(s, &w, &e), 0);
        put_value(w, "901", "rereferrals_12m_pct", "year", "2026-03-31", 2026, num901, 200,
                  (double)num901 / 2);
        put_value(w, "901", "rereferrals_12m_pct", "month", "2026-03-31", 2026, march, 100,
                  (double)march);
        put_value(w, "902", "rereferrals_12m_pct", "year", "2026-03-31", 2026, 800, 2000, v902);
        store_measure_writer_close(w);
        assert_int_equal(store_commit(s, &e), 0);
}

/* The per-connection cache answers repeated reads, and never after a change by another
 * connection or by its own: each answer equals a fresh connection's. */
static void test_cache_never_stale(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        double v, fresh_v;
        char var[64], fresh_var[64];
        load_rereferrals(f->s, &v, var, sizeof var);
        assert_true(v == 25.0);
        assert_string_equal(var, "concern_high");
        unsigned long long hits = web_data_cache_hits();
        load_rereferrals(f->s, &v, var, sizeof var);
        assert_int_equal(web_data_cache_hits(), hits + 1);
        assert_true(v == 25.0);
        assert_true(value_902(f->s) == 33.35);
        assert_true(value_902(f->s) == 33.35);
        assert_int_equal(web_data_cache_hits(), hits + 2);

        /* Another connection (a worker, or `improve import` in another process) commits: the
         * value 55/200 = 27.5, and March back to 21 (no longer above the upper limit). */
        struct store *other = store_open(f->path, 0, &e);
        assert_non_null(other);
        change_values(other, 55, 21, 40.0);
        hits = web_data_cache_hits();
        load_rereferrals(f->s, &v, var, sizeof var);
        assert_true(v == 27.5);
        assert_string_not_equal(var, "concern_high");
        assert_true(value_902(f->s) == 40.0);
        assert_int_equal(web_data_cache_hits(), hits);
        load_rereferrals(other, &fresh_v, fresh_var, sizeof fresh_var);
        assert_true(fresh_v == v);
        assert_string_equal(fresh_var, var);

        /* This connection writes: 60/200 = 30 and March at 60 again. */
        change_values(f->s, 60, 60, 41.0);
        load_rereferrals(f->s, &v, var, sizeof var);
        assert_true(v == 30.0);
        assert_string_equal(var, "concern_high");
        assert_true(value_902(f->s) == 41.0);
        assert_int_equal(web_data_cache_hits(), hits);
        store_close(other);
}

/*
 * Pages served from the cache stay served from it while other connections only do bookkeeping
 * (a session touched, a failed sign-in, a view audited), and show another connection's target
 * and import at once.  The monthly re-referrals (limits 18.6 to 29.2, lower is better) pass a
 * target of 50 every month and fail one of 10 every month (statistics.md §1.6 assurance).
 */
static void test_cache_follows_other_connections(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct result r = {0};
        get(f, 0, WEB_ROLE_ANALYST, "/", &r);
        assert_true(has(&r, ">25.0%<"));
        assert_false(has(&r, "Consistently passes the target"));
        result_free(&r);

        struct store *other = store_open(f->path, 0, &e);
        assert_non_null(other);
        unsigned char key[STORE_SESSION_KEY];
        memset(key, 3, sizeof key);
        struct store_session sv = {.user_id = f->users[0][WEB_ROLE_ANALYST].id,
                                   .created = now_value,
                                   .last_seen = now_value};
        assert_int_equal(store_session_put(other, key, &sv, &e), 0);
        assert_int_equal(store_session_touch(other, key, now_value + 61, &e), 0);
        assert_int_equal(store_login_failure_add(other, "x@901.test", "10.0.0.9", now_value, &e),
                         0);
        struct store_audit view = {.user = "x", .action = "view-children", .la = "901"};
        assert_int_equal(store_audit_append(other, &view, &e), 0);
        unsigned long long hits = web_data_cache_hits();
        get(f, 0, WEB_ROLE_ANALYST, "/", &r);
        assert_true(web_data_cache_hits() > hits);
        assert_true(has(&r, ">25.0%<"));
        result_free(&r);

        /* Another connection sets a target as `improve target set` does (with its audit row). */
        struct store_target tg = {
            .la = "901", .measure = "rereferrals_12m_pct", .value = 50, .user = "cli"};
        struct store_audit au = {.user = "cli", .action = "target-set", .la = "901"};
        assert_int_equal(store_begin(other, &e), 0);
        assert_int_equal(store_target_put(other, &tg, NULL, &e), 0);
        assert_int_equal(store_audit_append(other, &au, &e), 0);
        assert_int_equal(store_commit(other, &e), 0);
        get(f, 0, WEB_ROLE_ANALYST, "/", &r);
        assert_true(has(&r, "Consistently passes the target"));
        result_free(&r);
        tg.value = 10;
        assert_int_equal(store_target_put(other, &tg, NULL, &e), 0);
        get(f, 0, WEB_ROLE_ANALYST, "/", &r);
        assert_true(has(&r, "Consistently fails the target"));
        assert_false(has(&r, "Consistently passes the target"));
        result_free(&r);

        /* Another connection imports: its record and new values in one transaction. */
        get(f, 0, WEB_ROLE_LEADER, "/measures/rereferrals_12m_pct", &r);
        assert_true(has(&r, ">33.4%<"));
        result_free(&r);
        int64_t id;
        struct store_import imp = {.kind = "cin", .la = "902", .year = 2026, .user = "cli"};
        assert_int_equal(store_begin(other, &e), 0);
        assert_int_equal(store_import_begin(other, &imp, &id, &e), 0);
        struct store_measure_writer *w;
        assert_int_equal(store_measure_writer_open(other, &w, &e), 0);
        put_value(w, "901", "rereferrals_12m_pct", "year", "2026-03-31", 2026, 57, 200, 28.5);
        put_value(w, "902", "rereferrals_12m_pct", "year", "2026-03-31", 2026, 700, 2000, 35.0);
        store_measure_writer_close(w);
        assert_int_equal(store_import_finish(other, id, "ok", "{}", &e), 0);
        assert_int_equal(store_commit(other, &e), 0);
        get(f, 0, WEB_ROLE_ANALYST, "/", &r);
        assert_true(has(&r, ">28.5%<"));
        assert_false(has(&r, ">25.0%<"));
        result_free(&r);
        get(f, 0, WEB_ROLE_LEADER, "/measures/rereferrals_12m_pct", &r);
        assert_true(has(&r, ">35.0%<"));
        assert_false(has(&r, ">33.4%<"));
        result_free(&r);
        store_close(other);
}

static void test_scorecard_outward(void **state)
{
        struct fixture *f = *state;
        for (int role = WEB_ROLE_MEMBER; role <= WEB_ROLE_INSPECTOR; role++) {
                struct result r = {0};
                get(f, 0, role, "/", &r);
                assert_int_equal(r.status, 200);
                /* 4 of 8: numerator under 6 and denominator under 10 → "c", never 50%. */
                assert_false(has(&r, "50.0%"));
                assert_true(has(&r, ">c<"));
                /* Values on large bases are shown. */
                assert_true(has(&r, ">25.0%<"));
                /* A suppressed value has no comparison either. */
                assert_false(has(&r, "Better than neighbours"));
                result_free(&r);
                /* The API says "c" in the same cells as `improve measures --audience outward`. */
                get(f, 0, role, "/api/v1/measures.csv", &r);
                assert_int_equal(r.status, 200);
                assert_true(strncmp(r.body, MEASURES_CSV_HEADER "\n",
                                    strlen(MEASURES_CSV_HEADER) + 1) == 0);
                assert_true(has(&r, "assessments_45wd_pct,901,2026-03-31,c,c,c,"));
                assert_true(has(&r, "rereferrals_12m_pct,901,2026-03-31,45,180,25,"));
                result_free(&r);
        }
        struct result r = {0};
        get(f, 0, WEB_ROLE_ANALYST, "/api/v1/measures.csv", &r);
        assert_true(has(&r, "assessments_45wd_pct,901,2026-03-31,4,8,50,"));
        result_free(&r);
}

static void test_measure_page(void **state)
{
        struct fixture *f = *state;
        struct result r = {0};
        get(f, 0, WEB_ROLE_LEADER, "/measures/rereferrals_12m_pct", &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "<h1"));
        assert_true(has(&r, "Definition"));
        assert_true(has(&r, "lower"));
        /* The yearly chart has a title, description and its table in a details element. */
        assert_true(has(&r, "<title id=\"yearly-title\">"));
        assert_true(has(&r, "<desc id=\"yearly-desc\">"));
        assert_true(has(&r, "<details class=\"govuk-details\">"));
        assert_true(has(&r, "/measures/rereferrals_12m_pct/data.csv?period=year"));
        /* 2025/26: 45, 180, 25.0%, rank 2 of 2. */
        assert_true(has(&r, ">2025/26<"));
        assert_true(has(&r, ">45<"));
        assert_true(has(&r, ">180<"));
        assert_true(has(&r, "2 of 2"));
        /* The monthly SPC chart: an image with words, its table, and the picture itself. */
        assert_true(has(&r, "src=\"/measures/rereferrals_12m_pct/spc.svg\""));
        assert_true(has(&r, "XmR chart of 14 monthly values"));
        assert_true(has(&r, ">2026-03-31<"));
        /* Where it sits: both authorities' values, 902's without its name. */
        assert_true(has(&r, ">33.4%<"));
        assert_false(has(&r, "Bremmere"));
        result_free(&r);

        get(f, 0, WEB_ROLE_LEADER, "/measures/rereferrals_12m_pct/spc.svg", &r);
        assert_int_equal(r.status, 200);
        assert_string_equal(r.type, "image/svg+xml");
        assert_true(has(&r, "<svg"));
        assert_true(has(&r, "<desc"));
        result_free(&r);
        get(f, 0, WEB_ROLE_LEADER, "/measures/no_such_measure", &r);
        assert_int_equal(r.status, 404);
        result_free(&r);
        /* A path with SQL in it is a malformed name (404), not a query. */
        get(f, 0, WEB_ROLE_LEADER, "/measures/x'%20OR%201=1--", &r);
        assert_int_equal(r.status, 404);
        result_free(&r);

        get(f, 0, WEB_ROLE_ANALYST, "/measures/rereferrals_12m_pct/data.csv?period=year", &r);
        assert_int_equal(r.status, 200);
        assert_true(strncmp(r.type, "text/csv", 8) == 0);
        assert_true(has(&r, "rereferrals_12m_pct,901,2025-03-31,30,200,15,"));
        assert_true(has(&r, "rereferrals_12m_pct,901,2026-03-31,45,180,25,"));
        assert_false(has(&r, ",902,"));
        result_free(&r);

        /* Outward: the small-base measure's page shows c, and its CSV too. */
        get(f, 0, WEB_ROLE_PEER, "/measures/assessments_45wd_pct", &r);
        assert_int_equal(r.status, 200);
        assert_false(has(&r, "50.0%"));
        assert_true(has(&r, ">c<"));
        result_free(&r);
        get(f, 0, WEB_ROLE_PEER, "/measures/assessments_45wd_pct/data.csv", &r);
        assert_false(has(&r, ",4,8,50,"));
        assert_true(has(&r, ",c,c,c,"));
        result_free(&r);
}

static void test_children_counted(void **state)
{
        struct fixture *f = *state;
        struct result r = {0};
        /* At 31 March 2026 only C2 is looked after (C1's episode ended on 30 June 2025). */
        get(f, 0, WEB_ROLE_LEADER, "/measures/cla_rate_per_10k/children?year=2026", &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "1 children"));
        assert_true(has(&r, ">C2<"));
        assert_false(has(&r, ">C1<"));
        result_free(&r);
        assert_int_equal(audit_rows(f, "view-children", "C2"), 1);
        /* Not for practitioners or outward roles. */
        get(f, 0, WEB_ROLE_PRACTITIONER, "/measures/cla_rate_per_10k/children?year=2026", &r);
        assert_int_equal(r.status, 403);
        result_free(&r);
        get(f, 0, WEB_ROLE_MEMBER, "/measures/cla_rate_per_10k/children?year=2026", &r);
        assert_int_equal(r.status, 403);
        result_free(&r);
        /* Another authority's leader gets its own (empty) list, never 901's children. */
        get(f, 1, WEB_ROLE_LEADER, "/measures/cla_rate_per_10k/children?year=2026", &r);
        assert_int_equal(r.status, 200);
        assert_false(has(&r, ">C2<"));
        result_free(&r);
}

static void test_quality(void **state)
{
        struct fixture *f = *state;
        struct result r = {0};
        get(f, 0, WEB_ROLE_ANALYST, "/quality", &r);
        assert_int_equal(r.status, 200);
        /* Rule 103: 2 findings about 2 children; 2887Q: 1. */
        assert_true(has(&r, ">103</a>"));
        assert_true(has(&r, "/quality/ssda903/2026/rules/103"));
        assert_true(has(&r, "/quality/ssda903/2026/report.xlsx"));
        /* The import is listed with its status. */
        assert_true(has(&r, "Stored"));
        /* The rule's message is escaped wherever it appears. */
        assert_false(has(&r, "<script>alert"));
        result_free(&r);

        /* A practitioner sees the counts but no links to children. */
        get(f, 0, WEB_ROLE_PRACTITIONER, "/quality", &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, ">103<"));
        assert_false(has(&r, "/rules/"));
        result_free(&r);
        /* Outward roles do not see data quality. */
        get(f, 0, WEB_ROLE_MEMBER, "/quality", &r);
        assert_int_equal(r.status, 403);
        result_free(&r);

        long long before = audit_rows(f, "view-children", "%C1%");
        get(f, 0, WEB_ROLE_ANALYST, "/quality/ssda903/2026/rules/103", &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "&lt;script&gt;alert(1)&lt;/script&gt; bad code"));
        assert_false(has(&r, "<script>alert"));
        assert_true(has(&r, "/quality/children/C1"));
        result_free(&r);
        /* The view is audited with the children it showed. */
        assert_int_equal(audit_rows(f, "view-children", "C1,C2"), 1);
        assert_int_equal(audit_rows(f, "view-children", "%C1%"), before + 1);

        get(f, 0, WEB_ROLE_ADMIN, "/quality/children/C2", &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "Ethnic code not valid"));
        assert_false(has(&r, "bad code")); /* C1's finding */
        result_free(&r);
        assert_int_equal(audit_rows(f, "view-children", "C2"), 1);

        /* The child whose id looks like SQL is found as itself, and only itself. */
        get(f, 0, WEB_ROLE_ADMIN, "/quality/children/C2'%20OR%20'1'%3D'1", &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "Odd date"));
        assert_false(has(&r, "Ethnic code not valid"));
        result_free(&r);

        /* Another authority's users find none of 901's children. */
        get(f, 1, WEB_ROLE_ADMIN, "/quality/children/C1", &r);
        assert_int_equal(r.status, 200);
        assert_false(has(&r, "bad code"));
        assert_true(has(&r, "No findings"));
        result_free(&r);
        get(f, 1, WEB_ROLE_ANALYST, "/api/v1/findings", &r);
        assert_int_equal(r.status, 200);
        assert_string_equal(r.body, "[]\n");
        result_free(&r);

        /* The workbook: a zip (XLSX) named for the authority, return and year. */
        get(f, 0, WEB_ROLE_ANALYST, "/quality/ssda903/2026/report.xlsx", &r);
        assert_int_equal(r.status, 200);
        assert_true(r.len > 1000);
        assert_memory_equal(r.body, "PK", 2);
        assert_non_null(strstr(r.disposition, "901-ssda903-2026-findings.xlsx"));
        result_free(&r);
        get(f, 0, WEB_ROLE_ANALYST, "/quality/cin/2026/report.xlsx", &r);
        assert_int_equal(r.status, 404);
        result_free(&r);
}

static void test_api_findings(void **state)
{
        struct fixture *f = *state;
        struct result r = {0};
        get(f, 0, WEB_ROLE_ANALYST, "/api/v1/findings.csv", &r);
        assert_int_equal(r.status, 200);
        /* The columns of `improve validate --format csv`. */
        assert_true(strncmp(r.body, "rule,severity,table,row,child,fields,message,file\n", 50) ==
                    0);
        assert_true(has(&r, "103,error,Header,2,C2,ETHNIC,Ethnic code not valid,header.csv\n"));
        assert_true(has(&r, "2887Q,query,Episodes,2,C2' OR '1'='1,DECOM,Odd date"));
        result_free(&r);
        get(f, 0, WEB_ROLE_ANALYST, "/api/v1/findings?rule=2887Q", &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "\"rule\": \"2887Q\""));
        assert_false(has(&r, "\"103\""));
        result_free(&r);
        /* A child parameter with SQL in it matches nothing rather than everything. */
        get(f, 0, WEB_ROLE_ANALYST, "/api/v1/findings?child=x'%20OR%20'1'%3D'1", &r);
        assert_int_equal(r.status, 200);
        assert_string_equal(r.body, "[]\n");
        result_free(&r);
        /* A rule parameter that is not a code is refused before any query. */
        get(f, 0, WEB_ROLE_ANALYST, "/api/v1/findings?rule=1'%3B%20DROP%20TABLE%20users", &r);
        assert_int_equal(r.status, 400);
        result_free(&r);
        /* Children are not for outward roles or practitioners. */
        get(f, 0, WEB_ROLE_INSPECTOR, "/api/v1/findings", &r);
        assert_int_equal(r.status, 403);
        result_free(&r);
        get(f, 0, WEB_ROLE_PRACTITIONER, "/api/v1/findings.csv", &r);
        assert_int_equal(r.status, 403);
        result_free(&r);
        /* The store still has its users table and every finding. */
        get(f, 0, WEB_ROLE_ANALYST, "/api/v1/findings.csv", &r);
        assert_true(has(&r, "Odd date"));
        result_free(&r);
}

/* ---------------------------------------------------------------- uploads */

struct part {
        const char *name, *filename, *data;
};

/* One multipart POST as user (a, r) with the session's CSRF token unless csrf is 0. */
static void post_parts(struct fixture *f, int a, int r, const char *path, const struct part *parts,
                       size_t n, int csrf, struct result *out)
{
        struct err e = {0};
        struct auth_session s;
        assert_int_equal(auth_session_create(f->s, &f->users[a][r], now_value, &s, &e), 0);
        char cookie[128];
        snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", s.token);
        struct buf body;
        buf_init(&body);
        const char *bd = "----b0undary7";
        if (csrf)
                buf_printf(&body,
                           "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n",
                           bd, s.csrf);
        for (size_t i = 0; i < n; i++) {
                buf_printf(&body, "--%s\r\nContent-Disposition: form-data; name=\"%s\"", bd,
                           parts[i].name);
                if (parts[i].filename)
                        buf_printf(&body, "; filename=\"%s\"\r\nContent-Type: text/csv",
                                   parts[i].filename);
                buf_printf(&body, "\r\n\r\n%s\r\n", parts[i].data);
        }
        buf_printf(&body, "--%s--\r\n", bd);
        struct arena ar;
        arena_init(&ar, 0);
        struct http_request req = {
            .arena = &ar, .method = "POST", .path = path, .remote_addr = "127.0.0.1"};
        http_parse_cookies(&ar, cookie, &req.cookies);
        req.content_type = arena_printf(&ar, "multipart/form-data; boundary=%s", bd);
        req.body = body.data;
        req.body_len = body.len;
        struct http_response resp;
        http_response_init(&resp);
        web_handle(&f->app, f->s, &req, &resp);
        out->status = resp.status;
        out->len = resp.body.len;
        out->body = malloc(out->len + 1);
        if (out->len)
                memcpy(out->body, resp.body.data, out->len);
        out->body[out->len] = '\0';
        http_response_release(&resp);
        arena_release(&ar);
        buf_release(&body);
        /* Keep the session: confirming uses the same user. */
        assert_int_equal(auth_session_destroy(f->s, s.token, &e), 0);
}

static void post_form(struct fixture *f, int a, int r, const char *path, const char *fields,
                      struct result *out)
{
        struct err e = {0};
        struct auth_session s;
        assert_int_equal(auth_session_create(f->s, &f->users[a][r], now_value, &s, &e), 0);
        char cookie[128];
        snprintf(cookie, sizeof cookie, WEB_SESSION_COOKIE "=%s", s.token);
        struct arena ar;
        arena_init(&ar, 0);
        struct http_request req = {
            .arena = &ar, .method = "POST", .path = path, .remote_addr = "127.0.0.1"};
        http_parse_cookies(&ar, cookie, &req.cookies);
        req.content_type = "application/x-www-form-urlencoded";
        req.body = arena_printf(&ar, "csrf=%s&%s", s.csrf, fields);
        req.body_len = strlen(req.body);
        struct http_response resp;
        http_response_init(&resp);
        web_handle(&f->app, f->s, &req, &resp);
        out->status = resp.status;
        out->len = resp.body.len;
        out->body = malloc(out->len + 1);
        if (out->len)
                memcpy(out->body, resp.body.data, out->len);
        out->body[out->len] = '\0';
        http_response_release(&resp);
        arena_release(&ar);
        assert_int_equal(auth_session_destroy(f->s, s.token, &e), 0);
}

/* The value of the hidden input `name` in a page ("" if none). */
static void hidden(const struct result *r, const char *name, char *out, size_t n)
{
        char key[64];
        snprintf(key, sizeof key, "name=\"%s\" value=\"", name);
        const char *p = strstr(r->body, key);
        out[0] = '\0';
        if (p) {
                p += strlen(key);
                snprintf(out, n, "%.*s", (int)strcspn(p, "\""), p);
        }
}

static int64_t imports_of(struct fixture *f, const char *la)
{
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(
            sqlite3_prepare_v2(db, "SELECT count(*) FROM imports WHERE la = ?", -1, &st, NULL),
            SQLITE_OK);
        sqlite3_bind_text(st, 1, la, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        int64_t n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return n;
}

/* The user and the file names (in name order, "|" between) of la's latest import. */
static void import_record(struct fixture *f, const char *la, char *user, size_t nu, char *names,
                          size_t nn)
{
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "SELECT i.user, (SELECT group_concat(name, '|') FROM "
                                            "(SELECT name FROM import_files WHERE import_id = i.id "
                                            "ORDER BY name)) FROM imports i WHERE la = ? ORDER BY "
                                            "id DESC LIMIT 1",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, la, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        snprintf(user, nu, "%s", (const char *)sqlite3_column_text(st, 0));
        const unsigned char *n = sqlite3_column_text(st, 1);
        snprintf(names, nn, "%s", n ? (const char *)n : "");
        sqlite3_finalize(st);
        sqlite3_close(db);
}

static void test_upload_malformed(void **state)
{
        struct fixture *f = *state;
        struct result r = {0};
        int64_t before = imports_of(f, "902");
        struct part bad = {"return", "census<script>x.xml",
                           "<?xml version=\"1.0\"?>\n<Message><Header>\n<oops></Message>\n"};
        post_parts(f, 1, WEB_ROLE_ANALYST, "/imports/new", &bad, 1, 1, &r);
        assert_int_equal(r.status, 200);
        /* A GOV.UK error summary naming the file (as uploaded, escaped) and the line. */
        assert_true(has(&r, "govuk-error-summary"));
        assert_true(has(&r, "census&lt;script&gt;x.xml:3:"));
        assert_true(has(&r, ".xml:3:"));
        assert_false(has(&r, "<script>x"));
        /* Our temporary names never show. */
        assert_false(has(&r, "improve-upload-"));
        assert_false(has(&r, "Import this return"));
        result_free(&r);
        /* Nothing stored for 902. */
        assert_int_equal(imports_of(f, "902"), before);
        struct store_return_info info;
        struct err e = {0};
        assert_int_equal(store_return_get(f->s, STORE_RETURN_CIN, "902", 2026, &info, &e), 0);

        /* No files at all: the field's own error. */
        post_parts(f, 1, WEB_ROLE_ANALYST, "/imports/new", NULL, 0, 1, &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "Select the return&#39;s files"));
        result_free(&r);
        /* Without its CSRF token the upload is refused before anything is read. */
        post_parts(f, 1, WEB_ROLE_ANALYST, "/imports/new", &bad, 1, 0, &r);
        assert_int_equal(r.status, 403);
        result_free(&r);
        /* Outward roles and leaders do not import. */
        post_parts(f, 1, WEB_ROLE_LEADER, "/imports/new", &bad, 1, 1, &r);
        assert_int_equal(r.status, 403);
        result_free(&r);
}

static void test_upload_and_import(void **state)
{
        struct fixture *f = *state;
        struct result r = {0};
        struct part files[2] = {
            {"return", "header.csv", header_csv},
            {"return", "<b>episodes</b>.csv", episodes_csv},
        };
        post_parts(f, 1, WEB_ROLE_ANALYST, "/imports/new", files, 2, 1, &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "Check the result before importing"));
        assert_true(has(&r, "2 children"));
        assert_true(has(&r, "Import this return"));
        assert_false(has(&r, "<b>episodes"));
        char token[128];
        hidden(&r, "upload", token, sizeof token);
        assert_int_equal(strlen(token), AUTH_TOKEN_LEN);
        result_free(&r);
        assert_int_equal(imports_of(f, "902"), 0);

        /* Another user of the same authority cannot confirm it. */
        char fields[256];
        snprintf(fields, sizeof fields, "upload=%s", token);
        post_form(f, 1, WEB_ROLE_ADMIN, "/imports/confirm", fields, &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "This upload has expired"));
        result_free(&r);
        assert_int_equal(imports_of(f, "902"), 0);

        /* Its owner can, once. */
        post_form(f, 1, WEB_ROLE_ANALYST, "/imports/confirm", fields, &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "Return imported"));
        result_free(&r);
        struct store_return_info info;
        struct err e = {0};
        assert_int_equal(store_return_get(f->s, STORE_RETURN_SSDA903, "902", 2026, &info, &e), 1);
        assert_int_equal(info.children, 2);
        assert_int_equal(imports_of(f, "902"), 1);
        assert_int_equal(audit_rows(f, "import", "%"), 2); /* the refused try and this one */
        /* The import names the web user and the browser's file names, not the server's login
         * and its private temporary paths (a browser's name keeps what follows its last '/'). */
        char user[128], names[256];
        import_record(f, "902", user, sizeof user, names, sizeof names);
        assert_string_equal(user, "analyst@902.test");
        assert_string_equal(names, "b>.csv|header.csv");
        post_form(f, 1, WEB_ROLE_ANALYST, "/imports/confirm", fields, &r);
        assert_true(has(&r, "This upload has expired"));
        result_free(&r);
        assert_int_equal(imports_of(f, "902"), 1);
        /* 901's return is untouched. */
        assert_int_equal(store_return_get(f->s, STORE_RETURN_SSDA903, "901", 2026, &info, &e), 1);
}

/* One raw request to the server on loopback; the status, the answer in out. */
static int raw_request(int port, const char *head, const struct buf *body, char *out, size_t n)
{
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        assert_true(fd >= 0);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
        assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        const char *parts[2] = {head, body ? body->data : ""};
        size_t lens[2] = {strlen(head), body ? body->len : 0};
        for (int i = 0; i < 2; i++)
                for (size_t done = 0; done < lens[i];) {
                        ssize_t w = write(fd, parts[i] + done, lens[i] - done);
                        assert_true(w > 0);
                        done += (size_t)w;
                }
        size_t got = 0;
        ssize_t k;
        while (got + 1 < n && (k = read(fd, out + got, n - 1 - got)) > 0)
                got += (size_t)k;
        out[got] = '\0';
        close(fd);
        int status = 0;
        sscanf(out, "HTTP/1.%*d %d", &status);
        return status;
}

/* An upload above the spooling threshold (1 MiB) through the real server on loopback. */
static void test_upload_over_loopback(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct web_server_options o = {.db = f->path, .listen = "127.0.0.1:0", .threads = 2};
        web_app_init(&o.app);
        auth_config_for_tests(&o.app.auth);
        o.app.now = fixed_now;
        struct web_server *srv = web_server_start(&o, &e);
        assert_non_null(srv);
        int port = web_server_port(srv);
        struct auth_session s;
        assert_int_equal(
            auth_session_create(f->s, &f->users[1][WEB_ROLE_ANALYST], now_value, &s, &e), 0);
        /* A header table of 40,000 children: about 1.3 MB. */
        struct buf body;
        buf_init(&body);
        buf_printf(&body,
                   "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                   "--XyZ\r\nContent-Disposition: form-data; name=\"return\"; "
                   "filename=\"header.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                   "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n",
                   s.csrf);
        for (int i = 0; i < 40000; i++)
                buf_printf(&body, "K%05d,1,02/01/2010,WBRI,,,\n", i);
        buf_printf(&body,
                   "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"return\"; "
                   "filename=\"episodes.csv\"\r\nContent-Type: text/csv\r\n\r\n%s\r\n"
                   "--XyZ--\r\n",
                   episodes_csv);
        assert_true(body.len > 1024 * 1024);
        char head[512];
        snprintf(head, sizeof head,
                 "POST /imports/new HTTP/1.1\r\nHost: x\r\nCookie: " WEB_SESSION_COOKIE
                 "=%s\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: "
                 "%zu\r\nConnection: close\r\n\r\n",
                 s.token, body.len);
        char *out = malloc(1 << 20);
        assert_int_equal(raw_request(port, head, &body, out, 1 << 20), 200);
        assert_non_null(strstr(out, "Check the result before importing"));
        /* The 40,000 in the header and C1, C2 of the episodes. */
        assert_non_null(strstr(out, "40002 children"));
        /* Without the CSRF token, the same large body is refused. */
        char *tok = strstr(body.data, s.csrf);
        memset(tok, 'A', strlen(s.csrf));
        assert_int_equal(raw_request(port, head, &body, out, 1 << 20), 403);
        web_server_stop(srv);
        free(out);
        buf_release(&body);
        assert_int_equal(imports_of(f, "902"), 0);
}

/* ---------------------------------------------------------------- admin */

static void test_admin_settings(void **state)
{
        struct fixture *f = *state;
        struct result r = {0};
        struct err e = {0};
        struct store_authority a;
        char pool[512];
        post_form(f, 0, WEB_ROLE_ADMIN, "/admin/settings",
                  "name=Aldr%3Ci%3Ewick%3C%2Fi%3E+%26+Co&ecode=E09000007", &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "The settings are saved"));
        assert_true(has(&r, "Aldr&lt;i&gt;wick&lt;/i&gt; &amp; Co"));
        assert_false(has(&r, "<i>wick"));
        result_free(&r);
        assert_int_equal(store_authority_get(f->s, "901", &a, pool, sizeof pool, &e), 1);
        assert_string_equal(a.name, "Aldr<i>wick</i> & Co");
        assert_string_equal(a.ecode, "E09000007");
        assert_int_equal(audit_rows(f, "settings", "%"), 1);
        /* A bad code: an error summary, nothing saved. */
        post_form(f, 0, WEB_ROLE_ADMIN, "/admin/settings", "name=Other&ecode=X1'--", &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "govuk-error-summary"));
        result_free(&r);
        assert_int_equal(store_authority_get(f->s, "901", &a, pool, sizeof pool, &e), 1);
        assert_string_equal(a.name, "Aldr<i>wick</i> & Co");
        /* 902 is untouched; an analyst may not change settings. */
        assert_int_equal(store_authority_get(f->s, "902", &a, pool, sizeof pool, &e), 1);
        assert_string_equal(a.name, "Bremmere");
        post_form(f, 0, WEB_ROLE_ANALYST, "/admin/settings", "name=X", &r);
        assert_int_equal(r.status, 403);
        result_free(&r);
}

static void test_admin_users(void **state)
{
        struct fixture *f = *state;
        struct result r = {0};
        struct err e = {0};
        post_form(f, 0, WEB_ROLE_ADMIN, "/admin/users/new",
                  "email=New.Person%40901.test&role=analyst", &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "Account added"));
        /* The generated password, shown once: 4 groups of 5 characters. */
        const char *p = strstr(r.body, "password <strong>");
        assert_non_null(p);
        char password[64];
        p += strlen("password <strong>");
        snprintf(password, sizeof password, "%.*s", (int)strcspn(p, "<"), p);
        assert_int_equal(strlen(password), 23);
        result_free(&r);
        struct store_user u;
        assert_int_equal(store_user_get_email(f->s, "new.person@901.test", &u, &e), 1);
        assert_string_equal(u.la, "901");
        assert_string_equal(u.role, "analyst");
        assert_int_equal(auth_verify_password(u.pwhash, password), 1);
        /* The same address again: refused with the field's error. */
        post_form(f, 0, WEB_ROLE_ADMIN, "/admin/users/new",
                  "email=new.person%40901.test&role=leader", &r);
        assert_true(has(&r, "There is already an account"));
        result_free(&r);
        /* An unknown role is not a role. */
        post_form(f, 0, WEB_ROLE_ADMIN, "/admin/users/new", "email=b%40901.test&role=root", &r);
        assert_true(has(&r, "Select a role"));
        result_free(&r);
        assert_int_equal(store_user_get_email(f->s, "b@901.test", &u, &e), 0);

        /* Disabling: not another authority's user (404), but one's own authority's. */
        char path[96];
        snprintf(path, sizeof path, "/admin/users/%lld/status",
                 (long long)f->users[0][WEB_ROLE_LEADER].id);
        post_form(f, 1, WEB_ROLE_ADMIN, path, "action=disable", &r);
        assert_int_equal(r.status, 404);
        result_free(&r);
        assert_int_equal(store_user_get_id(f->s, f->users[0][WEB_ROLE_LEADER].id, &u, &e), 1);
        assert_int_equal(u.disabled, 0);
        struct auth_session s, got;
        assert_int_equal(
            auth_session_create(f->s, &f->users[0][WEB_ROLE_LEADER], now_value, &s, &e), 0);
        post_form(f, 0, WEB_ROLE_ADMIN, path, "action=disable", &r);
        assert_int_equal(r.status, 303);
        result_free(&r);
        assert_int_equal(store_user_get_id(f->s, f->users[0][WEB_ROLE_LEADER].id, &u, &e), 1);
        assert_int_equal(u.disabled, 1);
        /* Its sessions ended with it. */
        assert_int_equal(auth_session_lookup(f->s, &f->app.auth, s.token, now_value, &got, &e), 0);
        assert_int_equal(audit_rows(f, "user-status", "%"), 1); /* the 404 is not a change */
        post_form(f, 0, WEB_ROLE_ADMIN, path, "action=enable", &r);
        result_free(&r);
        assert_int_equal(store_user_get_id(f->s, f->users[0][WEB_ROLE_LEADER].id, &u, &e), 1);
        assert_int_equal(u.disabled, 0);
}

static void test_admin_delete_import(void **state)
{
        struct fixture *f = *state;
        struct result r = {0};
        struct err e = {0};
        struct store_return_info info;
        char path[96];
        snprintf(path, sizeof path, "/admin/imports/%lld/delete", (long long)f->import_901);
        /* Another authority's administrator does not find it. */
        get(f, 1, WEB_ROLE_ADMIN, path, &r);
        assert_int_equal(r.status, 404);
        result_free(&r);
        post_form(f, 1, WEB_ROLE_ADMIN, path, "x=1", &r);
        assert_int_equal(r.status, 404);
        result_free(&r);
        assert_int_equal(store_return_get(f->s, STORE_RETURN_SSDA903, "901", 2026, &info, &e), 1);
        /* The confirmation page, then the deletion. */
        get(f, 0, WEB_ROLE_ADMIN, path, &r);
        assert_int_equal(r.status, 200);
        assert_true(has(&r, "Delete the stored return"));
        result_free(&r);
        assert_int_equal(store_return_get(f->s, STORE_RETURN_SSDA903, "901", 2026, &info, &e), 1);
        post_form(f, 0, WEB_ROLE_ADMIN, path, "x=1", &r);
        assert_int_equal(r.status, 303);
        result_free(&r);
        assert_int_equal(store_return_get(f->s, STORE_RETURN_SSDA903, "901", 2026, &info, &e), 0);
        assert_int_equal(audit_rows(f, "delete-import", "%"), 1);
        /* Its findings went with it. */
        get(f, 0, WEB_ROLE_ANALYST, "/api/v1/findings", &r);
        assert_string_equal(r.body, "[]\n");
        result_free(&r);
        /* Deleting again finds nothing to delete. */
        get(f, 0, WEB_ROLE_ADMIN, path, &r);
        assert_true(has(&r, "nothing to delete"));
        result_free(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_scorecard_internal, setup, teardown),
            cmocka_unit_test_setup_teardown(test_scorecard_outward, setup, teardown),
            cmocka_unit_test_setup_teardown(test_measure_page, setup, teardown),
            cmocka_unit_test_setup_teardown(test_children_counted, setup, teardown),
            cmocka_unit_test_setup_teardown(test_quality, setup, teardown),
            cmocka_unit_test_setup_teardown(test_api_findings, setup, teardown),
            cmocka_unit_test_setup_teardown(test_upload_malformed, setup, teardown),
            cmocka_unit_test_setup_teardown(test_upload_and_import, setup, teardown),
            cmocka_unit_test_setup_teardown(test_upload_over_loopback, setup, teardown),
            cmocka_unit_test_setup_teardown(test_admin_settings, setup, teardown),
            cmocka_unit_test_setup_teardown(test_admin_users, setup, teardown),
            cmocka_unit_test_setup_teardown(test_admin_delete_import, setup, teardown),
            cmocka_unit_test_setup_teardown(test_cache_never_stale, setup, teardown),
            cmocka_unit_test_setup_teardown(test_cache_follows_other_connections, setup, teardown),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
