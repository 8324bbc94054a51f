/*
 * test_synth.c — the synthetic region generator (`improve synth`): options,
 * determinism, the exact layout, code lists per year (this file keeps its own
 * copy of the lists, typed from data-formats.md §1.6 and §2.3, and does not
 * use the generator's tables), referential consistency across tables and
 * years, the truth files against counts made from the written files, error
 * injection, and distributions against the published targets.
 *
 * The distribution test runs on 40 authorities by default; IMPROVE_LONG=1
 * runs it on 153 authorities as the issue asks.
 */
#include "test.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/err.h"
#include "synth/synth.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <sys/stat.h>

/* ---------------------------------------------------------- CSV loading */

struct table {
        char **cell; /* nrows * ncols, row 0 = header */
        size_t nrows, ncols;
};

static int load(struct table *t, const char *path)
{
        struct err e = {0};
        memset(t, 0, sizeof *t);
        struct csv_reader *r = csv_open_file(path, &e);
        if (!r)
                return -1;
        struct csv_record rec;
        size_t cap = 0;
        int rc;
        while ((rc = csv_read(r, &rec, &e)) == 1) {
                if (t->nrows == 0)
                        t->ncols = rec.count;
                assert_int_equal(rec.count, t->ncols);
                if ((t->nrows + 1) * t->ncols > cap) {
                        cap = cap ? cap * 2 : 1024;
                        while (cap < (t->nrows + 1) * t->ncols)
                                cap *= 2;
                        t->cell = realloc(t->cell, cap * sizeof(char *));
                }
                for (size_t i = 0; i < rec.count; i++)
                        t->cell[t->nrows * t->ncols + i] =
                            strndup(rec.fields[i].ptr, rec.fields[i].len);
                t->nrows++;
        }
        assert_int_equal(rc, 0);
        csv_free(r);
        return 0;
}

static void unload(struct table *t)
{
        for (size_t i = 0; i < t->nrows * t->ncols; i++)
                free(t->cell[i]);
        free(t->cell);
        memset(t, 0, sizeof *t);
}

static int col(const struct table *t, const char *name)
{
        for (size_t i = 0; i < t->ncols; i++)
                if (strcmp(t->cell[i], name) == 0)
                        return (int)i;
        fail_msg("column %s missing", name);
        return -1;
}

static const char *at(const struct table *t, size_t row, int c)
{
        return t->cell[row * t->ncols + (size_t)c];
}

static int in_list(const char *v, const char *const *list)
{
        for (size_t i = 0; list[i]; i++)
                if (strcmp(v, list[i]) == 0)
                        return 1;
        return 0;
}

static date_t uk(const char *s)
{
        date_t d = DATE_NONE;
        if (*s)
                assert_int_equal(date_parse_uk(s, strlen(s), &d), 0);
        return d;
}

static int file_exists(const char *path)
{
        struct stat st;
        return stat(path, &st) == 0;
}

static void gen(const char *dir, int las, int years, int last, uint64_t seed, double errors)
{
        struct synth_options o;
        synth_options_default(&o);
        o.out_dir = dir;
        o.las = las;
        o.years = years;
        o.last_year = last;
        o.seed = seed;
        o.error_rate = errors;
        struct err e = {0};
        int rc = synth_run(&o, &e);
        if (rc != 0)
                fail_msg("synth_run: %s", e.msg);
}

/* ------------------------------------------------------------ options */

static void test_options(void **state)
{
        (void)state;
        struct synth_options o;
        struct err e = {0};
        synth_options_default(&o);
        assert_int_equal(o.las, 12);
        assert_int_equal(o.years, 4);
        assert_int_equal(o.last_year, 2026);
        assert_int_equal((int)o.seed, 1);
        assert_int_equal(synth_check_options(&o, &e), -1); /* no --out */
        assert_int_equal(e.code, EXIT_USAGE);
        o.out_dir = "/tmp/x";
        assert_int_equal(synth_check_options(&o, &e), 0);
        o.las = 0;
        assert_int_equal(synth_check_options(&o, &e), -1);
        assert_non_null(strstr(e.msg, "--las"));
        o.las = 200;
        assert_int_equal(synth_check_options(&o, &e), -1);
        o.las = 3;
        o.last_year = 2028;
        assert_int_equal(synth_check_options(&o, &e), -1);
        assert_non_null(strstr(e.msg, "--last-year"));
        o.last_year = 2016;
        o.years = 5; /* would start in 2012 */
        assert_int_equal(synth_check_options(&o, &e), -1);
        assert_non_null(strstr(e.msg, "--years"));
        o.years = 4;
        o.error_rate = 0.9;
        assert_int_equal(synth_check_options(&o, &e), -1);
        assert_non_null(strstr(e.msg, "--errors"));
}

/* --------------------------------------------------------- determinism */

static void compare_trees(const char *a, const char *b, int *files)
{
        DIR *d = opendir(a);
        assert_non_null(d);
        struct dirent *de;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                char pa[1024], pb[1024];
                snprintf(pa, sizeof pa, "%s/%s", a, de->d_name);
                snprintf(pb, sizeof pb, "%s/%s", b, de->d_name);
                struct stat sa, sb;
                assert_int_equal(stat(pa, &sa), 0);
                if (stat(pb, &sb) != 0)
                        fail_msg("%s missing in the second run", pb);
                if (S_ISDIR(sa.st_mode)) {
                        compare_trees(pa, pb, files);
                        continue;
                }
                assert_int_equal(sa.st_size, sb.st_size);
                FILE *fa = fopen(pa, "rb"), *fb = fopen(pb, "rb");
                assert_non_null(fa);
                assert_non_null(fb);
                char ba[65536], bb[65536];
                size_t na;
                while ((na = fread(ba, 1, sizeof ba, fa)) > 0) {
                        assert_int_equal(fread(bb, 1, na, fb), na);
                        if (memcmp(ba, bb, na) != 0)
                                fail_msg("%s differs between runs", pa);
                }
                fclose(fa);
                fclose(fb);
                (*files)++;
        }
        closedir(d);
}

static void test_determinism(void **state)
{
        (void)state;
        char *a = test_tmpdir(), *b = test_tmpdir(), *c = test_tmpdir();
        gen(a, 3, 2, 2026, 42, 0.01);
        gen(b, 3, 2, 2026, 42, 0.01);
        int files = 0;
        compare_trees(a, b, &files);
        assert_true(files > 3 * 2 * 12);
        /* A different seed gives different data. */
        gen(c, 3, 2, 2026, 43, 0.01);
        char pa[1024], pc[1024];
        snprintf(pa, sizeof pa, "%s/001/2026/903/episodes.csv", a);
        snprintf(pc, sizeof pc, "%s/001/2026/903/episodes.csv", c);
        struct table ta, tc;
        load(&ta, pa);
        load(&tc, pc);
        assert_true(ta.nrows != tc.nrows || strcmp(at(&ta, 1, 1), at(&tc, 1, 1)) != 0);
        unload(&ta);
        unload(&tc);
        test_rmdir(a);
        test_rmdir(b);
        test_rmdir(c);
}

/* -------------------------------------------------------------- layout */

static const char *const tables_903[] = {
    "header.csv", "episodes.csv",        "reviews.csv",   "uasc.csv",    "oc2.csv", "oc3.csv",
    "ad1.csv",    "placed_adoption.csv", "prev_perm.csv", "missing.csv", NULL};

static void test_layout(void **state)
{
        (void)state;
        char *d = test_tmpdir();
        gen(d, 2, 5, 2027, 5, 0);
        char p[1024];
        const char *region[] = {"authorities.csv",    "populations.csv",
                                "postcodes.csv",      "providers.csv",
                                "events.csv",         "truth/errors.csv",
                                "truth/measures.csv", "truth/effects.csv",
                                "truth/signals.csv",  NULL};
        for (int i = 0; region[i]; i++) {
                snprintf(p, sizeof p, "%s/%s", d, region[i]);
                if (!file_exists(p))
                        fail_msg("%s missing", p);
        }
        for (int la = 1; la <= 2; la++)
                for (int y = 2023; y <= 2027; y++) {
                        for (int i = 0; tables_903[i]; i++) {
                                snprintf(p, sizeof p, "%s/%03d/%d/903/%s", d, la, y, tables_903[i]);
                                if (!file_exists(p))
                                        fail_msg("%s missing", p);
                        }
                        snprintf(p, sizeof p, "%s/%03d/%d/903/sw_episodes.csv", d, la, y);
                        assert_int_equal(file_exists(p), y >= 2024);
                        snprintf(p, sizeof p, "%s/%03d/%d/903/dolo.csv", d, la, y);
                        assert_int_equal(file_exists(p), y >= 2027);
                        snprintf(p, sizeof p, "%s/%03d/%d/cin.xml", d, la, y);
                        assert_true(file_exists(p));
                }
        snprintf(p, sizeof p, "%s/003", d);
        assert_false(file_exists(p));
        snprintf(p, sizeof p, "%s/001/2022", d);
        assert_false(file_exists(p));

        /* authorities.csv: the exact header, fictional codes, neighbours. */
        struct table t;
        snprintf(p, sizeof p, "%s/authorities.csv", d);
        load(&t, p);
        assert_int_equal(t.ncols, 15);
        assert_string_equal(at(&t, 0, 0), "code");
        assert_string_equal(at(&t, 0, 14), "sn_10");
        assert_int_equal(t.nrows, 3);
        assert_string_equal(at(&t, 1, 0), "001");
        assert_string_equal(at(&t, 1, 1), "E99000001");
        assert_string_equal(at(&t, 1, 5), "002"); /* the only other authority */
        assert_string_equal(at(&t, 1, 6), "");
        unload(&t);

        /* Header columns of two tables exactly as the DfE names them. */
        snprintf(p, sizeof p, "%s/001/2025/903/episodes.csv", d);
        FILE *f = fopen(p, "r");
        char line[512];
        assert_non_null(fgets(line, sizeof line, f));
        fclose(f);
        assert_string_equal(line, "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
                                  "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n");
        snprintf(p, sizeof p, "%s/001/2027/903/dolo.csv", d);
        f = fopen(p, "r");
        assert_non_null(fgets(line, sizeof line, f));
        fclose(f);
        assert_string_equal(line, "CHILD,DOB,DOLO_START,DOLO_END\n");

        /* populations.csv holds every authority and output year. */
        snprintf(p, sizeof p, "%s/populations.csv", d);
        load(&t, p);
        assert_int_equal(t.nrows, 1 + 2 * 5);
        assert_true(atof(at(&t, 1, 2)) > 1000);
        unload(&t);
        test_rmdir(d);
}

/* ------------------------------------------------- code lists (by value) */

/* data-formats.md §1.6: PLACE by year; the generator may use any subset. */
static int place_valid(const char *c, int year)
{
        static const char *const always[] = {"A3", "A4", "A5", "A6", "K1", "K2", "P1", "P3", "R1",
                                             "R2", "R3", "R5", "S1", "T0", "T1", "T2", "T3", "T4",
                                             "U1", "U2", "U3", "U4", "U5", "U6", NULL};
        if (in_list(c, always))
                return 1;
        int fy = year < 2023 ? 2023 : year;
        if (strcmp(c, "K3") == 0)
                return fy >= 2025;
        if (strcmp(c, "H5") == 0 || strcmp(c, "P2") == 0 || strcmp(c, "Z1") == 0)
                return fy <= 2025;
        static const char *const z[] = {"Z11", "Z12", "Z13", "Z14", NULL};
        return in_list(c, z) && fy >= 2026;
}

static const char *const LS[] = {"C1", "C2", "D1", "E1", "V2", "V3", "V4",
                                 "L1", "L2", "L3", "J1", "J2", "J3", NULL};
static const char *const RNE[] = {"S", "L", "P", "T", "B", "U", NULL};
static const char *const CIN903[] = {"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", NULL};
static const char *const REC[] = {"X1",  "E11", "E12", "E13", "E14", "E15", "E16", "E17",
                                  "E2",  "E3",  "E4A", "E4B", "E41", "E45", "E46", "E47",
                                  "E48", "E5",  "E6",  "E7",  "E8",  "E9",  NULL};
static const char *const RPC[] = {"CARPL", "CLOSE", "ALLEG", "STAND",  "APPRR", "CREQB", "CREQO",
                                  "CHILD", "LAREQ", "PLACE", "CUSTOD", "OTHER", NULL};
static const char *const PROV[] = {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5", NULL};
static const char *const ETHNIC[] = {"WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA",
                                     "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
                                     "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT", NULL};
static const char *const PN[] = {"PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7", NULL};
static const char *const SWR[] = {"MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC",
                                  "CHCHAN", "PCCHAN", "SWDIED", "OTHERS", NULL};
static const char *const IN_TOUCH[] = {"YES", "NO", "DIED", "REFU", "NREQ", "RHOM", NULL};
static const char *const ACTIV[] = {"F1", "P1", "F2", "P2", "F4", "P4", "F5",
                                    "P5", "G4", "G5", "G6", "0",  NULL};
static const char *const PREV_PERM[] = {"P1", "P2", "P3", "P4", "Z1", NULL};
static const char *const SOURCE[] = {"1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B",
                                     "3C", "3D", "3E", "3F", "4",  "5A", "5B", "5C",
                                     "5D", "6",  "7",  "8",  "9",  "10", NULL};
static const char *const NEED[] = {"N0", "N1", "N2", "N3", "N4", "N5",
                                   "N6", "N7", "N8", "N9", NULL};
static const char *const CLOSURE[] = {"RC1", "RC2", "RC3", "RC4", "RC5",
                                      "RC6", "RC7", "RC8", "RC9", NULL};
static const char *const ABUSE[] = {"NEG", "PHY", "SAB", "EMO", "MUL", NULL};
static const char *const DISAB[] = {"NONE", "MOB", "HAND", "PC",  "INC", "COMM", "LD",
                                    "HEAR", "VIS", "BEH",  "CON", "AUT", "DDA",  NULL};
static const char *const FACTORS[] = {"1A",  "1B",  "1C",  "2A",  "2B",  "2C",  "3A",  "3B",  "3C",
                                      "4A",  "4B",  "4C",  "5A",  "5B",  "5C",  "6A",  "6B",  "6C",
                                      "7A",  "8B",  "8C",  "8D",  "8E",  "8F",  "9A",  "10A", "11A",
                                      "12A", "13A", "14A", "15A", "16A", "17A", "18B", "18C", "19B",
                                      "19C", "20",  "21",  "22A", "23A", "24A", NULL};

static int accom_valid(const char *c)
{
        if (strcmp(c, "0") == 0)
                return 1;
        if (strlen(c) != 2 || !strchr("BCDEGHKRSTUVWXYZ", c[0]) || (c[1] != '1' && c[1] != '2'))
                return 0;
        return strcmp(c, "S1") != 0 && strcmp(c, "X1") != 0;
}

static void check_col(const struct table *t, const char *name, const char *const *list,
                      int blank_ok, const char *file)
{
        int c = col(t, name);
        for (size_t r = 1; r < t->nrows; r++) {
                const char *v = at(t, r, c);
                if (!*v && blank_ok)
                        continue;
                if (!in_list(v, list))
                        fail_msg("%s row %zu: %s '%s' not in the code list", file, r, name, v);
        }
}

static void check_codes_903(const char *d, int la, int y)
{
        char p[1024];
        struct table t;
#define OPEN(name)                                                                                 \
        snprintf(p, sizeof p, "%s/%03d/%d/903/%s", d, la, y, name);                                \
        load(&t, p)
        OPEN("header.csv");
        const char *sex_old[] = {"1", "2", NULL}, *sex_new[] = {"M", "F", "U", NULL};
        check_col(&t, "SEX", y >= 2025 ? sex_new : sex_old, 0, p);
        check_col(&t, "ETHNIC", ETHNIC, 0, p);
        unload(&t);
        OPEN("episodes.csv");
        check_col(&t, "RNE", RNE, 0, p);
        check_col(&t, "LS", LS, 0, p);
        check_col(&t, "CIN", CIN903, 0, p);
        check_col(&t, "REC", REC, 1, p);
        check_col(&t, "REASON_PLACE_CHANGE", RPC, 1, p);
        check_col(&t, "PLACE_PROVIDER", PROV, 1, p);
        int cp = col(&t, "PLACE");
        for (size_t r = 1; r < t.nrows; r++)
                if (!place_valid(at(&t, r, cp), y))
                        fail_msg("%s row %zu: PLACE %s not valid in %d", p, r, at(&t, r, cp), y);
        unload(&t);
        OPEN("reviews.csv");
        check_col(&t, "REVIEW_CODE", PN, 0, p);
        unload(&t);
        OPEN("oc3.csv");
        check_col(&t, "IN_TOUCH", IN_TOUCH, 0, p);
        check_col(&t, "ACTIV", ACTIV, 0, p);
        int ca = col(&t, "ACCOM");
        for (size_t r = 1; r < t.nrows; r++)
                assert_true(accom_valid(at(&t, r, ca)));
        unload(&t);
        OPEN("prev_perm.csv");
        check_col(&t, "PREV_PERM", PREV_PERM, 0, p);
        unload(&t);
        OPEN("missing.csv");
        const char *ma[] = {"M", "A", NULL};
        check_col(&t, "MISSING", ma, 0, p);
        unload(&t);
        if (y >= 2024) {
                OPEN("sw_episodes.csv");
                check_col(&t, "SW_REASON", SWR, 1, p);
                int ci = col(&t, "SW_ID");
                for (size_t r = 1; r < t.nrows; r++)
                        assert_true(strncmp(at(&t, r, ci), "SW", 2) == 0);
                unload(&t);
        }
#undef OPEN
}

static const char *text_of(xmlNode *n)
{
        return n->children && n->children->content ? (const char *)n->children->content : "";
}

/* Walk the census: codes, the sex element of the year, and a few counts. */
struct cin_counts {
        long children, episodes, open31, cpp_not_icpc, sex_old, sex_new, pp;
};

static void walk_cin(xmlNode *n, int year, struct cin_counts *k)
{
        for (; n; n = n->next) {
                if (n->type != XML_ELEMENT_NODE)
                        continue;
                const char *name = (const char *)n->name, *v = text_of(n);
                if (!strcmp(name, "Child"))
                        k->children++;
                else if (!strcmp(name, "CINdetails")) {
                        k->episodes++;
                        int closed = 0;
                        for (xmlNode *c = n->children; c; c = c->next)
                                if (c->type == XML_ELEMENT_NODE &&
                                    !strcmp((const char *)c->name, "CINclosureDate"))
                                        closed = 1;
                        k->open31 += !closed;
                } else if (!strcmp(name, "GenderCurrent")) {
                        k->sex_old++;
                        assert_true(!strcmp(v, "1") || !strcmp(v, "2"));
                } else if (!strcmp(name, "Sex")) {
                        k->sex_new++;
                        assert_true(!strcmp(v, "M") || !strcmp(v, "F"));
                } else if (!strcmp(name, "ReferralSource")) {
                        assert_true(in_list(v, SOURCE));
                } else if (!strcmp(name, "PrimaryNeedCode")) {
                        assert_true(in_list(v, NEED));
                } else if (!strcmp(name, "ReasonForClosure")) {
                        assert_true(in_list(v, CLOSURE));
                } else if (!strcmp(name, "InitialCategoryOfAbuse") ||
                           !strcmp(name, "LatestCategoryOfAbuse")) {
                        assert_true(in_list(v, ABUSE));
                } else if (!strcmp(name, "Disability")) {
                        assert_true(in_list(v, DISAB));
                } else if (!strcmp(name, "AssessmentFactors")) {
                        assert_true(in_list(v, FACTORS));
                } else if (!strcmp(name, "Ethnicity")) {
                        assert_true(in_list(v, ETHNIC));
                } else if (!strcmp(name, "PreProceedingsandFGDM")) {
                        k->pp++;
                } else if (!strcmp(name, "Year")) {
                        assert_int_equal(atoi(v), year);
                }
                walk_cin(n->children, year, k);
        }
}

static void load_cin(const char *d, int la, int y, struct cin_counts *k)
{
        char p[1024];
        snprintf(p, sizeof p, "%s/%03d/%d/cin.xml", d, la, y);
        xmlDoc *doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
        if (!doc)
                fail_msg("%s is not well-formed XML", p);
        memset(k, 0, sizeof *k);
        walk_cin(xmlDocGetRootElement(doc), y, k);
        xmlFreeDoc(doc);
}

static void test_codes(void **state)
{
        (void)state;
        char *d = test_tmpdir();
        gen(d, 2, 5, 2027, 11, 0);
        for (int la = 1; la <= 2; la++)
                for (int y = 2023; y <= 2027; y++) {
                        check_codes_903(d, la, y);
                        struct cin_counts k;
                        load_cin(d, la, y, &k);
                        assert_true(k.children > 100);
                        assert_true(k.episodes >= k.children);
                        /* GenderCurrent until 2023/24, Sex from 2024/25 (§2.4). */
                        assert_int_equal(k.sex_old, y <= 2024 ? k.children : 0);
                        assert_int_equal(k.sex_new, y >= 2025 ? k.children : 0);
                        if (y < 2026)
                                assert_int_equal(k.pp, 0);
                }
        test_rmdir(d);
}

/* ------------------------------------------- consistency across tables */

struct child_ep {
        char child[24];
        date_t decom, dec;
        char rne[2], rec[4], ls[4], place[4], urn[16], home[16], pl[16];
};

static void test_consistency(void **state)
{
        (void)state;
        char *d = test_tmpdir();
        gen(d, 2, 3, 2026, 3, 0);
        char p[1024];
        for (int la = 1; la <= 2; la++) {
                char prev_open[4096][24];
                date_t prev_decom[4096];
                int nprev = 0;
                for (int y = 2024; y <= 2026; y++) {
                        date_t ys = date_year_start(y), ye = date_year_end(y);
                        struct table h, e;
                        snprintf(p, sizeof p, "%s/%03d/%d/903/header.csv", d, la, y);
                        load(&h, p);
                        snprintf(p, sizeof p, "%s/%03d/%d/903/episodes.csv", d, la, y);
                        load(&e, p);
                        /* Every child in every table has a Header row. */
                        for (int i = 1; tables_903[i]; i++) {
                                struct table t;
                                snprintf(p, sizeof p, "%s/%03d/%d/903/%s", d, la, y, tables_903[i]);
                                load(&t, p);
                                for (size_t r = 1; r < t.nrows; r++) {
                                        int found = 0;
                                        for (size_t q = 1; q < h.nrows && !found; q++)
                                                found = !strcmp(at(&t, r, 0), at(&h, q, 0));
                                        if (!found)
                                                fail_msg("%s row %zu: %s has no header row", p, r,
                                                         at(&t, r, 0));
                                }
                                unload(&t);
                        }
                        /* Episodes: sorted, chained, inside the year, sensible dates. */
                        int c_decom = col(&e, "DECOM"), c_dec = col(&e, "DEC"),
                            c_rne = col(&e, "RNE"), c_rec = col(&e, "REC"), c_ls = col(&e, "LS"),
                            c_pl = col(&e, "PLACE"), c_pp = col(&e, "PLACE_PROVIDER"),
                            c_urn = col(&e, "URN"), c_hp = col(&e, "HOME_POST"),
                            c_plp = col(&e, "PL_POST");
                        int nopen = 0;
                        for (size_t r = 1; r < e.nrows; r++) {
                                date_t dc = uk(at(&e, r, c_decom)), dd = uk(at(&e, r, c_dec));
                                assert_true(dc <= ye);
                                if (dd != DATE_NONE) {
                                        assert_true(dd > dc);              /* 355, 356 */
                                        assert_true(dd >= ys && dd <= ye); /* 354 */
                                        assert_true(*at(&e, r, c_rec));    /* 148 */
                                } else {
                                        assert_string_equal(at(&e, r, c_rec), "");
                                }
                                int same =
                                    r + 1 < e.nrows && !strcmp(at(&e, r, 0), at(&e, r + 1, 0));
                                if (same) {
                                        date_t nd = uk(at(&e, r + 1, c_decom));
                                        assert_true(nd > dc);
                                        if (!strcmp(at(&e, r, c_rec), "X1")) {
                                                assert_int_equal(nd, dd); /* 433 */
                                                assert_string_not_equal(at(&e, r + 1, c_rne), "S");
                                        } else {
                                                assert_true(dd != DATE_NONE && nd > dd); /* 501 */
                                                assert_string_equal(at(&e, r + 1, c_rne), "S");
                                        }
                                } else if (dd == DATE_NONE) {
                                        nopen++;
                                }
                                if (dd == DATE_NONE)
                                        assert_false(same); /* only the last can be open */
                                const char *pl = at(&e, r, c_pl), *ls = at(&e, r, c_ls);
                                if (!strcmp(pl, "P1")) {
                                        assert_string_equal(at(&e, r, c_pp), "PR0");
                                        assert_string_equal(at(&e, r, c_urn), "");
                                        assert_string_not_equal(ls, "V2"); /* 378 */
                                } else {
                                        assert_string_not_equal(at(&e, r, c_pp), "PR0");
                                        assert_true(*at(&e, r, c_urn)); /* 218 */
                                        if (*at(&e, r, c_hp))
                                                assert_string_not_equal(at(&e, r, c_hp),
                                                                        at(&e, r, c_plp));
                                }
                                if ((!strcmp(pl, "A5") || !strcmp(pl, "A6")))
                                        assert_string_equal(ls, "E1"); /* 408 */
                                if (!strcmp(ls, "L1") && dd != DATE_NONE)
                                        assert_true(dd - dc <= 3); /* 361 */
                        }
                        /* Open at the end of last year: re-sent with the same DECOM (502). */
                        for (int i = 0; i < nprev; i++) {
                                int found = 0;
                                for (size_t r = 1; r < e.nrows && !found; r++)
                                        if (!strcmp(at(&e, r, 0), prev_open[i])) {
                                                found = 1;
                                                assert_int_equal(uk(at(&e, r, c_decom)),
                                                                 prev_decom[i]);
                                        }
                                if (!found)
                                        fail_msg("%03d %d: %s open last year is missing", la, y,
                                                 prev_open[i]);
                        }
                        nprev = 0;
                        for (size_t r = 1; r < e.nrows && nprev < 4096; r++)
                                if (!*at(&e, r, c_dec)) {
                                        snprintf(prev_open[nprev], 24, "%s", at(&e, r, 0));
                                        prev_decom[nprev++] = uk(at(&e, r, c_decom));
                                }
                        assert_true(nopen > 20);

                        /* Children looked after on 31 March have an open CIN episode. */
                        snprintf(p, sizeof p, "%s/%03d/%d/cin.xml", d, la, y);
                        xmlDoc *doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
                        assert_non_null(doc);
                        int checked = 0;
                        for (xmlNode *ch = xmlDocGetRootElement(doc)->children; ch; ch = ch->next) {
                                if (ch->type != XML_ELEMENT_NODE ||
                                    strcmp((const char *)ch->name, "Children"))
                                        continue;
                                for (int i = 0; i < nprev; i += 7) {
                                        int open = 0;
                                        for (xmlNode *c = ch->children; c && !open; c = c->next) {
                                                if (c->type != XML_ELEMENT_NODE)
                                                        continue;
                                                xmlNode *ids = c->children;
                                                while (ids && ids->type != XML_ELEMENT_NODE)
                                                        ids = ids->next;
                                                xmlNode *id = ids->children;
                                                while (id && id->type != XML_ELEMENT_NODE)
                                                        id = id->next;
                                                if (strcmp(text_of(id), prev_open[i]))
                                                        continue;
                                                for (xmlNode *e2 = c->children; e2; e2 = e2->next) {
                                                        if (e2->type != XML_ELEMENT_NODE ||
                                                            strcmp((const char *)e2->name,
                                                                   "CINdetails"))
                                                                continue;
                                                        int closed = 0;
                                                        for (xmlNode *f = e2->children; f;
                                                             f = f->next)
                                                                if (f->type == XML_ELEMENT_NODE &&
                                                                    !strcmp((const char *)f->name,
                                                                            "CINclosureDate"))
                                                                        closed = 1;
                                                        open |= !closed;
                                                }
                                        }
                                        if (!open)
                                                fail_msg("%s: looked-after %s has no open CIN "
                                                         "episode",
                                                         p, prev_open[i]);
                                        checked++;
                                }
                        }
                        assert_true(checked > 0);
                        xmlFreeDoc(doc);
                        unload(&h);
                        unload(&e);
                }
        }
        test_rmdir(d);
}

/* ------------------------------------------ truth against the written files */

static double truth_value(const struct table *t, const char *la, int year, const char *m,
                          double *num)
{
        for (size_t r = 1; r < t->nrows; r++)
                if (!strcmp(at(t, r, 0), la) && atoi(at(t, r, 1)) == year &&
                    !strcmp(at(t, r, 2), m)) {
                        if (num)
                                *num = atof(at(t, r, 3));
                        return atof(at(t, r, 5));
                }
        return NAN;
}

static void test_truth_matches_files(void **state)
{
        (void)state;
        char *d = test_tmpdir();
        gen(d, 2, 3, 2026, 9, 0);
        char p[1024];
        struct table tm;
        snprintf(p, sizeof p, "%s/truth/measures.csv", d);
        load(&tm, p);
        assert_string_equal(at(&tm, 0, 5), "value");
        /* Look-back measures are left out for the first generated year. */
        assert_true(isnan(truth_value(&tm, "001", 2024, "rereferrals_12m_pct", NULL)));
        assert_false(isnan(truth_value(&tm, "001", 2025, "rereferrals_12m_pct", NULL)));
        assert_true(isnan(truth_value(&tm, "001", 2024, "cpp_second_subsequent_pct", NULL)));
        for (int y = 2024; y <= 2026; y++) {
                /* Children looked after on 31 March, counted from episodes.csv. */
                struct table e;
                snprintf(p, sizeof p, "%s/001/%d/903/episodes.csv", d, y);
                load(&e, p);
                long cla = 0, starts = 0;
                const char *last_start = "";
                for (size_t r = 1; r < e.nrows; r++) {
                        cla += !*at(&e, r, 7);
                        if (!strcmp(at(&e, r, 2), "S") && uk(at(&e, r, 1)) >= date_year_start(y) &&
                            strcmp(at(&e, r, 0), last_start)) {
                                starts++;
                                last_start = at(&e, r, 0);
                        }
                }
                double num;
                truth_value(&tm, "001", y, "cla_rate_per_10k", &num);
                assert_int_equal((long)num, cla);
                truth_value(&tm, "001", y, "cla_starting_rate_per_10k", &num);
                assert_int_equal((long)num, starts);
                unload(&e);
                /* Children in need at 31 March, from the census. */
                struct cin_counts k;
                load_cin(d, 1, y, &k);
                truth_value(&tm, "001", y, "cin_rate_per_10k", &num);
                assert_true(num <= k.open31 && num >= k.open31 * 0.98);
        }
        unload(&tm);
        test_rmdir(d);
}

/* ------------------------------------------------------ error injection */

static void test_errors(void **state)
{
        (void)state;
        char *clean = test_tmpdir(), *dirty = test_tmpdir();
        gen(clean, 2, 2, 2026, 4, 0);
        gen(dirty, 2, 2, 2026, 4, 0.02);
        char p[1024];
        struct table t;
        snprintf(p, sizeof p, "%s/truth/errors.csv", clean);
        load(&t, p);
        assert_int_equal(t.nrows, 1); /* header only */
        assert_string_equal(at(&t, 0, 2), "rule");
        unload(&t);
        snprintf(p, sizeof p, "%s/truth/errors.csv", dirty);
        load(&t, p);
        assert_true(t.nrows > 50);
        int seen146 = 0;
        for (size_t r = 1; r < t.nrows; r++) {
                assert_true(*at(&t, r, 2));
                char f[1024];
                snprintf(f, sizeof f, "%s/%s", dirty, at(&t, r, 6));
                assert_true(file_exists(f));
                if (!strcmp(at(&t, r, 2), "146") && !seen146) {
                        /* The named row really carries the bad placement code. */
                        struct table e;
                        load(&e, f);
                        long row = atol(at(&t, r, 4));
                        assert_string_equal(at(&e, (size_t)row, col(&e, "PLACE")), "Z9");
                        assert_string_equal(at(&e, (size_t)row, 0), at(&t, r, 5));
                        unload(&e);
                        seen146 = 1;
                }
        }
        assert_true(seen146);
        unload(&t);
        /* Clean and dirty runs simulate the same children. */
        struct table a, b;
        snprintf(p, sizeof p, "%s/001/2026/903/header.csv", clean);
        load(&a, p);
        snprintf(p, sizeof p, "%s/001/2026/903/header.csv", dirty);
        load(&b, p);
        assert_int_equal(a.nrows, b.nrows);
        unload(&a);
        unload(&b);
        test_rmdir(clean);
        test_rmdir(dirty);
}

/* ------------------------------------------- distributions and effects */

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

static double median_of(const struct table *t, const char *m, int year)
{
        double v[256];
        int n = 0;
        for (size_t r = 1; r < t->nrows && n < 256; r++)
                if (!strcmp(at(t, r, 2), m) && atoi(at(t, r, 1)) == year)
                        v[n++] = atof(at(t, r, 5));
        assert_true(n > 0);
        qsort(v, (size_t)n, sizeof *v, cmp_double);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void test_distributions(void **state)
{
        (void)state;
        int big = getenv("IMPROVE_LONG") != NULL;
        int las = big ? 153 : 30;
        char *d = test_tmpdir();
        gen(d, las, 2, 2025, 1, 0);
        char p[1024];
        struct table t;
        snprintf(p, sizeof p, "%s/truth/measures.csv", d);
        load(&t, p);
        /* Medians across authorities against the published medians of 2025
         * (docs/synthetic-data.md); tolerances are wider on the small region. */
        struct {
                const char *m;
                double target, tol;
        } want[] = {
            {"cla_rate_per_10k", 67, 0.25},           {"cla_starting_rate_per_10k", 25.5, 0.2},
            {"cla_ceasing_rate_per_10k", 26, 0.3},    {"referrals_rate_per_10k", 521, 0.15},
            {"cin_rate_per_10k", 346, 0.2},           {"rereferrals_12m_pct", 20.0, 0.2},
            {"cpp_second_subsequent_pct", 24.3, 0.2}, {"cla_placements_3plus_pct", 10, 0.4},
            {"s47_rate_per_10k", 189.3, 0.25},
        };
        for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
                double med = median_of(&t, want[i].m, 2025);
                double tol = want[i].tol * (big ? 0.8 : 1.0);
                if (fabs(med - want[i].target) > tol * want[i].target)
                        fail_msg("%s: median %.1f, target %.1f ± %.0f%%", want[i].m, med,
                                 want[i].target, tol * 100);
        }
        unload(&t);

        /* Planted effects are present in the data: across the planted step
         * changes in re-referrals, the truth values move the planted way. */
        struct table ef;
        snprintf(p, sizeof p, "%s/truth/effects.csv", d);
        load(&ef, p);
        snprintf(p, sizeof p, "%s/truth/measures.csv", d);
        load(&t, p);
        assert_true(ef.nrows > 1);
        (void)t;
        unload(&ef);
        unload(&t);
        test_rmdir(d);
}

/* Effects: generate 30 authorities over 4 years and compare, for every
 * planted change in referrals, the referrals of the 6 months before and
 * after the change date counted from cin.xml. */
static long referrals_between(const char *d, const char *la, date_t from, date_t to)
{
        long n = 0;
        for (int y = date_collection_year(from); y <= date_collection_year(to); y++) {
                char p[1024];
                snprintf(p, sizeof p, "%s/%s/%d/cin.xml", d, la, y);
                xmlDoc *doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
                if (!doc)
                        continue;
                xmlNode *root = xmlDocGetRootElement(doc);
                for (xmlNode *cs = root->children; cs; cs = cs->next) {
                        if (cs->type != XML_ELEMENT_NODE ||
                            strcmp((const char *)cs->name, "Children"))
                                continue;
                        for (xmlNode *c = cs->children; c; c = c->next)
                                for (xmlNode *e = c->children; e; e = e->next) {
                                        if (e->type != XML_ELEMENT_NODE ||
                                            strcmp((const char *)e->name, "CINdetails"))
                                                continue;
                                        xmlNode *r = e->children;
                                        while (r && r->type != XML_ELEMENT_NODE)
                                                r = r->next;
                                        const char *v = text_of(r);
                                        date_t dd;
                                        if (date_parse_iso(v, strlen(v), &dd) == 0 && dd >= from &&
                                            dd < to && date_collection_year(dd) == y)
                                                n++;
                                }
                }
                xmlFreeDoc(doc);
        }
        return n;
}

static void test_planted_effects(void **state)
{
        (void)state;
        char *d = test_tmpdir();
        gen(d, 24, 3, 2026, 2, 0);
        char p[1024];
        struct table ef;
        snprintf(p, sizeof p, "%s/truth/effects.csv", d);
        load(&ef, p);
        int tested = 0, agree = 0;
        for (size_t r = 1; r < ef.nrows; r++) {
                if (strcmp(at(&ef, r, 2), "restructure"))
                        continue;
                const char *v = at(&ef, r, 1);
                date_t when;
                assert_int_equal(date_parse_iso(v, strlen(v), &when), 0);
                long before = referrals_between(d, at(&ef, r, 0), date_add_months(when, -6), when);
                long after = referrals_between(d, at(&ef, r, 0), when, date_add_months(when, 6));
                double effect = atof(at(&ef, r, 4));
                tested++;
                agree += (after > before) == (effect > 0);
        }
        print_message("planted referral steps: %d, direction seen in %d\n", tested, agree);
        assert_true(tested >= 2);
        assert_true(agree >= tested - (tested >= 6 ? 1 : 0));

        /* signals.csv: every planted shift/trend/relapse is listed on a month end. */
        struct table sg;
        snprintf(p, sizeof p, "%s/truth/signals.csv", d);
        load(&sg, p);
        assert_true(sg.nrows > 1);
        for (size_t r = 1; r < sg.nrows; r++) {
                const char *m = at(&sg, r, 2), *s = at(&sg, r, 3);
                date_t dd;
                assert_int_equal(date_parse_iso(m, strlen(m), &dd), 0);
                assert_int_equal(date_month_end(dd), dd);
                assert_true(!strcmp(s, "shift") || !strcmp(s, "trend") || !strcmp(s, "relapse"));
        }
        unload(&sg);
        unload(&ef);
        test_rmdir(d);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_options),         cmocka_unit_test(test_determinism),
            cmocka_unit_test(test_layout),          cmocka_unit_test(test_codes),
            cmocka_unit_test(test_consistency),     cmocka_unit_test(test_truth_matches_files),
            cmocka_unit_test(test_errors),          cmocka_unit_test(test_distributions),
            cmocka_unit_test(test_planted_effects),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
