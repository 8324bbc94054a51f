/*
 * assets.c — the stylesheet and scripts `improve serve` sends under /assets/,
 * embedded in the binary so that improve stays one file.
 *
 * The real assets (GOV.UK Frontend compiled with sass from web/, and its
 * JavaScript) are generated at build time by scripts/gen-assets into a C file
 * that is linked into the `improve` binary only.  This file refers to that
 * table through weak symbols: in the test binaries, the fuzzers, or a build
 * made without npm, the table is absent and a small hand-written stylesheet
 * for the same GOV.UK class names is served instead, so pages stay usable.
 */
#include "web/web.h"
#include "web/pages.h"
#include "core/arena.h"

#include <string.h>

/* Defined by the generated build/web/assets_data.c when it is linked. */
extern const struct web_asset web_assets_generated[] __attribute__((weak));
extern const size_t web_assets_generated_count __attribute__((weak));

static const char fallback_css[] =
    "/* improve: fallback stylesheet (GOV.UK Frontend was not available at build time) */\n"
    "html{font-family:arial,helvetica,sans-serif;color:#0b0c0c;background:#f4f8fb}\n"
    "body{margin:0;background:#fff;font-size:19px;line-height:1.32}\n"
    ".govuk-width-container{max-width:960px;margin:0 15px}\n"
    "@media (min-width:1020px){.govuk-width-container{margin:0 auto}}\n"
    ".govuk-skip-link{position:absolute;left:-9999px}\n"
    ".govuk-skip-link:focus{position:static;display:block;padding:10px;background:#fd0}\n"
    ".govuk-generic-header{background:#0b0c0c;color:#fff;padding:10px 0}\n"
    ".govuk-generic-header__homepage-link{color:#fff;font-weight:700;font-size:24px;"
    "text-decoration:none}\n"
    ".govuk-service-navigation{background:#f4f8fb;border-bottom:1px solid #cecece}\n"
    ".govuk-service-navigation__list{list-style:none;margin:0;padding:0;display:flex;gap:20px}\n"
    ".govuk-service-navigation__item{padding:12px 0}\n"
    ".govuk-service-navigation__item--active{border-bottom:4px solid #1d70b8}\n"
    ".govuk-phase-banner{padding:10px 0;border-bottom:1px solid #cecece}\n"
    ".govuk-phase-banner__content{margin:0;font-size:16px}\n"
    ".govuk-tag{display:inline-block;padding:2px 8px;background:#bbd4ea;color:#0c2d4a;"
    "margin-right:10px}\n"
    ".govuk-main-wrapper{padding:30px 0 60px;display:block}\n"
    ".govuk-heading-xl,.govuk-heading-l{font-size:36px;margin:0 0 30px}\n"
    ".govuk-heading-m{font-size:24px;margin:0 0 20px}\n"
    ".govuk-body,.govuk-list{margin:0 0 20px}\n.govuk-body-s{font-size:16px}\n"
    ".govuk-link,a{color:#1d70b8}\na:focus{outline:3px solid transparent;background:#fd0;"
    "color:#0b0c0c}\n"
    ".govuk-form-group{margin-bottom:30px}\n.govuk-label{display:block;margin-bottom:5px}\n"
    ".govuk-input{font:inherit;width:100%;max-width:30em;padding:5px;border:2px solid #0b0c0c;"
    "box-sizing:border-box}\n"
    ".govuk-input:focus{outline:3px solid #fd0;box-shadow:inset 0 0 0 2px}\n"
    ".govuk-form-group--error{border-left:5px solid #d4351c;padding-left:15px}\n"
    ".govuk-error-message{color:#d4351c;font-weight:700;display:block}\n"
    ".govuk-button{font:inherit;background:#00703c;color:#fff;border:0;padding:8px 10px;"
    "box-shadow:0 2px 0 #002d18;cursor:pointer}\n"
    ".govuk-button--secondary{background:#f3f2f1;color:#0b0c0c;box-shadow:0 2px 0 #929191}\n"
    ".govuk-button:focus{outline:3px solid #fd0}\n"
    ".govuk-error-summary{border:5px solid #d4351c;padding:20px;margin-bottom:30px}\n"
    ".govuk-error-summary__title{margin-top:0}\n.govuk-error-summary a{color:#d4351c;"
    "font-weight:700}\n"
    ".govuk-table{border-collapse:collapse;width:100%;margin-bottom:40px}\n"
    ".govuk-table__header,.govuk-table__cell{text-align:left;padding:10px 20px 10px 0;"
    "border-bottom:1px solid #b1b4b6}\n"
    ".govuk-visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0)}\n"
    ".govuk-footer{border-top:1px solid #cecece;background:#f4f8fb;padding:25px 0;"
    "font-size:16px}\n"
    ".app-user-bar{display:flex;justify-content:space-between;align-items:center;"
    "padding-top:10px}\n";

static const struct web_asset fallback[] = {
    {"improve.css", "text/css; charset=utf-8", (const unsigned char *)fallback_css,
     sizeof fallback_css - 1, "fallback1"},
};

int web_assets_govuk(void)
{
        return &web_assets_generated_count != NULL && web_assets_generated_count > 0;
}

const struct web_asset *web_asset_find(const char *name)
{
        if (web_assets_govuk()) {
                for (size_t i = 0; i < web_assets_generated_count; i++)
                        if (strcmp(web_assets_generated[i].name, name) == 0)
                                return &web_assets_generated[i];
                return NULL;
        }
        for (size_t i = 0; i < sizeof fallback / sizeof fallback[0]; i++)
                if (strcmp(fallback[i].name, name) == 0)
                        return &fallback[i];
        return NULL;
}

const char *web_asset_url(struct web_ctx *c, const char *name)
{
        const struct web_asset *a = web_asset_find(name);
        if (!a)
                return NULL;
        return arena_printf(c->arena, "/assets/%s?v=%s", a->name, a->version);
}

int page_asset(struct web_ctx *c)
{
        const struct web_asset *a = web_asset_find(web_field(c, "name"));
        if (!a) {
                web_error_page(c, 404, "Page not found",
                               "If you typed the web address, check it is correct.");
                return 0;
        }
        c->resp->content_type = a->content_type;
        c->resp->static_body = a->data;
        c->resp->static_len = a->len;
        /* Pages link to assets with ?v=<content hash>, so a changed file has a new address. */
        c->resp->cacheable = 1;
        http_response_header(c->resp, "ETag", arena_printf(c->arena, "\"%s\"", a->version));
        return 0;
}
