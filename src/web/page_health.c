/*
 * page_health.c — GET /healthz: is the server up and can it read its
 * database?  For load balancers and monitoring, so it needs no sign-in and
 * says nothing about the data: status, schema version, program version.
 */
#include "web/pages.h"
#include "core/err.h"
#include "store/store.h"

#include <jansson.h>
#include <stdlib.h>

#ifndef IMPROVE_VERSION
#define IMPROVE_VERSION "0.0.0"
#endif

int page_healthz(struct web_ctx *c)
{
        struct err e = {0};
        int ok = store_ping(c->store, &e) == 0;
        json_t *o = json_pack("{s:s, s:i, s:s}", "status", ok ? "ok" : "unavailable", "schema",
                              store_schema_version(c->store), "version", IMPROVE_VERSION);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (!text)
                return -1;
        c->resp->status = ok ? 200 : 503;
        c->resp->content_type = "application/json";
        buf_puts(&c->resp->body, text);
        buf_putc(&c->resp->body, '\n');
        free(text);
        return 0;
}
