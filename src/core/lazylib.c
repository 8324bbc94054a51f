/*
 * lazylib.c — libxml2, libmicrohttpd and libxlsxwriter, loaded when first used.
 *
 * Why: most runs of improve need none of the three, yet linking them directly
 * made every process load and relocate them and what they pull in (ICU and
 * libstdc++ under libxml2, GnuTLS and its six libraries under libmicrohttpd,
 * OpenSSL's libcrypto under libxlsxwriter) before main: about 5 ms of CPU per
 * process, a quarter of `improve validate`'s budget for the fixtures
 * (docs/internals.md, "Validating fast").  Each function of theirs that the
 * program calls is defined here with the library's own prototype (the
 * library's header is included, so the compiler checks every one); the first
 * call opens the library with dlopen() and looks the function up, later calls
 * go straight through the saved pointer.  The program is linked with
 * --as-needed, so the three libraries are not loaded at start-up as long as
 * every function the program uses from them is listed here.  A function used
 * elsewhere but missing here still links and works: the library is then
 * simply loaded at start-up again (`readelf -d improve | grep NEEDED` shows it).
 *
 * SQLite is here too: only commands that open the store need it, and loading
 * it cost `improve validate` about 0.4 ms of its 20 ms before main.
 *
 * A library that cannot be loaded when needed ends the program with one line
 * and exit 4, as the dynamic loader would have at start-up; like running out
 * of memory (xalloc.h) nothing useful can follow.
 */
#include "core/err.h"

#include <dlfcn.h>
#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <xlsxwriter.h>

struct lazy_lib {
        const char *const names[2]; /* sonames to try: Debian's, then the unversioned one */
        pthread_once_t once;
        void *handle;
};

static struct lazy_lib xml2 = {{"libxml2.so.2", "libxml2.so"}, PTHREAD_ONCE_INIT, NULL};
static struct lazy_lib mhd = {{"libmicrohttpd.so.12", "libmicrohttpd.so"}, PTHREAD_ONCE_INIT, NULL};
static struct lazy_lib xlsx = {{"libxlsxwriter.so.4", "libxlsxwriter.so"}, PTHREAD_ONCE_INIT, NULL};
static struct lazy_lib sqlite = {{"libsqlite3.so.0", "libsqlite3.so"}, PTHREAD_ONCE_INIT, NULL};

static _Noreturn void lazy_fail(const char *what, const char *why)
{
        fprintf(stderr, "improve: cannot load %s: %s\n", what, why ? why : "unknown error");
        exit(EXIT_INTERNAL);
}

static void open_xml2(void)
{
        for (int i = 0; i < 2 && !xml2.handle; i++)
                xml2.handle = dlopen(xml2.names[i], RTLD_NOW | RTLD_LOCAL);
}

static void open_mhd(void)
{
        for (int i = 0; i < 2 && !mhd.handle; i++)
                mhd.handle = dlopen(mhd.names[i], RTLD_NOW | RTLD_LOCAL);
}

static void open_xlsx(void)
{
        for (int i = 0; i < 2 && !xlsx.handle; i++)
                xlsx.handle = dlopen(xlsx.names[i], RTLD_NOW | RTLD_LOCAL);
}

static void open_sqlite(void)
{
        for (int i = 0; i < 2 && !sqlite.handle; i++)
                sqlite.handle = dlopen(sqlite.names[i], RTLD_NOW | RTLD_LOCAL);
}

/* The address of `name` in `lib`, opening the library on first use. */
static void *lazy_sym(struct lazy_lib *lib, void (*open)(void), const char *name)
{
        pthread_once(&lib->once, open);
        if (!lib->handle)
                lazy_fail(lib->names[0], dlerror());
        void *p = dlsym(lib->handle, name);
        if (!p)
                lazy_fail(name, dlerror());
        return p;
}

/*
 * One forwarding function: `ret name params` calls the library's `name` with
 * `args`.  The pointer is kept in an atomic so threads may race to fill it
 * (they store the same value).  POSIX guarantees a dlsym() result converts to
 * a function pointer.
 */
#define LAZY_PTR(lib, name)                                                                        \
        static _Atomic(void *) slot;                                                               \
        void *p = atomic_load_explicit(&slot, memory_order_acquire);                               \
        if (!p) {                                                                                  \
                p = lazy_sym(&lib, open_##lib, #name);                                             \
                atomic_store_explicit(&slot, p, memory_order_release);                             \
        }

#define LAZY(lib, ret, name, params, args)                                                         \
        ret name params                                                                            \
        {                                                                                          \
                LAZY_PTR(lib, name)                                                                \
                return ((ret(*) params)p)args;                                                     \
        }

#define LAZY_VOID(lib, name, params, args)                                                         \
        void name params                                                                           \
        {                                                                                          \
                LAZY_PTR(lib, name)                                                                \
                ((void(*) params)p) args;                                                          \
        }

/* ---------------------------------------------------------------- libxml2 (CIN census) */

LAZY_VOID(xml2, xmlInitParser, (void), ())
LAZY(xml2, xmlGenericErrorFunc *, __xmlGenericError, (void), ())
LAZY(xml2, void **, __xmlGenericErrorContext, (void), ())
LAZY(xml2, xmlStructuredErrorFunc *, __xmlStructuredError, (void), ())
LAZY(xml2, void **, __xmlStructuredErrorContext, (void), ())
LAZY_VOID(xml2, xmlSetGenericErrorFunc, (void *ctx, xmlGenericErrorFunc handler), (ctx, handler))
LAZY_VOID(xml2, xmlSetStructuredErrorFunc, (void *ctx, xmlStructuredErrorFunc handler),
          (ctx, handler))
LAZY(xml2, xmlTextReaderPtr, xmlReaderForMemory,
     (const char *buffer, int size, const char *URL, const char *encoding, int options),
     (buffer, size, URL, encoding, options))
LAZY_VOID(xml2, xmlFreeTextReader, (xmlTextReaderPtr reader), (reader))
LAZY_VOID(xml2, xmlTextReaderSetStructuredErrorHandler,
          (xmlTextReaderPtr reader, xmlStructuredErrorFunc f, void *arg), (reader, f, arg))
LAZY(xml2, int, xmlTextReaderRead, (xmlTextReaderPtr reader), (reader))
LAZY(xml2, int, xmlTextReaderNodeType, (xmlTextReaderPtr reader), (reader))
LAZY(xml2, int, xmlTextReaderDepth, (xmlTextReaderPtr reader), (reader))
LAZY(xml2, int, xmlTextReaderIsEmptyElement, (xmlTextReaderPtr reader), (reader))
LAZY(xml2, int, xmlTextReaderGetParserLineNumber, (xmlTextReaderPtr reader), (reader))
LAZY(xml2, const xmlChar *, xmlTextReaderConstName, (xmlTextReaderPtr reader), (reader))
LAZY(xml2, const xmlChar *, xmlTextReaderConstLocalName, (xmlTextReaderPtr reader), (reader))
LAZY(xml2, const xmlChar *, xmlTextReaderConstValue, (xmlTextReaderPtr reader), (reader))
LAZY(xml2, xmlNodePtr, xmlTextReaderCurrentNode, (xmlTextReaderPtr reader), (reader))
LAZY(xml2, long, xmlGetLineNo, (const xmlNode *node), (node))

/* ---------------------------------------------------------------- libmicrohttpd (serve) */

typedef struct MHD_Daemon *(*start_daemon_va)(unsigned int, uint16_t, MHD_AcceptPolicyCallback,
                                              void *, MHD_AccessHandlerCallback, void *, va_list);

/* The variadic MHD_start_daemon() passes its options on to MHD_start_daemon_va(). */
struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
        LAZY_PTR(mhd, MHD_start_daemon_va)
        va_list ap;
        va_start(ap, dh_cls);
        struct MHD_Daemon *d = ((start_daemon_va)p)(flags, port, apc, apc_cls, dh, dh_cls, ap);
        va_end(ap);
        return d;
}

LAZY_VOID(mhd, MHD_stop_daemon, (struct MHD_Daemon * daemon), (daemon))
LAZY(mhd, MHD_socket, MHD_quiesce_daemon, (struct MHD_Daemon * daemon), (daemon))
LAZY(mhd, struct MHD_Response *, MHD_create_response_from_buffer,
     (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode), (size, buffer, mode))
LAZY(mhd, enum MHD_Result, MHD_add_response_header,
     (struct MHD_Response * response, const char *header, const char *content),
     (response, header, content))
LAZY_VOID(mhd, MHD_destroy_response, (struct MHD_Response * response), (response))
LAZY(mhd, enum MHD_Result, MHD_queue_response,
     (struct MHD_Connection * connection, unsigned int status_code, struct MHD_Response *response),
     (connection, status_code, response))
LAZY(mhd, const char *, MHD_lookup_connection_value,
     (struct MHD_Connection * connection, enum MHD_ValueKind kind, const char *key),
     (connection, kind, key))

/*
 * The two info queries are variadic in the header, but libmicrohttpd reads no
 * further argument for any info type it has; the program passes none, and
 * none is passed on.
 */
const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *connection,
                                                        enum MHD_ConnectionInfoType info_type, ...)
{
        LAZY_PTR(mhd, MHD_get_connection_info)
        return ((const union MHD_ConnectionInfo *(*)(struct MHD_Connection *,
                                                     enum MHD_ConnectionInfoType, ...))p)(
            connection, info_type);
}

const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon,
                                                enum MHD_DaemonInfoType info_type, ...)
{
        LAZY_PTR(mhd, MHD_get_daemon_info)
        return ((const union MHD_DaemonInfo *(*)(struct MHD_Daemon *, enum MHD_DaemonInfoType,
                                                 ...))p)(daemon, info_type);
}

/* ---------------------------------------------------------------- libxlsxwriter (reports) */

LAZY(xlsx, lxw_workbook *, workbook_new_opt, (const char *filename, lxw_workbook_options *options),
     (filename, options))
LAZY(xlsx, lxw_worksheet *, workbook_add_worksheet,
     (lxw_workbook * workbook, const char *sheetname), (workbook, sheetname))
LAZY(xlsx, lxw_format *, workbook_add_format, (lxw_workbook * workbook), (workbook))
LAZY(xlsx, lxw_error, workbook_close, (lxw_workbook * workbook), (workbook))
LAZY_VOID(xlsx, format_set_bold, (lxw_format * format), (format))
LAZY(xlsx, char *, lxw_strerror, (lxw_error error_num), (error_num))
LAZY(xlsx, lxw_error, worksheet_write_string,
     (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col, const char *string,
      lxw_format *format),
     (worksheet, row, col, string, format))
LAZY(xlsx, lxw_error, worksheet_write_number,
     (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col, double number, lxw_format *format),
     (worksheet, row, col, number, format))
LAZY(xlsx, lxw_error, worksheet_set_column,
     (lxw_worksheet * worksheet, lxw_col_t first_col, lxw_col_t last_col, double width,
      lxw_format *format),
     (worksheet, first_col, last_col, width, format))
LAZY_VOID(xlsx, worksheet_freeze_panes, (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col),
          (worksheet, row, col))
LAZY(xlsx, lxw_error, worksheet_autofilter,
     (lxw_worksheet * worksheet, lxw_row_t first_row, lxw_col_t first_col, lxw_row_t last_row,
      lxw_col_t last_col),
     (worksheet, first_row, first_col, last_row, last_col))

/* ---------------------------------------------------------------- SQLite (the store) */

LAZY(sqlite, int, sqlite3_backup_finish, (sqlite3_backup * b), (b))
LAZY(sqlite, sqlite3_backup *, sqlite3_backup_init,
     (sqlite3 * dest, const char *dest_name, sqlite3 *src, const char *src_name),
     (dest, dest_name, src, src_name))
LAZY(sqlite, int, sqlite3_backup_pagecount, (sqlite3_backup * b), (b))
LAZY(sqlite, int, sqlite3_backup_remaining, (sqlite3_backup * b), (b))
LAZY(sqlite, int, sqlite3_backup_step, (sqlite3_backup * b, int pages), (b, pages))
LAZY(sqlite, int, sqlite3_bind_blob,
     (sqlite3_stmt * st, int i, const void *v, int n, void (*del)(void *)), (st, i, v, n, del))
LAZY(sqlite, int, sqlite3_bind_blob64,
     (sqlite3_stmt * st, int i, const void *v, sqlite3_uint64 n, void (*del)(void *)),
     (st, i, v, n, del))
LAZY(sqlite, int, sqlite3_bind_double, (sqlite3_stmt * st, int i, double v), (st, i, v))
LAZY(sqlite, int, sqlite3_bind_int, (sqlite3_stmt * st, int i, int v), (st, i, v))
LAZY(sqlite, int, sqlite3_bind_int64, (sqlite3_stmt * st, int i, sqlite3_int64 v), (st, i, v))
LAZY(sqlite, int, sqlite3_bind_null, (sqlite3_stmt * st, int i), (st, i))
LAZY(sqlite, int, sqlite3_bind_text,
     (sqlite3_stmt * st, int i, const char *v, int n, void (*del)(void *)), (st, i, v, n, del))
LAZY(sqlite, int, sqlite3_blob_bytes, (sqlite3_blob * b), (b))
LAZY(sqlite, int, sqlite3_blob_close, (sqlite3_blob * b), (b))
LAZY(sqlite, int, sqlite3_blob_open,
     (sqlite3 * db, const char *schema, const char *table, const char *column, sqlite3_int64 row,
      int flags, sqlite3_blob **out),
     (db, schema, table, column, row, flags, out))
LAZY(sqlite, int, sqlite3_blob_read, (sqlite3_blob * b, void *out, int n, int offset),
     (b, out, n, offset))
LAZY(sqlite, int, sqlite3_busy_timeout, (sqlite3 * db, int ms), (db, ms))
LAZY(sqlite, int, sqlite3_changes, (sqlite3 * db), (db))
LAZY(sqlite, sqlite3_int64, sqlite3_changes64, (sqlite3 * db), (db))
LAZY(sqlite, int, sqlite3_clear_bindings, (sqlite3_stmt * st), (st))
LAZY(sqlite, int, sqlite3_close, (sqlite3 * db), (db))
LAZY(sqlite, int, sqlite3_close_v2, (sqlite3 * db), (db))
LAZY(sqlite, int, sqlite3_column_count, (sqlite3_stmt * st), (st))
LAZY(sqlite, double, sqlite3_column_double, (sqlite3_stmt * st, int i), (st, i))
LAZY(sqlite, int, sqlite3_column_int, (sqlite3_stmt * st, int i), (st, i))
LAZY(sqlite, sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt * st, int i), (st, i))
LAZY(sqlite, const char *, sqlite3_column_name, (sqlite3_stmt * st, int i), (st, i))
LAZY(sqlite, const unsigned char *, sqlite3_column_text, (sqlite3_stmt * st, int i), (st, i))
LAZY(sqlite, int, sqlite3_column_type, (sqlite3_stmt * st, int i), (st, i))
LAZY(sqlite, void *, sqlite3_commit_hook, (sqlite3 * db, int (*hook)(void *), void *arg),
     (db, hook, arg))
LAZY(sqlite, int, sqlite3_errcode, (sqlite3 * db), (db))
LAZY(sqlite, const char *, sqlite3_errmsg, (sqlite3 * db), (db))
LAZY(sqlite, const char *, sqlite3_errstr, (int rc), (rc))
LAZY(sqlite, int, sqlite3_exec,
     (sqlite3 * db, const char *sql, int (*callback)(void *, int, char **, char **), void *arg,
      char **errmsg),
     (db, sql, callback, arg, errmsg))
LAZY(sqlite, int, sqlite3_extended_errcode, (sqlite3 * db), (db))
LAZY(sqlite, int, sqlite3_extended_result_codes, (sqlite3 * db, int onoff), (db, onoff))
LAZY(sqlite, int, sqlite3_finalize, (sqlite3_stmt * st), (st))
LAZY_VOID(sqlite, sqlite3_free, (void *mem), (mem))
LAZY(sqlite, int, sqlite3_get_autocommit, (sqlite3 * db), (db))
LAZY(sqlite, sqlite3_int64, sqlite3_last_insert_rowid, (sqlite3 * db), (db))
LAZY(sqlite, int, sqlite3_open_v2, (const char *filename, sqlite3 **db, int flags, const char *vfs),
     (filename, db, flags, vfs))
LAZY(sqlite, int, sqlite3_prepare_v2,
     (sqlite3 * db, const char *sql, int n, sqlite3_stmt **st, const char **tail),
     (db, sql, n, st, tail))
LAZY(sqlite, int, sqlite3_reset, (sqlite3_stmt * st), (st))
LAZY(sqlite, int, sqlite3_sleep, (int ms), (ms))
LAZY(sqlite, int, sqlite3_step, (sqlite3_stmt * st), (st))
LAZY(sqlite, sqlite3_int64, sqlite3_total_changes64, (sqlite3 * db), (db))
