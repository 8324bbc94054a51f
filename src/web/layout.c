/*
 * layout.c — the page around every screen: GOV.UK Frontend's template with a
 * Generic header naming the service "improve" (no crown: this is not a
 * GOV.UK service), skip link, phase banner, service navigation for the
 * signed-in user, footer; and the GOV.UK error summary.
 *
 * Markup follows GOV.UK Frontend's own templates (generic-header,
 * service-navigation, phase-banner, error-summary, footer) so its stylesheet
 * and JavaScript apply unchanged.  No inline script: the one script is an
 * embedded module file, allowed by the Content-Security-Policy's 'self'.
 */
#include "web/web.h"
#include "core/arena.h"

#include <string.h>

#ifndef IMPROVE_VERSION
#define IMPROVE_VERSION "0.0.0"
#endif

struct nav_item {
        const char *href;
        const char *label;
        unsigned roles;
};

/* The service navigation; an item shows only to the roles that may open it. */
static const struct nav_item nav[] = {
    {"/", "Scorecard", WEB_ANY_ROLE},
    {"/imports/new", "Upload", WEB_ADMIN | WEB_ROLE(WEB_ROLE_ANALYST)},
    {"/quality", "Data quality", WEB_STAFF | WEB_ROLE(WEB_ROLE_PRACTITIONER)},
    {"/admin/users", "Users", WEB_ADMIN},
    {"/admin/settings", "Settings", WEB_ADMIN},
    {"/admin/audit", "Audit log", WEB_ADMIN},
};

void web_csrf_field(struct web_ctx *c)
{
        struct html *h = &c->html;
        html_lit(h, "<input type=\"hidden\" name=\"csrf\" value=\"");
        html_attr(h, web_csrf_token(c));
        html_lit(h, "\">\n");
}

static void navigation(struct web_ctx *c)
{
        struct html *h = &c->html;
        html_lit(h,
                 "<section aria-label=\"Service information\" class=\"govuk-service-navigation\" "
                 "data-module=\"govuk-service-navigation\">\n"
                 "<div class=\"govuk-width-container\">\n"
                 "<div class=\"govuk-service-navigation__container\">\n"
                 "<nav aria-label=\"Menu\" class=\"govuk-service-navigation__wrapper\">\n"
                 "<ul class=\"govuk-service-navigation__list\" id=\"navigation\">\n");
        for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++) {
                if (!(nav[i].roles & WEB_ROLE(c->scope->role)))
                        continue;
                int current = strcmp(c->req->path, nav[i].href) == 0;
                html_lit(h, "<li class=\"govuk-service-navigation__item");
                if (current)
                        html_lit(h, " govuk-service-navigation__item--active");
                html_lit(h, "\"><a class=\"govuk-service-navigation__link\" href=\"");
                html_url(h, nav[i].href);
                html_lit(h, "\"");
                if (current)
                        html_lit(h, " aria-current=\"page\"");
                html_lit(h, ">");
                if (current)
                        html_lit(h, "<strong class=\"govuk-service-navigation__active-fallback\">");
                html_text(h, nav[i].label);
                if (current)
                        html_lit(h, "</strong>");
                html_lit(h, "</a></li>\n");
        }
        html_lit(h, "</ul>\n</nav>\n</div>\n</div>\n</section>\n");
}

static void signed_in_line(struct web_ctx *c)
{
        struct html *h = &c->html;
        html_lit(h, "<div class=\"app-user-bar\">\n<p class=\"govuk-body-s app-user-bar__text\">"
                    "Signed in as <strong>");
        html_text(h, c->scope->email);
        html_lit(h, "</strong> (");
        html_text(h, web_role_name(c->scope->role));
        html_lit(h, ", authority ");
        html_text(h, c->scope->la);
        html_lit(h, ")</p>\n<form method=\"post\" action=\"/logout\" class=\"app-user-bar__form\" "
                    "novalidate>\n");
        web_csrf_field(c);
        html_lit(h, "<button type=\"submit\" class=\"govuk-button govuk-button--secondary "
                    "app-user-bar__button\" data-module=\"govuk-button\">Sign out</button>\n"
                    "</form>\n</div>\n");
}

void web_page_begin(struct web_ctx *c, const char *title)
{
        struct html *h = &c->html;
        c->resp->content_type = "text/html; charset=utf-8";
        html_lit(h, "<!DOCTYPE html>\n<html lang=\"en\" class=\"govuk-template\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n<title>");
        /* Titles stay under 70 characters with the service name: long ones end in "…". */
        size_t tn = strlen(title);
        if (tn > 56) {
                size_t cut = 55;
                while (cut > 30 && title[cut] != ' ')
                        cut--;
                while (cut > 0 && ((unsigned char)title[cut] & 0xC0) == 0x80)
                        cut--; /* never inside a UTF-8 sequence */
                html_textn(h, title, cut);
                html_lit(h, "…");
        } else {
                html_text(h, title);
        }
        html_lit(h, " – improve</title>\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, "
                    "viewport-fit=cover\">\n"
                    "<meta name=\"theme-color\" content=\"#0b0c0c\">\n");
        const char *css = web_asset_url(c, "improve.css");
        if (css) {
                html_lit(h, "<link rel=\"stylesheet\" href=\"");
                html_url(h, css);
                html_lit(h, "\">\n");
        }
        html_lit(h, "</head>\n<body class=\"govuk-template__body\">\n"
                    "<a href=\"#main-content\" class=\"govuk-skip-link\" "
                    "data-module=\"govuk-skip-link\">Skip to main content</a>\n"
                    "<header class=\"govuk-template__header\">\n"
                    "<div class=\"govuk-generic-header\">\n"
                    "<div class=\"govuk-generic-header__container govuk-width-container\">\n"
                    "<div class=\"govuk-generic-header__logo\">\n"
                    "<a href=\"/\" class=\"govuk-generic-header__homepage-link\">improve</a>\n"
                    "</div>\n</div>\n</div>\n");
        if (c->scope)
                navigation(c);
        html_lit(h, "</header>\n<div class=\"govuk-width-container\">\n"
                    "<div class=\"govuk-phase-banner\">\n"
                    "<p class=\"govuk-phase-banner__content\">"
                    "<strong class=\"govuk-tag govuk-phase-banner__content__tag\">Alpha</strong>"
                    "<span class=\"govuk-phase-banner__text\">This is a new service: its pages "
                    "arrive as the figures they show are stored.</span></p>\n</div>\n");
        if (c->scope)
                signed_in_line(c);
        html_lit(h, "<main class=\"govuk-main-wrapper\" id=\"main-content\">\n");
}

void web_page_end(struct web_ctx *c)
{
        struct html *h = &c->html;
        html_lit(h, "</main>\n</div>\n"
                    "<footer class=\"govuk-footer\">\n<div class=\"govuk-width-container\">\n"
                    "<div class=\"govuk-footer__meta\">\n"
                    "<div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">\n"
                    "<p class=\"govuk-body-s\">improve " IMPROVE_VERSION
                    " is free software, licensed under the GNU General Public License version 3 "
                    "or later. It is not a GOV.UK service.</p>\n"
                    "</div>\n</div>\n</div>\n</footer>\n");
        const char *js = web_asset_url(c, "init.js");
        if (js && web_assets_govuk()) {
                html_lit(h, "<script type=\"module\" src=\"");
                html_url(h, js);
                html_lit(h, "\"></script>\n");
        }
        html_lit(h, "</body>\n</html>\n");
}

void web_error_summary(struct web_ctx *c, const struct web_error *errors, size_t n)
{
        if (n == 0)
                return;
        struct html *h = &c->html;
        html_lit(h, "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\">\n"
                    "<div role=\"alert\">\n"
                    "<h2 class=\"govuk-error-summary__title\">There is a problem</h2>\n"
                    "<div class=\"govuk-error-summary__body\">\n"
                    "<ul class=\"govuk-list govuk-error-summary__list\">\n");
        for (size_t i = 0; i < n; i++) {
                html_lit(h, "<li>");
                if (errors[i].field_id) {
                        html_lit(h, "<a href=\"#");
                        html_attr(h, errors[i].field_id);
                        html_lit(h, "\">");
                        html_text(h, errors[i].message);
                        html_lit(h, "</a>");
                } else {
                        html_text(h, errors[i].message);
                }
                html_lit(h, "</li>\n");
        }
        html_lit(h, "</ul>\n</div>\n</div>\n</div>\n");
}

void web_error_page(struct web_ctx *c, int status, const char *title, const char *message)
{
        struct html *h = &c->html;
        c->resp->status = status;
        buf_reset(&c->resp->body);
        web_page_begin(c, title);
        html_lit(h, "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n"
                    "<h1 class=\"govuk-heading-l\">");
        html_text(h, title);
        html_lit(h, "</h1>\n<p class=\"govuk-body\">");
        html_text(h, message);
        html_lit(h, "</p>\n");
        if (status == 401 || (status == 403 && !c->scope))
                html_lit(h, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/login\">"
                            "Sign in</a></p>\n");
        else
                html_lit(h, "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/\">"
                            "Go to the home page</a></p>\n");
        html_lit(h, "</div>\n</div>\n");
        web_page_end(c);
}
