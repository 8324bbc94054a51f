/*
 * http_server.c — the web application behind libmicrohttpd.
 *
 * libmicrohttpd runs an internal thread pool (2–4 threads); each worker
 * opens its own store connection on first use (SQLite connections are not
 * shared between threads) and the server closes them all when it stops.
 *
 * One request: MHD calls uri_logger() first with the raw URI, which creates
 * the per-request state (arena, raw path and query) — the raw query string is
 * parsed by our own fuzzed parser, not MHD's.  on_request() is then called
 * once with the headers, once per chunk of body (collected up to the route's
 * max_body: in memory for forms, spooled to an unlinked temporary file and
 * mapped for uploads), and once more to answer; completed() frees the state, wiping
 * the body first since it may hold a password.
 */
#include "web/web.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/xalloc.h"
#include "store/store.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct web_server {
        struct MHD_Daemon *daemon;
        char *db;
        struct web_app app;
        int port;
        pthread_mutex_t lock;
        struct store **stores; /* one per worker thread, closed at stop */
        size_t nstores, cap;
};

/* The store of the worker thread running this request. */
static _Thread_local struct store *worker_store;
static _Thread_local const struct web_server *worker_owner;

static struct store *thread_store(struct web_server *srv, struct err *e)
{
        if (worker_store && worker_owner == srv)
                return worker_store;
        struct store *s = store_open(srv->db, 0, e);
        if (!s)
                return NULL;
        pthread_mutex_lock(&srv->lock);
        srv->stores = xgrow(srv->stores, &srv->cap, srv->nstores + 1, sizeof *srv->stores);
        srv->stores[srv->nstores++] = s;
        pthread_mutex_unlock(&srv->lock);
        worker_store = s;
        worker_owner = srv;
        return s;
}

/*
 * Bodies of routes that accept more than this (uploads) are spooled to an
 * unlinked private temporary file rather than held in memory, and mapped
 * read-only for the parsers when complete.
 */
#define SPOOL_THRESHOLD (1024 * 1024)

struct conn_state {
        struct arena arena;
        int spool_fd;     /* -1 unless the body is being spooled */
        char *spool_map;  /* the spooled body mapped, NUL-terminated, or NULL */
        size_t spool_len; /* bytes written */
        char *raw_uri;
        char *path, *query; /* raw_uri split at '?'; query NULL if none */
        const struct web_route *route;
        int known; /* route_find said the path exists under another method */
        struct buf body;
        int too_large;
        int spool_failed;
        int started;
};

/* Append a chunk of body to the spool file, creating it (unlinked at once) on the first. */
static int spool(struct conn_state *cs, const char *data, size_t n)
{
        if (cs->spool_fd < 0) {
                const char *dir = getenv("TMPDIR");
                char path[512];
                snprintf(path, sizeof path, "%s/improve-body-XXXXXX", dir && *dir ? dir : "/tmp");
                cs->spool_fd = mkstemp(path);
                if (cs->spool_fd < 0)
                        return -1;
                unlink(path); /* only the descriptor names it now: nothing is left behind */
        }
        while (n) {
                ssize_t w = write(cs->spool_fd, data, n);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0)
                        return -1;
                data += w;
                n -= (size_t)w;
                cs->spool_len += (size_t)w;
        }
        return 0;
}

/* The whole body has arrived: end it with a NUL (parsers expect one) and map it. */
static int spool_finish(struct conn_state *cs)
{
        if (cs->spool_map)
                return 0;
        char nul = '\0';
        if (write(cs->spool_fd, &nul, 1) != 1)
                return -1;
        void *m = mmap(NULL, cs->spool_len + 1, PROT_READ, MAP_PRIVATE, cs->spool_fd, 0);
        if (m == MAP_FAILED)
                return -1;
        cs->spool_map = m;
        return 0;
}

static void *uri_logger(void *cls, const char *uri, struct MHD_Connection *conn)
{
        (void)cls;
        (void)conn;
        struct conn_state *cs = xcalloc(1, sizeof *cs);
        arena_init(&cs->arena, 16 * 1024);
        cs->raw_uri = arena_strdup(&cs->arena, uri ? uri : "/");
        cs->spool_fd = -1;
        buf_init(&cs->body);
        return cs;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
        (void)cls;
        (void)conn;
        (void)toe;
        struct conn_state *cs = *con_cls;
        if (!cs)
                return;
        sodium_memzero(cs->body.data, cs->body.cap);
        buf_release(&cs->body);
        if (cs->spool_map)
                munmap(cs->spool_map, cs->spool_len + 1);
        if (cs->spool_fd >= 0)
                close(cs->spool_fd);
        arena_release(&cs->arena);
        free(cs);
        *con_cls = NULL;
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
        return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* The peer's address; behind a trusted proxy, the address the proxy appended last. */
static const char *client_address(struct web_server *srv, struct MHD_Connection *conn,
                                  struct arena *a)
{
        if (srv->app.trust_proxy) {
                const char *xff = header(conn, "X-Forwarded-For");
                if (xff && *xff) {
                        const char *last = strrchr(xff, ',');
                        last = last ? last + 1 : xff;
                        while (*last == ' ')
                                last++;
                        size_t n = strcspn(last, " ");
                        if (n > 0 && n < 64)
                                return arena_strndup(a, last, n);
                }
        }
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        char text[INET6_ADDRSTRLEN] = "unknown";
        if (ci && ci->client_addr) {
                const struct sockaddr *sa = ci->client_addr;
                if (sa->sa_family == AF_INET)
                        inet_ntop(AF_INET,
                                  &((const struct sockaddr_in *)(const void *)sa)->sin_addr, text,
                                  sizeof text);
                else if (sa->sa_family == AF_INET6)
                        inet_ntop(AF_INET6,
                                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, text,
                                  sizeof text);
        }
        return arena_strdup(a, text);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct http_request *req,
                                     struct http_response *r)
{
        http_security_headers(req, r);
        struct MHD_Response *mr;
        if (r->static_body) {
                mr = MHD_create_response_from_buffer(r->static_len, (void *)r->static_body,
                                                     MHD_RESPMEM_PERSISTENT);
        } else {
                size_t len;
                char *data = buf_detach(&r->body, &len);
                mr = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
                if (!mr)
                        free(data);
        }
        if (!mr)
                return MHD_NO;
        MHD_add_response_header(mr, "Content-Type", r->content_type);
        for (size_t i = 0; i < r->nheaders; i++)
                MHD_add_response_header(mr, r->headers[i].name, r->headers[i].value);
        enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, mr);
        MHD_destroy_response(mr);
        return ret;
}

static enum MHD_Result plain(struct MHD_Connection *conn, struct http_request *req, int status,
                             const char *text)
{
        struct http_response r;
        http_response_init(&r);
        http_respond_text(&r, status, text);
        enum MHD_Result ret = send_response(conn, req, &r);
        http_response_release(&r);
        return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
        (void)url;
        (void)version;
        struct web_server *srv = cls;
        struct conn_state *cs = *con_cls;
        if (!cs)
                return MHD_NO;

        /* Split the raw URI at '?' in place, once: path first, query string after. */
        if (!cs->path) {
                cs->query = strchr(cs->raw_uri, '?');
                if (cs->query)
                        *cs->query++ = '\0';
                cs->path = cs->raw_uri;
        }
        struct http_request req = {.arena = &cs->arena, .method = method, .path = cs->path};
        const char *q = cs->query;
        if (srv->app.trust_proxy) {
                const char *proto = header(conn, "X-Forwarded-Proto");
                req.tls = proto && strcasecmp(proto, "https") == 0;
        }

        if (!cs->started) {
                cs->started = 1;
                cs->route = web_route_find(method, req.path, &cs->known);
                /* Refuse an announced body that is too large before reading any of it. */
                const char *cl = header(conn, "Content-Length");
                size_t limit = cs->route ? cs->route->max_body : 0;
                if (cl && strtoull(cl, NULL, 10) > limit && strcmp(method, "POST") == 0)
                        return plain(conn, &req, 413, "The request is too large.");
                return MHD_YES; /* headers seen; body (if any) comes next */
        }
        if (*upload_data_size) {
                size_t limit = cs->route ? cs->route->max_body : 0;
                size_t have = cs->spool_fd >= 0 ? cs->spool_len : cs->body.len;
                if (have + *upload_data_size > limit)
                        cs->too_large = 1;
                else if (limit > SPOOL_THRESHOLD && spool(cs, upload_data, *upload_data_size))
                        cs->spool_failed = 1;
                else if (limit <= SPOOL_THRESHOLD)
                        buf_append(&cs->body, upload_data, *upload_data_size);
                *upload_data_size = 0;
                return MHD_YES;
        }
        if (cs->too_large)
                return plain(conn, &req, 413, "The request is too large.");
        if (cs->spool_failed || (cs->spool_fd >= 0 && spool_finish(cs)))
                return plain(conn, &req, 503, "The upload could not be stored on the server.");

        struct err e = {0};
        struct store *s = thread_store(srv, &e);
        if (!s) {
                fprintf(stderr, "improve serve: %s\n", e.msg);
                return plain(conn, &req, 503, "The database is not available.");
        }
        if (q && http_parse_urlencoded(&cs->arena, q, strlen(q), &req.query, &e))
                return plain(conn, &req, 400, "The address has a malformed query string.");
        http_parse_cookies(&cs->arena, header(conn, "Cookie"), &req.cookies);
        req.content_type = header(conn, "Content-Type");
        if (strcmp(method, "POST") == 0 && cs->spool_map) {
                req.body = cs->spool_map;
                req.body_len = cs->spool_len;
        } else if (strcmp(method, "POST") == 0) {
                req.body = cs->body.data;
                req.body_len = cs->body.len;
        }
        req.remote_addr = client_address(srv, conn, &cs->arena);

        struct http_response resp;
        http_response_init(&resp);
        web_handle(&srv->app, s, &req, &resp);
        enum MHD_Result ret = send_response(conn, &req, &resp);
        http_response_release(&resp);
        return ret;
}

int web_parse_listen(const char *text, char *host, size_t host_len, int *port, struct err *e)
{
        const char *colon = strrchr(text, ':');
        if (!colon || colon == text)
                return err_set(e, EXIT_USAGE,
                               "--listen '%s': expected HOST:PORT, e.g. 127.0.0.1:8080", text);
        size_t hn = (size_t)(colon - text);
        const char *h = text;
        if (h[0] == '[' && hn >= 2 && h[hn - 1] == ']') {
                h++;
                hn -= 2;
        }
        if (hn + 1 > host_len)
                return err_set(e, EXIT_USAGE, "--listen '%s': host too long", text);
        memcpy(host, h, hn);
        host[hn] = '\0';
        if (strcmp(host, "localhost") == 0)
                snprintf(host, host_len, "127.0.0.1");
        char *end;
        long p = strtol(colon + 1, &end, 10);
        if (!colon[1] || *end || p < 0 || p > 65535)
                return err_set(e, EXIT_USAGE, "--listen '%s': the port must be 0 to 65535", text);
        struct in_addr a4;
        struct in6_addr a6;
        if (inet_pton(AF_INET, host, &a4) != 1 && inet_pton(AF_INET6, host, &a6) != 1)
                return err_set(e, EXIT_USAGE,
                               "--listen '%s': the host must be an IP address (or localhost)",
                               text);
        *port = (int)p;
        return 0;
}

struct web_server *web_server_start(const struct web_server_options *o, struct err *e)
{
        char host[64];
        int port;
        if (web_parse_listen(o->listen ? o->listen : "127.0.0.1:8080", host, sizeof host, &port, e))
                return NULL;
        if (auth_init(e))
                return NULL;
        /* Open once here: migrates the schema and refuses a bad file before we listen. */
        struct store *first = store_open(o->db, 0, e);
        if (!first)
                return NULL;
        store_close(first);

        struct sockaddr_storage ss;
        memset(&ss, 0, sizeof ss);
        unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC;
        if (strchr(host, ':')) {
                struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
                s6->sin6_family = AF_INET6;
                s6->sin6_port = htons((uint16_t)port);
                inet_pton(AF_INET6, host, &s6->sin6_addr);
                flags |= MHD_USE_IPv6;
        } else {
                struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
                s4->sin_family = AF_INET;
                s4->sin_port = htons((uint16_t)port);
                inet_pton(AF_INET, host, &s4->sin_addr);
        }
        unsigned threads = o->threads;
        if (threads == 0) {
                long n = sysconf(_SC_NPROCESSORS_ONLN);
                threads = n < 2 ? 2 : n > 4 ? 4 : (unsigned)n;
        }
        if (threads < 2)
                threads = 2;
        if (threads > 4)
                threads = 4;

        struct web_server *srv = xcalloc(1, sizeof *srv);
        srv->db = xstrdup(o->db);
        srv->app = o->app;
        pthread_mutex_init(&srv->lock, NULL);
        srv->daemon = MHD_start_daemon(
            flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
            MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_URI_LOG_CALLBACK, uri_logger, srv,
            MHD_OPTION_NOTIFY_COMPLETED, completed, srv, MHD_OPTION_CONNECTION_TIMEOUT,
            (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64, MHD_OPTION_END);
        if (!srv->daemon) {
                err_set(e, EXIT_USAGE,
                        "cannot listen on %s: the address is in use or not available here",
                        o->listen ? o->listen : "127.0.0.1:8080");
                pthread_mutex_destroy(&srv->lock);
                free(srv->db);
                free(srv);
                return NULL;
        }
        const union MHD_DaemonInfo *di =
            MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
        srv->port = di ? di->port : port;
        return srv;
}

int web_server_port(const struct web_server *s)
{
        return s->port;
}

void web_server_stop(struct web_server *srv)
{
        if (!srv)
                return;
        /* Stop accepting, then give requests in flight a moment to finish. */
        MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
        for (int i = 0; i < 50; i++) {
                const union MHD_DaemonInfo *di =
                    MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
                if (!di || di->num_connections == 0)
                        break;
                struct timespec ts = {0, 50 * 1000 * 1000};
                nanosleep(&ts, NULL);
        }
        MHD_stop_daemon(srv->daemon);
        if (fd != MHD_INVALID_SOCKET)
                close(fd);
        for (size_t i = 0; i < srv->nstores; i++)
                store_close(srv->stores[i]);
        web_uploads_cleanup();
        free(srv->stores);
        pthread_mutex_destroy(&srv->lock);
        free(srv->db);
        free(srv);
}
