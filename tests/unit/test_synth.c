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
        return n && n->children && n->children->content ? (const char *)n->children->content : "";
}

/* The text of n's first child element called `name`, or NULL. */
static const char *child_text(xmlNode *n, const char *name)
{
        for (xmlNode *c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
                        return text_of(c);
        return NULL;
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
                                                assert_non_null(ids);
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

/* The census's elements of the tables truth/errors.csv names, in document order: the
 * element a truth row names is number `row` of its table. */
struct census_index {
        xmlNode **v[3];
        long n[3], cap[3];
};
static const char *const census_tables[] = {"CINdetails", "ChildIdentifiers",
                                            "ChildCharacteristics", NULL};

static void index_census(xmlNode *n, struct census_index *ix)
{
        for (; n; n = n->next) {
                if (n->type != XML_ELEMENT_NODE)
                        continue;
                for (int t = 0; census_tables[t]; t++) {
                        if (strcmp((const char *)n->name, census_tables[t]))
                                continue;
                        if (ix->n[t] == ix->cap[t]) {
                                ix->cap[t] = ix->cap[t] ? 2 * ix->cap[t] : 1024;
                                ix->v[t] =
                                    realloc(ix->v[t], (size_t)ix->cap[t] * sizeof(xmlNode *));
                                assert_non_null(ix->v[t]);
                        }
                        ix->v[t][ix->n[t]++] = n;
                }
                index_census(n->children, ix);
        }
}

static xmlNode *census_row(const struct census_index *ix, const char *table, long row)
{
        for (int t = 0; census_tables[t]; t++)
                if (!strcmp(table, census_tables[t])) {
                        if (row < 1 || row > ix->n[t])
                                fail_msg("no %s number %ld", table, row);
                        return ix->v[t][row - 1];
                }
        fail_msg("%s is not a census table", table);
        return NULL;
}

static void census_index_free(struct census_index *ix)
{
        for (int t = 0; t < 3; t++)
                free(ix->v[t]);
        memset(ix, 0, sizeof *ix);
}

/* The LAchildID of the Child element holding n. */
static const char *child_of(xmlNode *n)
{
        while (n && strcmp((const char *)n->name, "Child"))
                n = n->parent;
        assert_non_null(n);
        xmlNode *ids = n->children;
        while (ids && (ids->type != XML_ELEMENT_NODE ||
                       strcmp((const char *)ids->name, "ChildIdentifiers")))
                ids = ids->next;
        assert_non_null(ids);
        return child_text(ids, "LAchildID");
}

static void test_errors(void **state)
{
        (void)state;
        char *clean = test_tmpdir(), *dirty = test_tmpdir();
        gen(clean, 2, 2, 2026, 4, 0);
        gen(dirty, 2, 2, 2026, 4, 0.05);
        char p[1024];
        struct table t;
        snprintf(p, sizeof p, "%s/truth/errors.csv", clean);
        load(&t, p);
        assert_int_equal(t.nrows, 1); /* header only */
        assert_string_equal(at(&t, 0, 2), "rule");
        unload(&t);
        snprintf(p, sizeof p, "%s/truth/errors.csv", dirty);
        load(&t, p);
        assert_true(t.nrows > 200);
        static const char *const tables[] = {"Header",
                                             "Episodes",
                                             "Reviews",
                                             "UASC",
                                             "OC3",
                                             "PlacedAdoption",
                                             "Missing",
                                             "CINdetails",
                                             "ChildIdentifiers",
                                             "ChildCharacteristics",
                                             NULL};
        static const char *const census_rules[] = {"8866", "8650", "8640", "4220", "1540", NULL};
        int checked[6] = {0}; /* 146, 501, 8640, 4220, 1540, 8650 */
        xmlDoc *doc = NULL;
        struct census_index ix = {0};
        char doc_path[1024] = "";
        for (size_t r = 1; r < t.nrows; r++) {
                const char *rule = at(&t, r, 2), *table = at(&t, r, 3), *child = at(&t, r, 5);
                long row = atol(at(&t, r, 4));
                assert_true(row >= 1);
                if (!in_list(table, tables))
                        fail_msg("truth row %zu: table %s is not a DfE table name", r, table);
                char f[1024];
                snprintf(f, sizeof f, "%s/%s", dirty, at(&t, r, 6));
                assert_true(file_exists(f));
                if (in_list(rule, census_rules)) {
                        /* The named element of the census carries the mistake.  A census's
                         * rows are together in the truth file: each is read once. */
                        if (strcmp(f, doc_path)) {
                                if (doc)
                                        xmlFreeDoc(doc);
                                census_index_free(&ix);
                                doc = xmlReadFile(f, NULL, XML_PARSE_NONET);
                                assert_non_null(doc);
                                index_census(xmlDocGetRootElement(doc), &ix);
                                snprintf(doc_path, sizeof doc_path, "%s", f);
                        }
                        xmlNode *n = census_row(&ix, table, row);
                        assert_string_equal(child_of(n), child);
                        if (!strcmp(rule, "8640")) {
                                assert_string_equal(child_text(n, "ReasonForClosure"), "RC10");
                                checked[2]++;
                        } else if (!strcmp(rule, "8650")) {
                                assert_false(in_list(child_text(n, "PrimaryNeedCode"), NEED));
                                checked[5]++;
                        } else if (!strcmp(rule, "4220")) {
                                assert_false(in_list(child_text(n, "Ethnicity"), ETHNIC));
                                checked[3]++;
                        } else if (!strcmp(rule, "1540")) {
                                const char *upn = child_text(n, "UPN");
                                int digits = 1;
                                for (int i = 4; i < 12; i++)
                                        digits &= upn[i] >= '0' && upn[i] <= '9';
                                assert_false(digits);
                                checked[4]++;
                        }
                        continue;
                }
                if (!strcmp(rule, "146") || !strcmp(rule, "501")) {
                        /* The named row really carries the bad placement code, or starts
                         * before the child's episode before it ended. */
                        struct table e;
                        load(&e, f);
                        assert_string_equal(at(&e, (size_t)row, 0), child);
                        if (!strcmp(rule, "146")) {
                                assert_string_equal(at(&e, (size_t)row, col(&e, "PLACE")), "Z9");
                                checked[0]++;
                        } else {
                                assert_string_equal(at(&e, (size_t)row - 1, 0), child);
                                assert_true(uk(at(&e, (size_t)row, 1)) <
                                            uk(at(&e, (size_t)row - 1, 7)));
                                checked[1]++;
                        }
                        unload(&e);
                }
        }
        if (doc)
                xmlFreeDoc(doc);
        census_index_free(&ix);
        for (int i = 0; i < 6; i++)
                if (!checked[i])
                        fail_msg("mistake %d of the checked kinds was never injected", i);
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

/* ------------------------------------ what the validation rules expect */

static void load903(struct table *t, const char *d, int la, int y, const char *name)
{
        char p[1024];
        snprintf(p, sizeof p, "%s/%03d/%d/903/%s", d, la, y, name);
        if (load(t, p) < 0)
                fail_msg("cannot read %s", p);
}

/* The nth birthday, 29 February falling on 1 March in a common year (as date_age counts). */
static date_t nth_birthday(date_t dob, int n)
{
        int y, m, dd;
        date_to_ymd(dob, &y, &m, &dd);
        if (m == 2 && dd == 29 && !date_ymd_valid(y + n, 2, 29))
                return date_from_ymd(y + n, 3, 1);
        return date_from_ymd(y + n, m, dd);
}

/* The latest day a DATE_PERM text can stand for: "dd/mm/YYYY" with ZZ for an unknown day or
 * month.  Fails the test on any other form. */
static date_t perm_latest_date(const char *s)
{
        int dd = 0, m = 0, y = 0;
        char a[3], b[3];
        if (strlen(s) != 10 || s[2] != '/' || s[5] != '/' || sscanf(s + 6, "%4d", &y) != 1)
                fail_msg("DATE_PERM '%s' is not dd/mm/YYYY", s);
        memcpy(a, s, 2);
        memcpy(b, s + 3, 2);
        a[2] = b[2] = 0;
        if (strcmp(b, "ZZ") == 0) {
                assert_string_equal(a, "ZZ"); /* no known day in an unknown month */
                return date_from_ymd(y, 12, 31);
        }
        m = atoi(b);
        assert_true(m >= 1 && m <= 12);
        if (strcmp(a, "ZZ") == 0)
                return date_from_ymd(y, m, date_days_in_month(y, m));
        dd = atoi(a);
        assert_true(date_ymd_valid(y, m, dd));
        return date_from_ymd(y, m, dd);
}

/* The child's rows in a 903 table (column 0 is CHILD), first row index and count. */
static size_t rows_of(const struct table *t, const char *child, size_t *first)
{
        size_t n = 0;
        *first = 0;
        for (size_t r = 1; r < t->nrows; r++)
                if (!strcmp(at(t, r, 0), child)) {
                        if (n++ == 0)
                                *first = r;
                }
        return n;
}

/* PrevPerm (630, 632, 633, 635): every option but Z1 carries an authority and a date before
 * the child's first episode; every child starting care in the year has a row. */
static void test_prev_perm(void **state)
{
        (void)state;
        char *d = test_tmpdir();
        gen(d, 2, 3, 2026, 6, 0);
        static const char *const la_perm[] = {"999", "WAL", "SCO", "NIR", "NUK", NULL};
        int options = 0, starts = 0;
        for (int la = 1; la <= 2; la++)
                for (int y = 2024; y <= 2026; y++) {
                        struct table pp, e;
                        load903(&pp, d, la, y, "prev_perm.csv");
                        load903(&e, d, la, y, "episodes.csv");
                        int c_pp = col(&pp, "PREV_PERM"), c_la = col(&pp, "LA_PERM"),
                            c_dp = col(&pp, "DATE_PERM"), c_dob = col(&pp, "DOB");
                        for (size_t r = 1; r < pp.nrows; r++) {
                                if (!strcmp(at(&pp, r, c_pp), "Z1")) {
                                        assert_string_equal(at(&pp, r, c_la), "");
                                        assert_string_equal(at(&pp, r, c_dp), "");
                                        continue;
                                }
                                options++;
                                if (!in_list(at(&pp, r, c_la), la_perm))
                                        fail_msg("LA_PERM '%s'", at(&pp, r, c_la));
                                date_t latest = perm_latest_date(at(&pp, r, c_dp));
                                size_t f;
                                assert_true(rows_of(&e, at(&pp, r, 0), &f) > 0);
                                assert_true(latest < uk(at(&e, f, col(&e, "DECOM"))));
                                assert_true(latest > uk(at(&pp, r, c_dob)));
                        }
                        for (size_t r = 1; r < e.nrows; r++) {
                                if (strcmp(at(&e, r, col(&e, "RNE")), "S") ||
                                    uk(at(&e, r, 1)) < date_year_start(y))
                                        continue;
                                size_t f;
                                starts++;
                                if (rows_of(&pp, at(&e, r, 0), &f) != 1)
                                        fail_msg("%s starts care in %d without a PrevPerm row",
                                                 at(&e, r, 0), y);
                        }
                        unload(&pp);
                        unload(&e);
                }
        print_message("previous permanence options: %d; starts: %d\n", options, starts);
        assert_true(options >= 10);
        assert_true(starts >= 100);
        test_rmdir(d);
}

/* PlacedAdoption (118, 559, 561, 584): a reversed decision is sent in the year it was reversed
 * and never again; an open one is re-sent with its date. */
static void test_placed_adoption(void **state)
{
        (void)state;
        char *d = test_tmpdir();
        gen(d, 3, 4, 2026, 8, 0);
        int reversed = 0, carried = 0;
        for (int la = 1; la <= 3; la++) {
                struct table last = {0};
                for (int y = 2023; y <= 2026; y++) {
                        struct table pa;
                        load903(&pa, d, la, y, "placed_adoption.csv");
                        int c_dp = col(&pa, "DATE_PLACED"), c_ce = col(&pa, "DATE_PLACED_CEASED"),
                            c_rs = col(&pa, "REASON_PLACED_CEASED");
                        for (size_t r = 1; r < pa.nrows; r++) {
                                date_t placed = uk(at(&pa, r, c_dp)), ce = uk(at(&pa, r, c_ce));
                                assert_true(placed <= date_year_end(y));
                                assert_int_equal(ce == DATE_NONE, !*at(&pa, r, c_rs));
                                if (ce != DATE_NONE) {
                                        reversed++;
                                        assert_true(ce >= date_year_start(y) && ce > placed);
                                }
                                if (placed >= date_year_start(y) || !last.nrows)
                                        continue;
                                /* Decided before this year: last year's return said so. */
                                size_t f;
                                if (!rows_of(&last, at(&pa, r, 0), &f))
                                        fail_msg(
                                            "%03d %d: %s decided %s, not in last year's return", la,
                                            y, at(&pa, r, 0), at(&pa, r, c_dp));
                                assert_string_equal(at(&last, f, c_dp), at(&pa, r, c_dp));
                                assert_string_equal(at(&last, f, c_ce), "");
                                carried++;
                        }
                        if (last.nrows)
                                unload(&last);
                        last = pa;
                }
                unload(&last);
        }
        print_message("reversed decisions: %d; carried over: %d\n", reversed, carried);
        assert_true(reversed >= 2);
        assert_true(carried >= 10);
        test_rmdir(d);
}

/* SWEpisodes (SW10, SW11a, SW12): each child's social worker episodes follow on from each
 * other, the latest open, also for a child who left care and came back in the year. */
static void test_sw_chain(void **state)
{
        (void)state;
        char *d = test_tmpdir();
        gen(d, 3, 3, 2026, 10, 0);
        int children = 0, returned = 0;
        for (int la = 1; la <= 3; la++)
                for (int y = 2024; y <= 2026; y++) {
                        struct table sw, e;
                        load903(&sw, d, la, y, "sw_episodes.csv");
                        load903(&e, d, la, y, "episodes.csv");
                        int c_s = col(&sw, "SW_DECOM"), c_e = col(&sw, "SW_DEC");
                        int c_rec = col(&e, "REC");
                        for (size_t r = 1; r < sw.nrows; r++) {
                                int next_same =
                                    r + 1 < sw.nrows && !strcmp(at(&sw, r, 0), at(&sw, r + 1, 0));
                                if (!next_same) {
                                        assert_string_equal(at(&sw, r, c_e), ""); /* SW17 */
                                        continue;
                                }
                                /* The next one starts the day this one ends (SW10). */
                                if (strcmp(at(&sw, r, c_e), at(&sw, r + 1, c_s)))
                                        fail_msg("%03d %d %s: episode ends %s, next starts %s", la,
                                                 y, at(&sw, r, 0), at(&sw, r, c_e),
                                                 at(&sw, r + 1, c_s));
                        }
                        for (size_t r = 1; r < sw.nrows; r++) {
                                if (r > 1 && !strcmp(at(&sw, r, 0), at(&sw, r - 1, 0)))
                                        continue;
                                children++;
                                size_t f, n = rows_of(&e, at(&sw, r, 0), &f);
                                int left = 0;
                                for (size_t i = f; i < f + n; i++)
                                        left |= *at(&e, i, c_rec) && strcmp(at(&e, i, c_rec), "X1");
                                returned += left;
                        }
                        unload(&sw);
                        unload(&e);
                }
        /* Coming back into care within a year is rare: counted, not required. */
        print_message("children with social worker episodes: %d; back in care in the year: %d\n",
                      children, returned);
        assert_true(children >= 300);
        test_rmdir(d);
}

/* The census's open assessments and enquiries at 31 March (8670Q, 8675Q), its conference
 * dates (8875), in 2023/24, whose 31 March is Easter Sunday after Good Friday, and CIN plans
 * ending before the 18th birthday (8775Q). */
struct open_work {
        date_t ye, adult; /* adult: the current child's 18th birthday */
        long assessments, enquiries, conferences, plans;
};

static int working_days_to(date_t start, date_t ye)
{
        int n;
        struct err e = {0};
        assert_int_equal(date_working_days(start - 1, ye, &n, &e), 0); /* both ends in */
        return n;
}

static void walk_open(xmlNode *n, struct open_work *w)
{
        for (; n; n = n->next) {
                if (n->type != XML_ELEMENT_NODE)
                        continue;
                const char *name = (const char *)n->name;
                date_t dd;
                if (!strcmp(name, "ChildIdentifiers")) {
                        const char *b = child_text(n, "PersonBirthDate");
                        assert_int_equal(date_parse_iso(b, strlen(b), &dd), 0);
                        w->adult = nth_birthday(dd, 18);
                } else if (!strcmp(name, "CINPlanDates")) {
                        /* Plans for a child in need end before the 18th birthday. */
                        const char *e = child_text(n, "CINPlanEndDate");
                        dd = w->ye;
                        if (e)
                                assert_int_equal(date_parse_iso(e, strlen(e), &dd), 0);
                        if (dd >= w->adult)
                                fail_msg("CIN plan from %s open on or after the 18th birthday",
                                         child_text(n, "CINPlanStartDate"));
                        w->plans++;
                } else if (!strcmp(name, "Assessments") &&
                           !child_text(n, "AssessmentAuthorisationDate")) {
                        const char *s = child_text(n, "AssessmentActualStartDate");
                        assert_int_equal(date_parse_iso(s, strlen(s), &dd), 0);
                        if (working_days_to(dd, w->ye) > 45)
                                fail_msg("assessment open since %s at 31 March", s);
                        w->assessments++;
                } else if (!strcmp(name, "Section47")) {
                        const char *icpc = child_text(n, "DateOfInitialCPC");
                        const char *s = child_text(n, "S47ActualStartDate");
                        if (icpc) {
                                bool bh;
                                assert_int_equal(date_parse_iso(icpc, strlen(icpc), &dd), 0);
                                assert_int_equal(date_is_bank_holiday(dd, &bh, NULL), 0);
                                assert_false(bh || date_weekday(dd) >= 5);
                                w->conferences++;
                        } else if (!strcmp(child_text(n, "ICPCnotRequired"), "false")) {
                                assert_int_equal(date_parse_iso(s, strlen(s), &dd), 0);
                                if (working_days_to(dd, w->ye) > 15)
                                        fail_msg("enquiry open since %s at 31 March", s);
                                w->enquiries++;
                        }
                }
                walk_open(n->children, w);
        }
}

static void test_census_year_end(void **state)
{
        (void)state;
        char *d = test_tmpdir();
        gen(d, 3, 2, 2024, 12, 0);
        struct open_work w = {0};
        for (int la = 1; la <= 3; la++)
                for (int y = 2023; y <= 2024; y++) {
                        char p[1024];
                        snprintf(p, sizeof p, "%s/%03d/%d/cin.xml", d, la, y);
                        xmlDoc *doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
                        assert_non_null(doc);
                        w.ye = date_year_end(y);
                        walk_open(xmlDocGetRootElement(doc), &w);
                        xmlFreeDoc(doc);
                }
        print_message("open at 31 March: %ld assessments, %ld enquiries; %ld conferences\n",
                      w.assessments, w.enquiries, w.conferences);
        assert_true(w.assessments >= 20);
        assert_true(w.enquiries >= 1);
        assert_true(w.conferences >= 100);
        assert_true(w.plans >= 100);
        test_rmdir(d);
}

/* OC3 (1001, 1007) and item 3 of the validation work: care leavers left care after their 16th
 * birthday and are not looked after on the birthday they are followed up on; a young person
 * who left care on their 18th birthday is followed up at 18. */
static void test_care_leavers(void **state)
{
        (void)state;
        char *d = test_tmpdir();
        gen(d, 3, 3, 2026, 14, 0);
        int rows = 0, on18 = 0;
        for (int la = 1; la <= 3; la++)
                for (int y = 2025; y <= 2026; y++) {
                        struct table oc, e[2];
                        load903(&oc, d, la, y, "oc3.csv");
                        load903(&e[0], d, la, y, "episodes.csv");
                        load903(&e[1], d, la, y - 1, "episodes.csv");
                        for (size_t r = 1; r < oc.nrows; r++) {
                                const char *child = at(&oc, r, 0);
                                date_t dob = uk(at(&oc, r, 1));
                                int age = date_age(dob, date_year_end(y));
                                date_t bday = nth_birthday(dob, age);
                                assert_true(age >= 17 && age <= 21);
                                assert_true(bday >= date_year_start(y));
                                date_t left = DATE_NONE;
                                for (int k = 0; k < 2; k++) {
                                        size_t f, n = rows_of(&e[k], child, &f);
                                        for (size_t i = f; i < f + n; i++) {
                                                date_t dc = uk(at(&e[k], i, 1));
                                                date_t dd = uk(at(&e[k], i, 7));
                                                /* Open last year: this year's copy ends it. */
                                                if (k == 1 && dd == DATE_NONE)
                                                        continue;
                                                /* 1007: not looked after on the birthday. */
                                                assert_false(dc <= bday &&
                                                             (dd == DATE_NONE || dd > bday));
                                                if (dd != DATE_NONE &&
                                                    strcmp(at(&e[k], i, 8), "X1") &&
                                                    (left == DATE_NONE || dd > left))
                                                        left = dd;
                                        }
                                }
                                rows++;
                                if (left == DATE_NONE)
                                        continue; /* left before last year */
                                assert_true(left > nth_birthday(dob, 16)); /* 1001 */
                                on18 += age == 18 && left == bday;
                        }
                        unload(&oc);
                        unload(&e[0]);
                        unload(&e[1]);
                }
        print_message("OC3 rows: %d; left care on their 18th birthday: %d\n", rows, on18);
        assert_true(rows >= 50);
        assert_true(on18 >= 5);
        test_rmdir(d);
}

/* Missing (575) and placements (392d): a missing period lies inside one placement, and only
 * placements with parents share the home postcode. */
static void test_missing_and_postcodes(void **state)
{
        (void)state;
        char *d = test_tmpdir();
        gen(d, 3, 3, 2026, 16, 0);
        int periods = 0;
        for (int la = 1; la <= 3; la++)
                for (int y = 2024; y <= 2026; y++) {
                        struct table m, e;
                        load903(&m, d, la, y, "missing.csv");
                        load903(&e, d, la, y, "episodes.csv");
                        int c_s = col(&m, "MIS_START"), c_e = col(&m, "MIS_END");
                        for (size_t r = 1; r < m.nrows; r++) {
                                date_t s = uk(at(&m, r, c_s)), en = uk(at(&m, r, c_e));
                                if (en == DATE_NONE)
                                        en = date_year_end(y);
                                size_t f, n = rows_of(&e, at(&m, r, 0), &f);
                                for (size_t i = f; i < f + n; i++) {
                                        date_t dec = uk(at(&e, i, 7));
                                        if (dec != DATE_NONE && dec >= s && dec <= en)
                                                fail_msg("%03d %d %s: missing %s to %s spans the "
                                                         "episode ending %s",
                                                         la, y, at(&m, r, 0), at(&m, r, c_s),
                                                         at(&m, r, c_e), at(&e, i, 7));
                                }
                                periods++;
                        }
                        int c_pl = col(&e, "PLACE"), c_h = col(&e, "HOME_POST"),
                            c_p = col(&e, "PL_POST");
                        for (size_t r = 1; r < e.nrows; r++)
                                if (strcmp(at(&e, r, c_pl), "P1") && *at(&e, r, c_h))
                                        assert_string_not_equal(at(&e, r, c_h), at(&e, r, c_p));
                        unload(&m);
                        unload(&e);
                }
        assert_true(periods >= 30);
        test_rmdir(d);
}

/* ------------------------------------------- distributions and effects */

static int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;
        return (x > y) - (x < y);
}

static double median_of(const struct table *t, const char *m, int year)
{
        double v[256] = {0};
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

/* The lower of a measure's annual values for an authority in the year before
 * `year` and in `year` (truth/measures.csv): the level just before a change
 * that an earlier change in the same authority may already have cut. */
static double annual_before(const struct table *t, const char *m, const char *la, int year)
{
        double v = HUGE_VAL;
        for (size_t r = 1; r < t->nrows; r++)
                if (!strcmp(at(t, r, 0), la) && !strcmp(at(t, r, 2), m) &&
                    (atoi(at(t, r, 1)) == year - 1 || atoi(at(t, r, 1)) == year))
                        v = fmin(v, atof(at(t, r, 5)));
        if (v == HUGE_VAL)
                fail_msg("no %s for %s in %d or %d", m, la, year - 1, year);
        return v;
}

/*
 * Planted shifts and trends are sized against the noise of the monthly
 * series (docs/synthetic-data.md, "signals.csv"): worked out here from the
 * written files, not from the generator's parameters.  For a rate per 10k
 * with annual value R in an authority of population P, a month holds about
 * L = R * P / 10^4 / 12 events, a Poisson count whose relative sd, with the
 * month lengths' own sd of 2.6%, is s = sqrt(1/L + 0.026^2); the monthly
 * value's sd is R / 12 * s.  For the re-referral share p among L referrals it
 * is 100 * sqrt(p (1 - p) / L) points.  A step must be at least 4 sds, a
 * trend at least 1.1 sds a month over at least 7 months (7.7 sds in all);
 * the annual values carry the year's own noise and part of the change, so
 * the test allows 15%.  Every change lies in the second half of the window.
 */
static void check_signal_sizes(const char *d, const struct table *sg, int last, int years)
{
        char p[1024];
        struct table tm, pop;
        snprintf(p, sizeof p, "%s/truth/measures.csv", d);
        load(&tm, p);
        snprintf(p, sizeof p, "%s/populations.csv", d);
        load(&pop, p);
        date_t half = date_add_months(date_from_ymd(last - years, 4, 1), years * 6);
        int checked = 0;
        for (size_t r = 1; r < sg->nrows; r++) {
                const char *la = at(sg, r, 0), *m = at(sg, r, 1), *mon = at(sg, r, 2);
                const char *kind = at(sg, r, 3);
                if (!strcmp(kind, "relapse"))
                        continue;
                date_t when;
                assert_int_equal(date_parse_iso(mon, strlen(mon), &when), 0);
                assert_true(when >= half);
                int y = date_collection_year(when);
                double people = 0;
                for (size_t k = 1; k < pop.nrows; k++)
                        if (!strcmp(at(&pop, k, 0), la) && atoi(at(&pop, k, 1)) == y)
                                people = atof(at(&pop, k, 2));
                assert_true(people > 0);
                double sd;
                double refs =
                    annual_before(&tm, "referrals_rate_per_10k", la, y) * people / 1e4 / 12;
                if (!strcmp(m, "rereferrals_12m_pct")) {
                        double q = annual_before(&tm, m, la, y) / 100;
                        sd = 100 * sqrt(q * (1 - q) / refs);
                } else {
                        double rate = annual_before(&tm, m, la, y);
                        double n = rate * people / 1e4 / 12;
                        sd = rate / 12 * sqrt(1 / n + 0.026 * 0.026);
                }
                double need = !strcmp(kind, "trend") ? 1.1 * 7 * sd : 4 * sd;
                double size = fabs(atof(at(sg, r, 4)));
                if (size < 0.85 * need)
                        fail_msg("%s %s %s %s: size %.3f, %.1f sds of %.3f", la, m, mon, kind, size,
                                 size / sd, sd);
                checked++;
        }
        print_message("planted shifts and trends sized against noise: %d\n", checked);
        assert_true(checked >= 2);
        unload(&pop);
        unload(&tm);
}

/*
 * Planted events are judged on the whole monthly series of their measure
 * (docs/synthetic-data.md, "Where changes are planted"), so within one
 * authority no two events may move a common series: a referrals change
 * (restructure, joint-service) moves referrals and S47 enquiries, a trust S47
 * enquiries, a practice model or new director re-referrals, outsourcing starts
 * and referrals, and an inspection is judged on referrals.  Each event has at
 * least half of its measure's months before it, counting re-referrals from the
 * second year of the window (their first year has no look-back).  Worked out
 * from events.csv with the documented table, not the generator's code.
 */
static unsigned kind_series(const char *kind)
{
        enum { REF = 1, RR = 2, S47 = 4, STARTS = 8 };
        static const struct {
                const char *kind;
                unsigned series;
        } map[] = {
            {"restructure", REF | S47}, {"joint-service", REF | S47}, {"trust", S47},
            {"practice-model", RR},     {"leadership", RR},           {"outsourcing", STARTS | REF},
            {"inspection", REF}};
        for (size_t i = 0; i < sizeof map / sizeof *map; i++)
                if (!strcmp(map[i].kind, kind))
                        return map[i].series;
        fail_msg("unknown event kind %s", kind);
        return 0;
}

static void check_event_windows(const char *d, int last, int years)
{
        char p[1024];
        struct table ev;
        snprintf(p, sizeof p, "%s/events.csv", d);
        load(&ev, p);
        date_t start = date_from_ymd(last - years, 4, 1);
        int months = 12 * years, checked = 0;
        for (size_t r = 1; r < ev.nrows; r++) {
                const char *la = at(&ev, r, 0), *v = at(&ev, r, 1), *m = at(&ev, r, 4);
                date_t when;
                assert_int_equal(date_parse_iso(v, strlen(v), &when), 0);
                int y, mo, dd;
                date_to_ymd(when, &y, &mo, &dd);
                int k = (y - (last - years)) * 12 + mo - 4; /* months of the window before it */
                int from = !strcmp(m, "rereferrals_12m_pct") ? 12 : 0;
                if (k - from < (months - from) / 2)
                        fail_msg("%s %s on %s: %d months of its series before it, of %d", la,
                                 at(&ev, r, 2), v, k - from, months - from);
                assert_true(when >= start);
                for (size_t q = r + 1; q < ev.nrows; q++)
                        if (!strcmp(at(&ev, q, 0), la) &&
                            (kind_series(at(&ev, r, 2)) & kind_series(at(&ev, q, 2))))
                                fail_msg("%s: %s and %s move the same monthly series", la,
                                         at(&ev, r, 2), at(&ev, q, 2));
                checked++;
        }
        print_message("planted events placed apart and late enough: %d\n", checked);
        assert_true(checked >= 10);
        unload(&ev);
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
        check_signal_sizes(d, &sg, 2026, 3);
        check_event_windows(d, 2026, 3);
        unload(&sg);
        unload(&ef);
        test_rmdir(d);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_options),
            cmocka_unit_test(test_determinism),
            cmocka_unit_test(test_layout),
            cmocka_unit_test(test_codes),
            cmocka_unit_test(test_consistency),
            cmocka_unit_test(test_truth_matches_files),
            cmocka_unit_test(test_errors),
            cmocka_unit_test(test_prev_perm),
            cmocka_unit_test(test_placed_adoption),
            cmocka_unit_test(test_sw_chain),
            cmocka_unit_test(test_census_year_end),
            cmocka_unit_test(test_care_leavers),
            cmocka_unit_test(test_missing_and_postcodes),
            cmocka_unit_test(test_distributions),
            cmocka_unit_test(test_planted_effects),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
