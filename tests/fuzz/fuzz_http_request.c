/*
 * fuzz_http_request.c — libFuzzer harness for whole requests through the web
 * application's dispatcher (src/web/routes.c) and every page behind it, on a
 * small store made once: method, path, query string, cookies and a form or
 * multipart body all come from the input, signed in as any role or as
 * nobody, with the session's CSRF token put in front of the body so that
 * POSTs reach their handlers (uploads included).
 *
 * Input: byte 0 picks GET or POST, byte 1 the body's content type (form,
 * multipart with boundary "B", none), byte 2 the role (or nobody); then
 * "path\nquery\ncookies\n" and the body.
 *
 * Beyond "no crash, no leak, no sanitizer report": no input makes a 500 (the
 * application's own failure), every status is one the dispatcher documents,
 * and every HTML page is valid UTF-8.
 */
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"
#include "web/html.h"
#include "web/web.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct store *store;
static struct web_app app;
static struct store_user users[WEB_ROLE_COUNT];

static int64_t fixed_now(void)
{
        return 1800000000;
}

static char dir[] = "/tmp/improve-fuzz-http-XXXXXX";

/* The store lives in a private directory that goes when the fuzzer exits. */
static void remove_store(void)
{
        store_close(store);
        web_uploads_cleanup();
        const char *const names[] = {"web.db", "web.db-wal", "web.db-shm", "web.db-journal"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
                char p[160];
                snprintf(p, sizeof p, "%s/%s", dir, names[i]);
                unlink(p);
        }
        rmdir(dir);
}

static void setup(void)
{
        char path[128];
        struct err e = {0};
        if (!mkdtemp(dir) || auth_init(&e))
                abort();
        snprintf(path, sizeof path, "%s/web.db", dir);
        store = store_open(path, STORE_CREATE, &e);
        if (!store)
                abort();
        atexit(remove_store);
        web_app_init(&app);
        auth_config_for_tests(&app.auth);
        app.now = fixed_now;
        struct store_authority a = {.code = "901", .name = "Aldrwick"};
        if (store_authority_put(store, &a, &e))
                abort();
        for (int r = 0; r < WEB_ROLE_COUNT; r++) {
                struct store_user *u = &users[r];
                snprintf(u->email, sizeof u->email, "%s@901.test", web_role_name((enum web_role)r));
                snprintf(u->la, sizeof u->la, "901");
                snprintf(u->role, sizeof u->role, "%s", web_role_name((enum web_role)r));
                if (auth_hash_password(&app.auth, "correct horse battery", u->pwhash, &e) ||
                    store_user_add(store, u, &u->id, &e))
                        abort();
        }
}

static const char *next_line(const char **p, const char *end, struct arena *a)
{
        const char *nl = memchr(*p, '\n', (size_t)(end - *p));
        const char *stop = nl ? nl : end;
        char *s = arena_strndup(a, *p, (size_t)(stop - *p));
        *p = nl ? nl + 1 : end;
        return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (!store)
                setup();
        if (size < 3)
                return 0;
        int post = data[0] & 1;
        int ctype = data[1] % 3;
        int role = data[2] % (WEB_ROLE_COUNT + 1); /* WEB_ROLE_COUNT: nobody */
        const char *p = (const char *)data + 3, *end = (const char *)data + size;

        struct arena a;
        arena_init(&a, 4096);
        struct err e = {0};
        const char *path = next_line(&p, end, &a);
        const char *query = next_line(&p, end, &a);
        const char *cookies = next_line(&p, end, &a);
        if (path[0] != '/')
                path = arena_printf(&a, "/%s", path);

        struct auth_session s;
        memset(&s, 0, sizeof s);
        if (role < WEB_ROLE_COUNT && auth_session_create(store, &users[role], fixed_now(), &s, &e))
                abort();
        struct http_request req = {
            .arena = &a, .method = post ? "POST" : "GET", .path = path, .remote_addr = "127.0.0.1"};
        if (http_parse_urlencoded(&a, query, strlen(query), &req.query, &e) != 0) {
                /* The server answers 400 itself before the application sees it. */
                if (s.token[0])
                        auth_session_destroy(store, s.token, &e);
                arena_release(&a);
                return 0;
        }
        const char *cookie =
            s.token[0] ? arena_printf(&a, "%s; " WEB_SESSION_COOKIE "=%s", cookies, s.token)
                       : cookies;
        http_parse_cookies(&a, cookie, &req.cookies);
        if (post) {
                size_t n = (size_t)(end - p);
                if (ctype == 0 || ctype == 1) {
                        /* The session's CSRF token first, then the input's bytes as they are. */
                        const char *head =
                            ctype == 0 ? arena_printf(&a, "csrf=%s&", s.csrf)
                                       : arena_printf(&a,
                                                      "--B\r\nContent-Disposition: form-data; "
                                                      "name=\"csrf\"\r\n\r\n%s\r\n",
                                                      s.csrf);
                        size_t hn = strlen(head);
                        char *all = arena_alloc(&a, hn + n + 1);
                        memcpy(all, head, hn);
                        memcpy(all + hn, p, n);
                        all[hn + n] = '\0';
                        req.content_type = ctype == 0 ? "application/x-www-form-urlencoded"
                                                      : "multipart/form-data; boundary=B";
                        req.body = all;
                        req.body_len = hn + n;
                } else {
                        char *all = arena_alloc(&a, n + 1);
                        memcpy(all, p, n);
                        all[n] = '\0';
                        req.body = all;
                        req.body_len = n;
                }
        }

        struct http_response resp;
        http_response_init(&resp);
        web_handle(&app, store, &req, &resp);
        static const int known[] = {200, 303, 400, 401, 403, 404, 405, 413, 429};
        int ok = 0;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
                ok |= resp.status == known[i];
        if (!ok)
                abort(); /* 500 is the application failing on its input */
        if (resp.content_type && strncmp(resp.content_type, "text/html", 9) == 0 &&
            !html_utf8_valid(resp.body.data ? resp.body.data : "", resp.body.len))
                abort();
        http_response_release(&resp);
        if (s.token[0])
                auth_session_destroy(store, s.token, &e);
        web_uploads_cleanup();
        arena_release(&a);
        return 0;
}
