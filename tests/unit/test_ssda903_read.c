/* test_ssda903_read.c — reading SSDA903 CSV tables and EXPSSDA903 XML into a load. */
#include "test.h"

#include "core/date.h"
#include "core/err.h"
#include "returns/refdata.h"
#include "returns/ssda903.h"

#include <sys/stat.h>

static const char *HEADER_COLS = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
static const char *EPISODE_COLS = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
                                  "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";

static int add(struct ssda903_load *ld, const char *name, const char *text, int prev, struct err *e)
{
        return ssda903_add_mem(ld, name, text, strlen(text), prev, e);
}

/* A load from in-memory files (NULL-terminated name, text pairs); asserts success. */
static struct ssda903_load *load_ok(const char *const *files, int year)
{
        struct err e;
        err_clear(&e);
        struct ssda903_load *ld = ssda903_new();
        for (size_t i = 0; files[i]; i += 2) {
                int rc = add(ld, files[i], files[i + 1], 0, &e);
                if (rc != 0)
                        print_message("unexpected error: %s\n", e.msg);
                assert_int_equal(rc, 0);
        }
        struct ssda903_options o = {.collection_year = year};
        assert_int_equal(ssda903_finish(ld, &o, &e), 0);
        return ld;
}

/* Add one file and expect malformed input with exactly this message. */
static void expect_error(const char *name, const char *text, const char *msg)
{
        struct err e;
        err_clear(&e);
        struct ssda903_load *ld = ssda903_new();
        assert_int_equal(add(ld, name, text, 0, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        if (strcmp(e.msg, msg) != 0)
                print_message("got:      %s\nexpected: %s\n", e.msg, msg);
        assert_string_equal(e.msg, msg);
        ssda903_free(ld);
}

static void expect_error_prefix(const char *name, const char *text, const char *prefix)
{
        struct err e;
        err_clear(&e);
        struct ssda903_load *ld = ssda903_new();
        assert_int_equal(add(ld, name, text, 0, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        if (strncmp(e.msg, prefix, strlen(prefix)) != 0)
                print_message("got: %s\nexpected prefix: %s\n", e.msg, prefix);
        assert_true(strncmp(e.msg, prefix, strlen(prefix)) == 0);
        ssda903_free(ld);
}

static date_t D(int y, int m, int d)
{
        return date_from_ymd(y, m, d);
}

/* ---------------------------------------------------------------- recognition */

/* Every table is recognised from its columns, in canonical and in reversed order. */
static void test_recognise_every_table(void **state)
{
        (void)state;
        for (int t = 0; t < SSDA903_NCURRENT; t++) {
                const struct ssda903_tabledef *def = &ssda903_tabledefs[t];
                for (int reversed = 0; reversed < 2; reversed++) {
                        char text[1024] = "";
                        for (int c = 0; c < def->nfile; c++) {
                                int k = reversed ? def->nfile - 1 - c : c;
                                /* mixed case: lower-case every other name */
                                char name[64];
                                snprintf(name, sizeof name, "%s", def->cols[k]);
                                if (c % 2)
                                        for (char *p = name; *p; p++)
                                                if (*p >= 'A' && *p <= 'Z')
                                                        *p = (char)(*p + 32);
                                strcat(text, c ? "," : "");
                                strcat(text, name);
                        }
                        strcat(text, "\n");
                        /* one data row: CHILD = C1, other cells blank */
                        for (int c = 0; c < def->nfile; c++) {
                                int k = reversed ? def->nfile - 1 - c : c;
                                strcat(text, c ? "," : "");
                                strcat(text, k == 0 ? "C1" : "");
                        }
                        strcat(text, "\n");
                        const char *files[] = {"t.csv", text, NULL};
                        struct ssda903_load *ld = load_ok(files, 2025);
                        for (int u = 0; u < SSDA903_NTABLES; u++)
                                assert_int_equal(ssda903_has(ld, u), u == t);
                        assert_int_equal(ld->t[t].n, 1);
                        assert_string_equal(ld->t[t].rows[0].v[0], "C1");
                        assert_string_equal(ld->t[t].file, "t.csv");
                        for (int c = 1; c < def->nfile; c++)
                                assert_null(ld->t[t].rows[0].v[c]);
                        ssda903_free(ld);
                }
        }
}

static void test_table_by_name(void **state)
{
        (void)state;
        assert_int_equal(ssda903_table_by_name("Episodes"), SSDA903_EPISODES);
        assert_int_equal(ssda903_table_by_name("episodes_last"), SSDA903_EPISODES_LAST);
        assert_int_equal(ssda903_table_by_name("DoLo"), SSDA903_DOLO);
        assert_int_equal(ssda903_table_by_name("ProviderInfo"), -1);
        assert_int_equal(ssda903_table_by_name(NULL), -1);
}

/* BOM, CRLF, quotes, spaces, case, blank cells, dates, no final newline, blank lines. */
static void test_cells_and_dates(void **state)
{
        (void)state;
        const char *text = "\xEF\xBB\xBF"
                           "child, sex ,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n"
                           "a100,f,14/02/2012,wbri,\"un3\",0,\r\n"
                           "\r\n"
                           "\" B 7 \",M,1/3/2011,\"WB,RI\",A123456789012,,31/02/2020\r\n"
                           ",,,,,,\r\n"
                           "C9,U,2012-02-14,WBRI,UN1,1,01/01/2030\r\n"
                           "\r\n\r\n";
        const char *files[] = {"header.csv", text, NULL};
        struct ssda903_load *ld = load_ok(files, 2025);
        const struct ssda903_table *h = &ld->t[SSDA903_HEADER];
        assert_int_equal(h->n, 3); /* the all-blank record is skipped */

        const struct ssda903_row *r = &h->rows[0];
        assert_string_equal(r->v[HD_CHILD], "a100"); /* ids keep their case */
        assert_string_equal(r->v[HD_SEX], "F");
        assert_string_equal(r->v[HD_ETHNIC], "WBRI");
        assert_string_equal(r->v[HD_UPN], "UN3");
        assert_string_equal(r->v[HD_MOTHER], "0");
        assert_null(r->v[HD_MC_DOB]);
        assert_int_equal(r->d[HD_DOB], D(2012, 2, 14));
        assert_int_equal(r->d[HD_MC_DOB], DATE_NONE);
        assert_int_equal(r->d[HD_SEX], DATE_NONE); /* not a date column */
        assert_int_equal(r->row, 1);
        assert_int_equal(r->line, 2);

        r = &h->rows[1];
        assert_string_equal(r->v[HD_CHILD], "B 7"); /* trimmed inside the quotes */
        assert_string_equal(r->v[HD_ETHNIC], "WB,RI");
        assert_int_equal(r->d[HD_DOB], D(2011, 3, 1)); /* one-digit day and month */
        assert_string_equal(r->v[HD_MC_DOB], "31/02/2020");
        assert_int_equal(r->d[HD_MC_DOB], DATE_BAD);
        assert_int_equal(r->row, 2);
        assert_int_equal(r->line, 4);

        r = &h->rows[2];
        assert_int_equal(r->row, 4); /* row 3 was the blank record */
        assert_int_equal(r->line, 6);
        assert_int_equal(r->d[HD_DOB], DATE_BAD); /* ISO is not the 903 form */
        assert_string_equal(r->v[HD_UASC], "0");
        ssda903_free(ld);
}

static void test_missing_final_newline(void **state)
{
        (void)state;
        const char *files[] = {"dolo.csv",
                               "CHILD,DOB,DOLO_START,DOLO_END\nC10,05/12/1993,01/01/2025,"
                               "02/01/2025",
                               NULL};
        struct ssda903_load *ld = load_ok(files, 2025);
        const struct ssda903_table *t = &ld->t[SSDA903_DOLO];
        assert_int_equal(t->n, 1);
        assert_int_equal(t->rows[0].d[DL_DOLO_END], D(2025, 1, 2));
        ssda903_free(ld);
}

/* ---------------------------------------------------------------- malformed input */

static void test_malformed(void **state)
{
        (void)state;
        expect_error("h.csv", "CHILD,X,Y\nA,1,01/01/2010\n",
                     "h.csv:1: columns match no SSDA903 table; expected one of: Header, "
                     "Episodes, Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, "
                     "Missing, SWEpisodes, DoLo");
        /* three of UASC's four columns: named as the nearest table */
        expect_error("h.csv", "CHILD,SEX,DOB\nA,1,01/01/2010\n",
                     "h.csv:1: columns match no SSDA903 table; expected one of: Header, "
                     "Episodes, Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, "
                     "Missing, SWEpisodes, DoLo; nearest is UASC (missing: DUC)");
        /* a near miss names the table and the difference */
        expect_error("h.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MCDOB\n",
                     "h.csv:1: columns match no SSDA903 table; expected one of: Header, "
                     "Episodes, Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, "
                     "Missing, SWEpisodes, DoLo; nearest is Header (missing: MC_DOB; not "
                     "expected: MCDOB)");
        /* a duplicated column is not the set */
        expect_error_prefix("d.csv", "CHILD,DOB,DOLO_START,DOLO_START\n",
                            "d.csv:1: columns match no SSDA903 table");
        /* the header line is reported where it is, after leading blank lines */
        expect_error_prefix("b.csv", "\n\nX,Y\n", "b.csv:3: columns match no SSDA903 table");
        expect_error("h.csv", "",
                     "h.csv:1: no header row; expected the column names of an "
                     "SSDA903 table");
        /* ragged rows, with the physical line */
        char text[512];
        snprintf(text, sizeof text, "%sA,1,01/01/2010,WBRI,UN1,,\n\nB,1,01/01/2010\n", HEADER_COLS);
        expect_error("h.csv", text, "h.csv:4: row has 3 fields, expected 7 (the Header columns)");
        snprintf(text, sizeof text, "%sA,1,01/01/2010,WBRI,UN1,,,\n", HEADER_COLS);
        expect_error("h.csv", text, "h.csv:2: row has 8 fields, expected 7 (the Header columns)");
        /* CSV syntax errors come from the CSV reader with the line */
        snprintf(text, sizeof text, "%sA,1,01/01/2010,WBRI,UN1,,\nB,\"1,x\n", HEADER_COLS);
        expect_error_prefix("q.csv", text, "q.csv:3:");
        expect_error_prefix("u.csv",
                            "\xFF\xFE"
                            "C\0H\0",
                            "u.csv:1: the file is UTF-16");
}

static void test_two_files_one_table(void **state)
{
        (void)state;
        struct err e;
        err_clear(&e);
        struct ssda903_load *ld = ssda903_new();
        char text[256];
        snprintf(text, sizeof text, "%sA,1,01/01/2010,WBRI,UN1,,\n", HEADER_COLS);
        assert_int_equal(add(ld, "a.csv", text, 0, &e), 0);
        assert_int_equal(add(ld, "b.csv", text, 0, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "b.csv:1: a second Header table; a.csv already supplied it"));
        /* the same table for the previous year is fine */
        assert_int_equal(add(ld, "prev.csv", text, 1, &e), 0);
        ssda903_free(ld);
}

/* ---------------------------------------------------------------- XML */

static const char *XML =
    "<?xml version='1.0' encoding='utf-8'?>\n"
    "<EXPSSDA903>\n"
    "<CHILD>\n"
    " <HEADER>\n"
    "  <CHILDID>X1</CHILDID><UPN>un2</UPN><SEX>F</SEX><DOB>01/02/2010</DOB>\n"
    "  <ETHNIC>WBRI</ETHNIC><UASC>1</UASC><DUC>01/02/2028</DUC>\n"
    "  <AREVIEW><REVIEW>05/05/2024</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>\n"
    "  <AREVIEW><REVIEW>05/11/2024</REVIEW><REVIEW_CODE>pn2</REVIEW_CODE></AREVIEW>\n"
    "  <MOTHER>0</MOTHER><MC_DOB />\n"
    "  <PERMANENCE><PREV_PERM>Z1</PREV_PERM></PERMANENCE>\n"
    "  <OC2><SDQ_SCORE> 12 </SDQ_SCORE><CONVICTED>0</CONVICTED></OC2>\n"
    "  <AMISSING><MISSING>M</MISSING><MIS_START>01/06/2024</MIS_START><MIS_END /></AMISSING>\n"
    " </HEADER>\n"
    " <EPISODE><DECOM>01/09/2024</DECOM><RNE>P</RNE><LS>C2</LS><CIN>N1</CIN><PL>U6</PL>"
    "<DEC /></EPISODE>\n"
    " <EPISODE><DECOM>01/04/2024</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U4</PL>"
    "<DEC>01/09/2024</DEC><REC>X1</REC></EPISODE>\n"
    "</CHILD>\n"
    "<CHILD>\n"
    " <HEADER><CHILDID>X2</CHILDID><SEX>M</SEX><DOB>03/03/2003</DOB><UASC />\n"
    "  <DATE_INT>01/01/2024</DATE_INT><NB_ADOPTR>2</NB_ADOPTR>\n"
    "  <AD_PLACED><DATE_PLACED>01/01/2024</DATE_PLACED></AD_PLACED>\n"
    "  <IN_TOUCH>yes</IN_TOUCH><ACTIV>F1</ACTIV><ACCOM>B1</ACCOM>\n"
    "  <SURPRISE>1</SURPRISE>\n"
    " </HEADER>\n"
    " <EPISODE><DECOM>01/05/2024</DECOM><PL>A3</PL><EXTRA/></EPISODE>\n"
    "</CHILD>\n"
    "</EXPSSDA903>\n";

static void test_xml_inline(void **state)
{
        (void)state;
        const char *files[] = {"r.xml", XML, NULL};
        struct ssda903_load *ld = load_ok(files, 0);
        assert_true(ld->from_xml);
        assert_int_equal(ld->collection_year, 2025); /* episodes in 2024/25 */
        assert_true(ld->year_inferred);

        const struct ssda903_table *h = &ld->t[SSDA903_HEADER];
        assert_int_equal(h->n, 2);
        assert_string_equal(h->rows[0].v[HD_CHILD], "X1");
        assert_string_equal(h->rows[0].v[HD_UPN], "UN2");
        assert_string_equal(h->rows[0].v[HD_UASC], "1");
        assert_string_equal(h->rows[1].v[HD_UASC], "0");
        assert_null(h->rows[0].v[HD_MC_DOB]);
        assert_int_equal(h->rows[0].line, 4);

        const struct ssda903_table *ep = &ld->t[SSDA903_EPISODES];
        assert_int_equal(ep->n, 3);
        assert_string_equal(ep->rows[0].v[EP_CHILD], "X1");
        assert_string_equal(ep->rows[0].v[EP_PLACE], "U6"); /* <PL> is PLACE */
        assert_int_equal(ep->rows[0].row, 1);
        assert_int_equal(ep->rows[2].row, 3);
        assert_string_equal(ep->rows[2].v[EP_CHILD], "X2");
        assert_int_equal(ep->rows[2].line, 24);

        /* per-child order: X1's episodes by DECOM, though written the other way round */
        long k = ssda903_child_find(ld, "X1");
        assert_true(k >= 0);
        size_t n;
        struct ssda903_row *const *rows = ssda903_child_rows(ep, (uint32_t)k, &n);
        assert_int_equal(n, 2);
        assert_int_equal(rows[0]->d[EP_DECOM], D(2024, 4, 1));
        assert_int_equal(rows[1]->d[EP_DECOM], D(2024, 9, 1));
        assert_int_equal(rows[1]->d[EP_DEC], DATE_NONE);

        const struct ssda903_table *rv = &ld->t[SSDA903_REVIEWS];
        assert_int_equal(rv->n, 2);
        assert_string_equal(rv->rows[1].v[RV_REVIEW_CODE], "PN2");
        assert_int_equal(rv->rows[1].d[RV_DOB], D(2010, 2, 1)); /* copied from HEADER */

        const struct ssda903_table *ua = &ld->t[SSDA903_UASC];
        assert_int_equal(ua->n, 1);
        assert_string_equal(ua->rows[0].v[UA_SEX], "F");
        assert_int_equal(ua->rows[0].d[UA_DUC], D(2028, 2, 1));

        assert_int_equal(ld->t[SSDA903_OC2].n, 1);
        assert_string_equal(ld->t[SSDA903_OC2].rows[0].v[O2_SDQ_SCORE], "12");
        assert_int_equal(ld->t[SSDA903_PREV_PERM].n, 1);
        assert_int_equal(ld->t[SSDA903_MISSING].n, 1);
        assert_int_equal(ld->t[SSDA903_AD1].n, 1);
        assert_string_equal(ld->t[SSDA903_AD1].rows[0].v[AD_CHILD], "X2");
        assert_int_equal(ld->t[SSDA903_PLACED_ADOPTION].n, 1);
        assert_int_equal(ld->t[SSDA903_OC3].n, 1);
        assert_string_equal(ld->t[SSDA903_OC3].rows[0].v[O3_IN_TOUCH], "YES");
        /* tables the XML carries are supplied even when empty; SWEpisodes/DoLo are not */
        assert_true(ssda903_has(ld, SSDA903_PLACED_ADOPTION));
        assert_false(ssda903_has(ld, SSDA903_SW_EPISODES));

        /* unexpected elements are notes, with their line */
        assert_int_equal(ld->nnotes, 2);
        assert_int_equal(ld->notes[0].line, 22);
        assert_non_null(strstr(ld->notes[0].text, "<SURPRISE>"));
        assert_string_equal(ld->notes[0].child, "X2");
        assert_non_null(strstr(ld->notes[1].text, "<EXTRA>"));
        assert_string_equal(ld->notes[1].table, "Episodes");
        ssda903_free(ld);
}

static void test_xml_malformed(void **state)
{
        (void)state;
        expect_error_prefix("m.xml", "<EXPSSDA903>\n<CHILD>\n<HEADER>\n</CHILD>\n</EXPSSDA903>\n",
                            "m.xml:4: ");
        expect_error("r.xml", "<?xml version='1.0'?>\n<ROOT/>\n",
                     "r.xml:2: root element is <ROOT>; expected <EXPSSDA903>");
        expect_error_prefix("d.xml",
                            "<?xml version='1.0'?>\n<!DOCTYPE EXPSSDA903 [<!ENTITY a 'x'>]>\n"
                            "<EXPSSDA903/>\n",
                            "d.xml:2: a DOCTYPE is not accepted");
        expect_error_prefix("t.xml", "<EXPSSDA903><CHILD><HEADER><CHILDID>1</CHILDID>",
                            "t.xml:1: ");
        /* XML and CSV tables it also carries: one form only */
        struct err e;
        err_clear(&e);
        struct ssda903_load *ld = ssda903_new();
        assert_int_equal(add(ld, "r.xml", XML, 0, &e), 0);
        char text[256];
        snprintf(text, sizeof text, "%sA,1,01/01/2010,WBRI,UN1,,\n", HEADER_COLS);
        assert_int_equal(add(ld, "h.csv", text, 0, &e), -1);
        assert_non_null(strstr(e.msg, "h.csv:1: a second Header table; r.xml already"));
        /* SWEpisodes beside the XML is fine */
        assert_int_equal(add(ld, "sw.csv",
                             "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\nX1,01/02/2010,SW1,"
                             "01/04/2024,,MANAGE\n",
                             0, &e),
                         0);
        ssda903_free(ld);
}

static void test_xml_fixture(void **state)
{
        (void)state;
        const char *path = SHARED_DATA "/external/validator-fixtures/903/fake_903.xml";
        SKIP_WITHOUT_SHARED(path);
        struct err e;
        err_clear(&e);
        const char *paths[] = {path};
        struct ssda903_load *ld = ssda903_load_paths(paths, 1, NULL, 0, NULL, &e);
        assert_non_null(ld);
        /* counts from the fixtures' README: 253 children, 459 EPISODE, 1,206 AREVIEW */
        assert_int_equal(ld->t[SSDA903_HEADER].n, 253);
        assert_int_equal(ld->t[SSDA903_EPISODES].n, 459);
        assert_int_equal(ld->t[SSDA903_REVIEWS].n, 1206);
        assert_int_equal(ld->nnotes, 0);
        assert_int_equal(ld->collection_year, 2018);
        ssda903_free(ld);
}

static void test_csv_fixtures(void **state)
{
        (void)state;
        const char *dir = SHARED_DATA "/external/validator-fixtures/903";
        SKIP_WITHOUT_SHARED(dir);
        static const char *const names[] = {"header.csv",
                                            "episodes.csv",
                                            "reviews.csv",
                                            "uasc.csv",
                                            "oc2.csv",
                                            "oc3.csv",
                                            "ad1.csv",
                                            "placed_for_adoption.csv",
                                            "previous_permanence.csv",
                                            "missing.csv",
                                            "sw_episodes.csv",
                                            "DoLo.csv"};
        /* rows per table, from the fixtures' README */
        static const size_t rows[] = {2675, 5050, 12582, 132, 2675, 53, 29, 29, 2675, 43, 1, 1};
        char paths[12][256];
        const char *pp[12];
        for (int i = 0; i < 12; i++) {
                snprintf(paths[i], sizeof paths[i], "%s/%s", dir, names[i]);
                pp[i] = paths[i];
        }
        struct err e;
        err_clear(&e);
        struct ssda903_load *ld = ssda903_load_paths(pp, 12, NULL, 0, NULL, &e);
        assert_non_null(ld);
        for (int t = 0; t < SSDA903_NCURRENT; t++) {
                assert_int_equal(ld->t[t].n, rows[t]);
                assert_string_equal(ld->t[t].file, paths[t]);
        }
        /* sw_episodes.csv starts with a BOM and has CRLF line ends */
        assert_string_equal(ld->t[SSDA903_SW_EPISODES].rows[0].v[SW_CHILD], "CHILD10");
        assert_string_equal(ld->t[SSDA903_SW_EPISODES].rows[0].v[SW_SW_REASON], "SWLAZY");
        assert_int_equal(ld->collection_year, 2018); /* README: the data describe 2017/18 */
        /* 2,123 children in Episodes, README */
        size_t with_eps = 0;
        for (size_t k = 0; k < ld->nchildren; k++) {
                size_t n;
                ssda903_child_rows(&ld->t[SSDA903_EPISODES], (uint32_t)k, &n);
                with_eps += n > 0;
        }
        assert_int_equal(with_eps, 2123);
        ssda903_free(ld);
}

/* ---------------------------------------------------------------- previous year, dirs */

static void test_previous_year(void **state)
{
        (void)state;
        struct err e;
        err_clear(&e);
        struct ssda903_load *ld = ssda903_new();
        char cur[512], prev[512];
        snprintf(cur, sizeof cur, "%sA,04/05/2024,S,C2,N1,U6,PR1,,,,,,\n", EPISODE_COLS);
        snprintf(prev, sizeof prev,
                 "%sA,04/05/2023,S,C2,N1,U6,PR1,,,,,,\nZ,04/05/2022,S,C2,N1,"
                 "U6,PR1,,,,,,\n",
                 EPISODE_COLS);
        assert_int_equal(add(ld, "ep.csv", cur, 0, &e), 0);
        assert_int_equal(add(ld, "prev/ep.csv", prev, 1, &e), 0);
        assert_int_equal(add(ld, "prev/uasc.csv", "CHILD,SEX,DOB,DUC\nZ,1,01/01/2008,\n", 1, &e),
                         0);
        snprintf(prev, sizeof prev, "%sZ,1,01/01/2008,WBRI,UN1,,\n", HEADER_COLS);
        assert_int_equal(add(ld, "prev/h.csv", prev, 1, &e), 0);
        assert_int_equal(ssda903_finish(ld, NULL, &e), 0);
        assert_true(ld->has_last);
        assert_int_equal(ld->t[SSDA903_EPISODES].n, 1);
        assert_int_equal(ld->t[SSDA903_EPISODES_LAST].n, 2);
        assert_string_equal(ld->t[SSDA903_EPISODES_LAST].name, "Episodes_last");
        assert_false(ssda903_has(ld, SSDA903_HEADER));
        /* children of both years share one numbering */
        assert_int_equal(ld->nchildren, 2);
        long z = ssda903_child_find(ld, "Z");
        size_t n;
        ssda903_child_rows(&ld->t[SSDA903_EPISODES_LAST], (uint32_t)z, &n);
        assert_int_equal(n, 1);
        ssda903_child_rows(&ld->t[SSDA903_EPISODES], (uint32_t)z, &n);
        assert_int_equal(n, 0);
        /* last year's Header has its own UASC flag from last year's UASC table */
        assert_string_equal(ld->t[SSDA903_HEADER_LAST].rows[0].v[HD_UASC], "1");
        assert_int_equal(ssda903_child_find(ld, "nobody"), -1);
        /* the inferred year comes from this year's episodes only */
        assert_int_equal(ld->collection_year, 2025);
        ssda903_free(ld);
}

static void write_file(const char *dir, const char *name, const char *text)
{
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
}

static void test_directory(void **state)
{
        (void)state;
        char *dir = test_tmpdir();
        char text[512];
        snprintf(text, sizeof text, "%sA,1,01/01/2010,WBRI,UN1,,\n", HEADER_COLS);
        write_file(dir, "one.CSV", text);
        snprintf(text, sizeof text, "%sA,04/05/2024,S,C2,N1,U6,PR1,,,,,,\n", EPISODE_COLS);
        write_file(dir, "two.csv", text);
        write_file(dir, "README.txt", "not a table\n");
        write_file(dir, ".hidden.csv", "junk\n");
        struct err e;
        err_clear(&e);
        const char *paths[] = {dir};
        struct ssda903_load *ld = ssda903_load_paths(paths, 1, NULL, 0, NULL, &e);
        assert_non_null(ld);
        assert_int_equal(ld->t[SSDA903_HEADER].n, 1);
        assert_int_equal(ld->t[SSDA903_EPISODES].n, 1);
        assert_non_null(strstr(ld->t[SSDA903_HEADER].file, "/one.CSV"));
        ssda903_free(ld);

        /* a file that is not a table is malformed input, named */
        write_file(dir, "three.csv", "A,B\n1,2\n");
        err_clear(&e);
        assert_null(ssda903_load_paths(paths, 1, NULL, 0, NULL, &e));
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "/three.csv:1: columns match no SSDA903 table"));
        /* a missing path */
        const char *bad[] = {"/nonexistent/improve/x.csv"};
        err_clear(&e);
        assert_null(ssda903_load_paths(bad, 1, NULL, 0, NULL, &e));
        assert_int_equal(e.code, EXIT_INPUT);
        test_rmdir(dir);
}

/* ---------------------------------------------------------------- year, postcodes */

static void test_year(void **state)
{
        (void)state;
        char text[1024];
        /* one old DECOM (2019), the rest in 2023/24: the year is 2024 */
        snprintf(text, sizeof text,
                 "%sA,04/05/2019,S,C2,N1,U6,PR1,01/06/2023,X1,,,,\n"
                 "A,01/06/2023,P,C2,N1,U6,PR1,,,,,,\n"
                 "B,31/03/2024,S,C2,N1,U6,PR1,,,,,,\n",
                 EPISODE_COLS);
        const char *files[] = {"ep.csv", text, NULL};
        struct ssda903_load *ld = load_ok(files, 0);
        assert_int_equal(ld->collection_year, 2024);
        assert_int_equal(ld->start, D(2023, 4, 1));
        assert_int_equal(ld->end, D(2024, 3, 31));
        assert_non_null(strstr(ld->year_note, "inferred"));
        ssda903_free(ld);
        /* given year wins */
        ld = load_ok(files, 2026);
        assert_int_equal(ld->collection_year, 2026);
        assert_false(ld->year_inferred);
        ssda903_free(ld);
        /* nothing to infer from */
        snprintf(text, sizeof text, "%sA,1,01/01/2010,WBRI,UN1,,\n", HEADER_COLS);
        struct err e;
        err_clear(&e);
        struct ssda903_load *l2 = ssda903_new();
        assert_int_equal(add(l2, "h.csv", text, 0, &e), 0);
        assert_int_equal(ssda903_finish(l2, NULL, &e), -1);
        assert_int_equal(e.code, EXIT_USAGE);
        ssda903_free(l2);
}

static void test_postcodes(void **state)
{
        (void)state;
        const char *pcs = "pcd,oslaua,oseast1m,osnrth1m,other\n"
                          "AB1 2CD,E07000001,400000,300000,x\n"
                          "AB3 4EF,E07000001,403000,304000,x\n"
                          "ZZ9 9ZZ,E06000009,410000,310000,x\n"
                          "EH1 1AA,S12000036,325000,673000,x\n"
                          "NG1 1AA,E06000018,,,x\n";
        const char *lk = "\xEF\xBB\xBFLTLA23CD,LTLA23NM,UTLA23CD,UTLA23NM\n"
                         "E07000001,District,E10000001,County\n";
        struct err e;
        err_clear(&e);
        struct refdata_postcodes *p =
            refdata_postcodes_mem("pc.csv", pcs, strlen(pcs), "lk.csv", lk, strlen(lk), &e);
        assert_non_null(p);
        const struct refdata_postcode *f = refdata_postcode_find(p, "ab12cd");
        assert_non_null(f);
        assert_string_equal(f->la, "E10000001");
        assert_string_equal(f->ltla, "E07000001");
        assert_null(refdata_postcode_find(p, "XX1 1XX"));
        assert_false(refdata_postcode_find(p, "NG11AA")->has_grid);

        char text[1024];
        snprintf(text, sizeof text,
                 "%sA,01/05/2024,S,C2,N1,U6,PR1,01/06/2024,X1,,AB1 2CD,ab34ef,\n"
                 "A,01/06/2024,P,C2,N1,U6,PR1,01/07/2024,X1,,AB1 2CD,ZZ9 9ZZ,\n"
                 "A,01/07/2024,P,C2,N1,U6,PR1,01/08/2024,X1,,AB1 2CD,EH1 1AA,\n"
                 "A,01/08/2024,P,C2,N1,U6,PR1,,,,AB1 2CD,NG1 1AA,\n",
                 EPISODE_COLS);
        struct ssda903_load *ld = ssda903_new();
        assert_int_equal(add(ld, "ep.csv", text, 0, &e), 0);
        struct ssda903_options o = {.postcodes = p, .la_code = "E10000001"};
        assert_int_equal(ssda903_finish(ld, &o, &e), 0);
        assert_true(ld->postcodes_applied);
        const struct ssda903_row *r = ld->t[SSDA903_EPISODES].rows;
        /* (3000, 4000) m apart = 5 km = 5 / 1.6093 = 3.107 miles */
        assert_string_equal(r[0].v[EP_PL_DISTANCE], "3.1");
        assert_string_equal(r[0].v[EP_PL_LA], "E10000001");
        assert_string_equal(r[0].v[EP_PL_LOCATION], "IN");
        /* (10000, 10000) m: 14.142 km = 8.788 miles */
        assert_string_equal(r[1].v[EP_PL_DISTANCE], "8.8");
        assert_string_equal(r[1].v[EP_PL_LA], "E06000009");
        assert_string_equal(r[1].v[EP_PL_LOCATION], "OUT");
        assert_string_equal(r[2].v[EP_PL_LA], "SCO");
        /* no grid reference: no distance, but the LA is known */
        assert_null(r[3].v[EP_PL_DISTANCE]);
        assert_string_equal(r[3].v[EP_PL_LA], "E06000018");
        ssda903_free(ld);
        refdata_postcodes_free(p);

        /* a postcode file without its key column */
        err_clear(&e);
        assert_null(refdata_postcodes_mem("bad.csv", "x,y\n1,2\n", 8, NULL, NULL, 0, &e));
        assert_int_equal(e.code, EXIT_INPUT);
        assert_string_equal(e.msg, "bad.csv:1: missing column pcd; expected pcd, oslaua (or "
                                   "laua), oseast1m, osnrth1m");
}

static void test_providers_and_authorities(void **state)
{
        (void)state;
        const char *pv = "URN,Registration Date,Deregistration Date,Placement Code,"
                         "Placement Provider Code,Setting Address Postcode\n"
                         "sc123456,01/02/2015,,K2/R1,PR4,ab1 2cd\n"
                         "SC999999,2010-01-01,31/03/2020,U6,PR1,\n";
        struct err e;
        err_clear(&e);
        struct refdata_providers *p = refdata_providers_mem("pv.csv", pv, strlen(pv), &e);
        assert_non_null(p);
        const struct refdata_provider *f = refdata_provider_find(p, "SC123456");
        assert_non_null(f);
        assert_int_equal(f->registered, D(2015, 2, 1));
        assert_int_equal(f->deregistered, DATE_NONE);
        assert_string_equal(f->postcode, "AB12CD");
        assert_true(refdata_code_in_list(f->placement_codes, "r1"));
        assert_false(refdata_code_in_list(f->placement_codes, "R"));
        assert_int_equal(refdata_provider_find(p, "sc999999")->deregistered, D(2020, 3, 31));
        assert_null(refdata_provider_find(p, "nope"));
        refdata_providers_free(p);

        const char *au = "code,ecode,name,region_code\n901,E99000001,Northby,R1\n";
        struct refdata_authorities *a = refdata_authorities_mem("a.csv", au, strlen(au), &e);
        assert_non_null(a);
        assert_int_equal(a->n, 1);
        assert_string_equal(refdata_authority_find(a, "e99000001")->old_code, "901");
        assert_string_equal(refdata_authority_find(a, "901")->name, "Northby");
        assert_null(refdata_authority_find(a, "902"));
        refdata_authorities_free(a);
        assert_null(refdata_authorities_mem("a.csv", "x\n1\n", 4, &e));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_recognise_every_table),
            cmocka_unit_test(test_table_by_name),
            cmocka_unit_test(test_cells_and_dates),
            cmocka_unit_test(test_missing_final_newline),
            cmocka_unit_test(test_malformed),
            cmocka_unit_test(test_two_files_one_table),
            cmocka_unit_test(test_xml_inline),
            cmocka_unit_test(test_xml_malformed),
            cmocka_unit_test(test_xml_fixture),
            cmocka_unit_test(test_csv_fixtures),
            cmocka_unit_test(test_previous_year),
            cmocka_unit_test(test_directory),
            cmocka_unit_test(test_year),
            cmocka_unit_test(test_postcodes),
            cmocka_unit_test(test_providers_and_authorities),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
