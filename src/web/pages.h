/*
 * pages.h — the handlers named in the route table (routes.c), one file per
 * screen: page_<name>.c.  Only routes.c and the page files include this.
 */
#ifndef IMPROVE_WEB_PAGES_H
#define IMPROVE_WEB_PAGES_H

#include "web/web.h"

/* page_health.c */
int page_healthz(struct web_ctx *c);
/* assets.c */
int page_asset(struct web_ctx *c);
/* page_login.c */
int page_login_form(struct web_ctx *c);
int page_login_submit(struct web_ctx *c);
int page_logout(struct web_ctx *c);
/* page_home.c */
int page_home(struct web_ctx *c);
/* page_admin.c */
int page_admin_users(struct web_ctx *c);
int page_admin_audit(struct web_ctx *c);

#endif
