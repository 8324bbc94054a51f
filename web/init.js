// init.js — starts GOV.UK Frontend's components on every page of improve serve.
// Loaded as a module from /assets/ (the Content-Security-Policy forbids inline script),
// so it also sets the body classes GOV.UK Frontend's template would set inline.
import { initAll } from '@GOVUK_FRONTEND_JS@'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
