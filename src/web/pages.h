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
/* page_home.c: the scorecard, and pieces the measure page shares */
const char *web_variation_words(const char *code); /* words for an SPC code, NULL for NULL */
struct measures_row;
void web_versus_tag(struct html *h, const struct measures_row *r);
/* page_measure.c */
int page_measure(struct web_ctx *c);
int page_measure_svg(struct web_ctx *c);
int page_measure_csv(struct web_ctx *c);
int page_measure_children(struct web_ctx *c);
/* page_api.c */
struct web_measures;
/* Rows as `improve measures --format csv`, as a download called `filename`. */
int web_write_csv(struct web_ctx *c, const struct web_measures *set, const char *filename,
                  struct err *e);
int page_api_measures(struct web_ctx *c);
int page_api_measures_csv(struct web_ctx *c);
int page_api_spc(struct web_ctx *c);
int page_api_findings(struct web_ctx *c);
int page_api_findings_csv(struct web_ctx *c);
/* page_quality.c */
int page_quality(struct web_ctx *c);
int page_quality_findings(struct web_ctx *c);
int page_quality_child(struct web_ctx *c);
int page_quality_xlsx(struct web_ctx *c);
/* page_import.c */
int page_import_form(struct web_ctx *c);
int page_import_upload(struct web_ctx *c);
int page_import_confirm(struct web_ctx *c);
/* page_admin.c */
int page_admin_users(struct web_ctx *c);
/* The users page with form errors, or with a new account's one-time password. */
int page_admin_users_with(struct web_ctx *c, const struct web_error *errs, size_t n,
                          const char *new_email, const char *new_password);
/* page_admin_manage.c */
int page_admin_user_new(struct web_ctx *c);
int page_admin_user_status(struct web_ctx *c);
int page_admin_settings(struct web_ctx *c);
int page_admin_settings_save(struct web_ctx *c);
int page_admin_import_delete_form(struct web_ctx *c);
int page_admin_import_delete(struct web_ctx *c);
int page_admin_audit(struct web_ctx *c);

#endif
