/*
 * page_home.c — GET /: for now, who you are and what is coming.
 *
 * The scorecard will live here once measures are stored (issue 5); until
 * then the page says so plainly rather than showing empty charts, and shows
 * the signed-in user's authority and role, and what that role may see.
 */
#include "web/pages.h"
#include "core/err.h"
#include "store/store.h"

int page_home(struct web_ctx *c)
{
        struct html *h = &c->html;
        struct err e = {0};
        struct store_authority a;
        char strings[512];
        int known = store_authority_get(c->store, c->scope->la, &a, strings, sizeof strings, &e);
        if (known < 0)
                return -1;

        web_page_begin(c, "Home");
        html_lit(h, "<div class=\"govuk-grid-row\">\n<div class=\"govuk-grid-column-two-thirds\">\n"
                    "<h1 class=\"govuk-heading-l\">");
        if (known)
                html_text(h, a.name);
        else
                html_textf(h, "Authority %s", c->scope->la);
        html_lit(h, "</h1>\n<dl class=\"govuk-summary-list\">\n"
                    "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">"
                    "Authority</dt><dd class=\"govuk-summary-list__value\">");
        if (known)
                html_textf(h, "%s (%s%s%s)", a.name, a.code, a.ecode[0] ? ", " : "", a.ecode);
        else
                html_text(h, c->scope->la);
        html_lit(h, "</dd></div>\n"
                    "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">"
                    "Your role</dt><dd class=\"govuk-summary-list__value\">");
        html_text(h, web_role_name(c->scope->role));
        html_lit(h, ": ");
        html_text(h, web_role_description(c->scope->role));
        html_lit(h, "</dd></div>\n</dl>\n"
                    "<h2 class=\"govuk-heading-m\">What is here, and what is coming</h2>\n"
                    "<p class=\"govuk-body\">This version of improve can sign you in and keeps "
                    "an audit log. The pages that show figures are not here yet, because they "
                    "need the outcome measures to be computed and stored first:</p>\n"
                    "<ul class=\"govuk-list govuk-list--bullet\">\n"
                    "<li>the scorecard: every measure with its trend, variation and "
                    "benchmarks against statistical neighbours, region and England</li>\n"
                    "<li>a page for each measure, with its charts and data table</li>\n"
                    "<li>data quality: imports and validation findings</li>\n"
                    "<li>uploading a return</li>\n"
                    "</ul>\n"
                    "<p class=\"govuk-body\">Until then, analysts can use the improve command "
                    "line, which already validates and imports returns.</p>\n");
        if (c->scope->suppress)
                html_lit(h, "<p class=\"govuk-body\">In your role, figures will be shown with "
                            "small numbers suppressed (shown as <strong>c</strong>), as the "
                            "statistical disclosure rules require.</p>\n");
        html_lit(h, "</div>\n</div>\n");
        web_page_end(c);
        return 0;
}
