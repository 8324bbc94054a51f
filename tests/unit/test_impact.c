/*
 * test_impact.c — the path `improve impact --panel` takes (src/cmd/
 * impact_panel.c, impact_methods.c): reading a long panel and running the
 * three methods on it.  Prop 99 (../shared/data/stats/smoking_prop99.csv,
 * skipped with a message when absent) must give E5.2's DiD and E4.1's
 * synthetic-control effect and placebo rank through this path, with its
 * "1970.0" time values; small literal panels check missing values, symbols
 * and the refusals.
 */
#include "test.h"

#include "cmd/impact_int.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "store/store.h"

#include <math.h>

#define PROP99 SHARED_DATA "/stats/smoking_prop99.csv"

static void near(double got, double want, double tol, const char *what)
{
        if (!(fabs(got - want) <= tol))
                fail_msg("%s: got %.10g, want %.10g (tolerance %g)", what, got, want, tol);
}

static char *write_temp(const char *text)
{
        char *path = strdup("/tmp/improve-impact-XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        close(fd);
        return path;
}

static void report_for(struct impact_report *r, const struct impact_panel *p, size_t treated,
                       size_t first_post)
{
        memset(r, 0, sizeof *r);
        r->source = p->path;
        r->outcome = "y";
        r->start = "start";
        r->nperiods = p->nperiods;
        r->labels = p->labels;
        r->first_post = first_post;
        r->nunits = p->nunits;
        r->observed = p->y + treated * p->nperiods;
        r->decimals = 2;
        for (int i = 0; i < IMPACT_NMETHODS; i++) {
                impact_method_init(&r->m[i], (enum impact_method_id)i, p->nperiods);
                r->m[i].requested = r->m[i].available = 1;
        }
}

static int has_warning(const struct impact_method *m, const char *needle)
{
        for (size_t i = 0; i < m->n_warnings; i++)
                if (strstr(m->warnings[i], needle))
                        return 1;
        return 0;
}

static void prop99(void **state)
{
        (void)state;
        SKIP_WITHOUT_SHARED(PROP99);
        struct impact_reader rd = {PROP99, "state", "year", "cigsale", NULL, 0};
        struct impact_panel p;
        struct err e = {0};
        assert_int_equal(impact_panel_read(&rd, &p, &e), 0);
        assert_int_equal(p.nunits, 39);
        assert_int_equal(p.nperiods, 31);
        assert_int_equal(p.kind, IMPACT_TIME_NUMBER);
        assert_string_equal(p.labels[0], "1970");
        size_t ca = impact_find_unit(&p, "California");
        assert_true(ca < p.nunits);
        enum impact_time_kind k;
        double start;
        assert_int_equal(impact_parse_time("1989", 4, &k, &start), 0);
        size_t fp = impact_find_period(&p, start);
        assert_int_equal(fp, 19);

        struct impact_report r;
        report_for(&r, &p, ca, fp);
        r.treated = "California";
        struct impact_its_request iq = {0, NULL, -1, 1};
        impact_run_its(&r, &p, ca, &iq);
        unsigned char *none = calloc(p.nunits, 1);
        struct impact_sc_request sq = {none, 0, NULL, 0, NULL};
        impact_run_sc(&r, &p, ca, &sq);
        impact_run_did(&r, &p, ca, none);

        const struct impact_method *its = &r.m[IMPACT_ITS], *sc = &r.m[IMPACT_SC],
                                   *did = &r.m[IMPACT_DID];
        assert_true(its->ran && sc->ran && did->ran);
        assert_int_equal(its->n_pre, 19);
        assert_int_equal(its->n_post, 12);
        /* E5.2 and E4.1. */
        near(did->effect, -27.349111, 1e-6, "DiD");
        near(sc->effect, -19.5136, 0.01, "SC ATT");
        near(sc->pre_rmspe, 1.656400, 1e-3, "SC pre RMSPE");
        near(sc->post_rmspe, 20.6056, 0.01, "SC post RMSPE");
        near(sc->effect_t[30], -26.597, 0.02, "SC gap in 2000");
        assert_int_equal(sc->p_rank, 3);
        assert_int_equal(sc->p_units, 39);
        assert_int_equal(r.nplacebo, 38);
        assert_true(isnan(sc->ci_low) && isnan(sc->lower[25]));
        assert_true(has_warning(did, "one treated unit"));
        /* The DiD path's post-period gaps average to DiD on this balanced panel. */
        double s = 0;
        for (size_t t = fp; t < p.nperiods; t++)
                s += did->effect_t[t];
        near(s / 12, did->effect, 1e-9, "mean DiD gap");
        /* ITS rows cover every period; effects only after the change. */
        assert_true(isnan(its->effect_t[18]) && isfinite(its->effect_t[19]));
        assert_true(its->lower[19] < its->effect_t[19] && its->effect_t[19] < its->upper[19]);

        struct buf v;
        buf_init(&v);
        impact_verdict(&v, &r);
        assert_non_null(strstr(v.data, "Verdict: y in California fell by"));
        assert_non_null(strstr(v.data, "placebo p = 3/39 = 0.077"));
        assert_non_null(strstr(v.data, "Difference in differences agrees: -27.35"));
        buf_release(&v);
        free(none);
        impact_report_release(&r);
        impact_panel_release(&p);
}

static void missing_values_and_symbols(void **state)
{
        (void)state;
        char *path = write_temp("period,value\n"
                                "2021-01-01,10\n2021-02-01,11\n2021-03-01,c\n2021-04-01,12\n"
                                "2021-05-01,13\n2021-06-01,\n2021-07-01,9\n2021-08-01,low\n"
                                "2021-09-01,10\n2021-10-01,11\n");
        struct impact_reader rd = {path, NULL, "period", "value", NULL, 0};
        struct impact_panel p;
        struct err e = {0};
        assert_int_equal(impact_panel_read(&rd, &p, &e), 0);
        assert_int_equal(p.kind, IMPACT_TIME_DATE);
        assert_int_equal(p.nperiods, 10);
        assert_true(isnan(p.y[2]) && isnan(p.y[5]) && isnan(p.y[7]));
        assert_string_equal(p.labels[9], "2021-10-01");
        struct impact_report r;
        report_for(&r, &p, 0, 6);
        struct impact_its_request iq = {0, NULL, -1, 1};
        impact_run_its(&r, &p, 0, &iq);
        const struct impact_method *m = &r.m[IMPACT_ITS];
        assert_true(m->ran);
        assert_int_equal(m->n_pre, 4);
        assert_int_equal(m->n_post, 3);
        assert_true(has_warning(m, "3 periods without a value left out"));
        assert_true(has_warning(m, "gap between 2021-02-01 and 2021-04-01"));
        assert_false(m->row[2]);
        assert_true(m->row[3]);
        impact_report_release(&r);
        impact_panel_release(&p);
        unlink(path);
        free(path);
}

static void expect_read_error(const char *text, const char *unit_col, const char *needle)
{
        char *path = write_temp(text);
        struct impact_reader rd = {
            path, unit_col, unit_col ? "t" : "period", unit_col ? "y" : "value", NULL, 0};
        struct impact_panel p;
        struct err e = {0};
        assert_int_equal(impact_panel_read(&rd, &p, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        if (!strstr(e.msg, needle))
                fail_msg("'%s' lacks '%s'", e.msg, needle);
        unlink(path);
        free(path);
}

static void malformed(void **state)
{
        (void)state;
        /* x is a DfE symbol (missing), abc is not. */
        expect_read_error("u,t,y\nA,1,1\nB,1,abc\n", "u", ":3: y 'abc' is not a number");
        expect_read_error("u,t,y\nA,1,1\n,2,1\n", "u", ":3: blank unit");
        expect_read_error("u,t,y\nA,1,1\nA,2020-02-30,1\n", "u", ":3: time '2020-02-30'");
        expect_read_error("u,t,y\nA,2020-01-01,1\nA,2,1\n", "u", "is a number but earlier rows");
        expect_read_error("u,t,y\nA,1,1\nA,1.0,2\n", "u", ":3: unit 'A' has period 1 again");
        expect_read_error("u,t,y\n", "u", "no data rows");
        expect_read_error("", "u", "empty");
        expect_read_error("u,t\nA,1\n", "u", ":1: no 'y' column");
        expect_read_error("u,t,y,y\nA,1,1,1\n", "u", "two 'y' columns");
        expect_read_error("period,value\n1,inf\n", NULL, "'inf' is not a number");
        expect_read_error("period,value\n1,0x10\n", NULL, "'0x10' is not a number");
        /* a unit name that is not UTF-8 is still one unit (found by the fuzzer: each row of it
         * opened a new unit), so its repeated period is caught */
        expect_read_error("u,t,y\nB\xff\xfe,1,1\nA,1,2\nB\xff\xfe,1,3\n", "u", ":4: unit 'B");

        enum impact_time_kind k;
        double key;
        assert_int_equal(impact_parse_time("1989.0", 6, &k, &key), 0);
        assert_int_equal(k, IMPACT_TIME_NUMBER);
        near(key, 1989, 0, "1989.0");
        assert_int_equal(impact_parse_time("2021-04-01", 10, &k, &key), 0);
        assert_int_equal(k, IMPACT_TIME_DATE);
        assert_int_equal(impact_parse_time("2021-04", 7, &k, &key), -1);
        assert_int_equal(impact_parse_time("", 0, &k, &key), -1);
        assert_int_equal(impact_parse_time("nan", 3, &k, &key), -1);
}

/* ---------------------------------------------------------------- the store form */

/*
 * Five authorities (901-903 in one region, 904-905 in another; 901's
 * neighbours 902 and 904), monthly referrals April 2021 to March 2022, 901's
 * first two months flagged incomplete look-back.  Events: 1 = 901 restructure
 * on 15 October 2021 (October is a transition), 2 = 903 restructure on 1 June
 * 2021 (same kind, in the window), 3 = 905 trust (another kind).
 */
static struct store *store_fixture(char **dir)
{
        *dir = test_tmpdir();
        char path[512];
        snprintf(path, sizeof path, "%s/s.db", *dir);
        struct err e = {0};
        struct store *s = store_open(path, STORE_CREATE, &e);
        assert_non_null(s);
        const char *codes[] = {"901", "902", "903", "904", "905"};
        const char *names[] = {"Aldrwick", "Bremmere", "Caldholt", "Dunmore", "Eastmarsh"};
        for (int i = 0; i < 5; i++) {
                struct store_authority a;
                memset(&a, 0, sizeof a);
                snprintf(a.code, sizeof a.code, "%s", codes[i]);
                a.name = names[i];
                a.region_code = i < 3 ? "E99100001" : "E99100002";
                a.region_name = "";
                if (i == 0) {
                        strcpy(a.neighbours[0], "902");
                        strcpy(a.neighbours[1], "904");
                }
                assert_int_equal(store_authority_put(s, &a, &e), 0);
        }
        assert_int_equal(store_begin(s, &e), 0);
        struct store_measure_writer *w;
        assert_int_equal(store_measure_writer_open(s, &w, &e), 0);
        for (int i = 0; i < 5; i++)
                for (int k = 0; k < 12; k++) {
                        date_t end = date_month_end(date_add_months(date_from_ymd(2021, 4, 1), k));
                        char iso[11];
                        date_format_iso(end, iso);
                        struct store_measure_value v;
                        memset(&v, 0, sizeof v);
                        v.la = codes[i];
                        v.measure = "referrals_rate_per_10k";
                        v.period = "month";
                        v.period_end = iso;
                        v.year = date_collection_year(end);
                        v.source = "cin";
                        v.has_numerator = v.has_denominator = v.has_value = 1;
                        v.numerator = 10 + k;
                        v.denominator = 1000;
                        v.value = 40 + 5 * i + 0.5 * k - (i == 0 && k >= 7 ? 5 : 0);
                        v.note = "";
                        v.lookback_incomplete = i == 0 && k < 2;
                        assert_int_equal(store_measure_put(w, &v, &e), 0);
                }
        store_measure_writer_close(w);
        assert_int_equal(store_commit(s, &e), 0);
        const char *ev[][4] = {{"901", "2021-10-15", "restructure", "Front door restructure"},
                               {"903", "2021-06-01", "restructure", "Another front door"},
                               {"905", "2021-09-01", "trust", "Trust formed"}};
        for (int i = 0; i < 3; i++) {
                struct store_event x;
                memset(&x, 0, sizeof x);
                x.la = ev[i][0];
                x.date = ev[i][1];
                x.kind = ev[i][2];
                x.title = ev[i][3];
                x.note = "";
                x.user = "tester";
                assert_int_equal(store_event_put(s, &x, NULL, NULL, &e), 0);
        }
        return s;
}

static int warned(const struct impact_store_input *in, const char *needle)
{
        for (size_t i = 0; i < in->n_warnings; i++)
                if (strstr(in->warnings[i], needle))
                        return 1;
        return 0;
}

static void store_form(void **state)
{
        (void)state;
        char *dir;
        struct store *s = store_fixture(&dir);
        struct err e = {0};
        struct impact_store_input in;
        struct impact_store_request q = {"901", 1, NULL, "referrals_rate_per_10k", NULL, NULL, 0};
        assert_int_equal(impact_store_load(s, &q, &in, &e), 0);
        /* October 2021 straddles the change: 11 periods, April-September before. */
        assert_int_equal(in.p.nunits, 5);
        assert_int_equal(in.p.nperiods, 11);
        assert_int_equal(in.first_post, 6);
        assert_string_equal(in.p.labels[5], "2021-09-30");
        assert_string_equal(in.p.labels[6], "2021-11-30");
        assert_true(warned(&in, "the period ending 2021-10-31 straddles the change (2021-10-15)"));
        assert_true(warned(&in, "2 values of 901 flagged 'incomplete look-back'"));
        assert_true(warned(&in, "1 authority with a change of the same kind (restructure)"));
        assert_string_equal(in.p.units[in.treated], "901");
        assert_true(isnan(in.p.y[in.treated * 11 + 0]) && isnan(in.p.y[in.treated * 11 + 1]));
        near(in.p.y[in.treated * 11 + 2], 41, 1e-12, "June value");
        near(in.p.y[in.treated * 11 + 6], 40 + 0.5 * 7 - 5, 1e-12, "November value");
        /* 903 had a restructure in the window; 905's trust is another kind. */
        assert_true(in.exclude[impact_find_unit(&in.p, "903")]);
        assert_false(in.exclude[impact_find_unit(&in.p, "905")]);
        assert_false(in.exclude[impact_find_unit(&in.p, "902")]);
        assert_string_equal(in.treated_name, "901 Aldrwick");
        assert_string_equal(in.start, "2021-10-15");
        assert_string_equal(in.change, "Front door restructure on 2021-10-15");
        assert_string_equal(in.outcome, "referrals_rate_per_10k");

        /* The methods on it: time series with the gap and the look-back months left out. */
        struct impact_report r;
        report_for(&r, &in.p, in.treated, in.first_post);
        struct impact_its_request iq = {0, NULL, -1, 1};
        impact_run_its(&r, &in.p, in.treated, &iq);
        assert_true(r.m[IMPACT_ITS].ran);
        assert_int_equal(r.m[IMPACT_ITS].n_pre, 4);
        assert_int_equal(r.m[IMPACT_ITS].n_post, 5);
        /* An exact step of -5 on a slope of 0.5 a month, October left out: recovered. */
        near(r.m[IMPACT_ITS].effect, -5, 1e-9, "planted step");
        impact_report_release(&r);
        impact_store_input_release(&in);

        /* Kept transition: October counts before the change. */
        q.keep_transition = 1;
        assert_int_equal(impact_store_load(s, &q, &in, &e), 0);
        assert_int_equal(in.p.nperiods, 12);
        assert_int_equal(in.first_post, 7);
        assert_false(warned(&in, "straddles"));
        impact_store_input_release(&in);
        q.keep_transition = 0;

        /* Neighbours: 902 and 904 only. */
        q.donors = "neighbours";
        assert_int_equal(impact_store_load(s, &q, &in, &e), 0);
        assert_true(in.exclude[impact_find_unit(&in.p, "903")]);
        assert_true(in.exclude[impact_find_unit(&in.p, "905")]);
        assert_false(in.exclude[impact_find_unit(&in.p, "902")]);
        assert_false(in.exclude[impact_find_unit(&in.p, "904")]);
        assert_true(warned(&in, "2 authorities outside the chosen comparison group (neighbours)"));
        impact_store_input_release(&in);

        /* Region: 902 (903 had the same kind of change). */
        q.donors = "region";
        assert_int_equal(impact_store_load(s, &q, &in, &e), 0);
        assert_false(in.exclude[impact_find_unit(&in.p, "902")]);
        assert_true(in.exclude[impact_find_unit(&in.p, "903")]);
        assert_true(in.exclude[impact_find_unit(&in.p, "904")]);
        assert_true(warned(&in, "1 authority with a change of the same kind"));
        impact_store_input_release(&in);
        q.donors = NULL;

        /* Refusals: no such event, another authority's event, no values, no monthly values. */
        q.event_id = 9;
        assert_int_equal(impact_store_load(s, &q, &in, &e), -1);
        assert_int_equal(e.code, EXIT_USAGE);
        assert_non_null(strstr(e.msg, "no event 9"));
        q.event_id = 2;
        assert_int_equal(impact_store_load(s, &q, &in, &e), -1);
        assert_non_null(strstr(e.msg, "authority 903, not 901"));
        struct impact_store_request d = {"902", 0, "2021-10-01", "s47_rate_per_10k", NULL, NULL, 0};
        assert_int_equal(impact_store_load(s, &d, &in, &e), -1);
        assert_non_null(strstr(e.msg, "no monthly values of s47_rate_per_10k for authority 902"));
        d.measure = "cla_placements_3plus_pct";
        d.period = "month";
        assert_int_equal(impact_store_load(s, &d, &in, &e), -1);
        assert_non_null(strstr(e.msg, "no monthly values (they would not be meaningful)"));
        /* By date: no event, so no kind and nobody left out for one. */
        d.measure = "referrals_rate_per_10k";
        d.period = NULL;
        assert_int_equal(impact_store_load(s, &d, &in, &e), 0);
        assert_null(in.change);
        assert_int_equal(in.first_post, 6);
        assert_false(in.exclude[impact_find_unit(&in.p, "903")]);
        impact_store_input_release(&in);
        store_close(s);
        test_rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(prop99),
            cmocka_unit_test(missing_values_and_symbols),
            cmocka_unit_test(malformed),
            cmocka_unit_test(store_form),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
