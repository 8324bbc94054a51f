// tests/browser/browser.mjs — the web application in a real browser (Debian's Chromium driven
// by playwright-core), against a running `improve serve` that tests/browser/run started.
//
// Prints TAP (one line per check, "not ok N - name # SKIP why" for a page that is not there
// yet), as tests/run counts it.  Every page reached is checked three ways:
//   - its HTML, as the server sent it, is valid (html-validate, "standard" preset: the HTML
//     standard, no stylistic rules);
//   - axe-core finds no serious or critical accessibility violation in the rendered page;
//   - the browser reports no Content-Security-Policy violation (no inline script or style).
// A full-page screenshot of each goes to $ARTEFACTS/<role>-<page>.png.
//
// Environment (set by tests/browser/run):
//   BASE       http://127.0.0.1:PORT
//   ARTEFACTS  directory for screenshots and failure details
//   ACCOUNTS   JSON {role: {email, password, la}}
//   FIXTURE    JSON {measuresCsv, uploadDir, validateCsv} (facts worked out with the CLI)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const web = path.resolve(here, '../../web');
const require = createRequire(path.join(web, 'package.json'));
const { chromium } = require('playwright-core');
const { HtmlValidate } = require('html-validate');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const BASE = process.env.BASE;
const ARTEFACTS = process.env.ARTEFACTS;
const ACCOUNTS = JSON.parse(process.env.ACCOUNTS);
const FIXTURE = JSON.parse(process.env.FIXTURE || '{}');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// ------------------------------------------------------------------ TAP
let count = 0;
let failed = 0;
class Skip extends Error {}
function line(s) {
  process.stdout.write(s + '\n');
}
function diag(text) {
  for (const l of String(text).split('\n').slice(0, 40)) line('# ' + l);
}
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    line(`ok ${++count} - ${name} (${Date.now() - t0} ms)`);
  } catch (err) {
    if (err instanceof Skip) {
      line(`not ok ${++count} - ${name} # SKIP ${err.message}`);
    } else {
      failed++;
      line(`not ok ${++count} - ${name}`);
      diag(err && err.stack ? err.stack : err);
    }
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// ------------------------------------------------------------------ page checks
const validator = new HtmlValidate({ extends: ['html-validate:standard'] });

function slug(s) {
  return s.replace(/^\/+/, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'home';
}

// CSP violations show up as console errors; collected per page.
function watch(page) {
  const seen = { csp: [], errors: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) seen.csp.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  return seen;
}

async function htmlProblems(html) {
  const report = await validator.validateString(html);
  const out = [];
  for (const r of report.results)
    for (const m of r.messages) out.push(`line ${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
  return out;
}

async function axeProblems(page) {
  // Injected through the DevTools protocol (page.evaluate), which the page's CSP does not govern;
  // a <script> tag would be refused, as it should be.
  await page.evaluate(axeSource);
  const res = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join('; ')}`,
    );
}

// The three checks and a screenshot for the page now open (reached by `resp`).
async function checkPage(page, seen, resp, label) {
  const problems = [];
  const t0 = Date.now();
  const body = await resp.text();
  const ct = resp.headers()['content-type'] || '';
  assert(/text\/html/.test(ct), `${label}: Content-Type is ${ct}`);
  for (const p of await htmlProblems(body)) problems.push('html-validate ' + p);
  const t1 = Date.now();
  for (const p of await axeProblems(page)) problems.push('axe ' + p);
  const t2 = Date.now();
  for (const p of seen.csp) problems.push('CSP ' + p);
  for (const p of seen.errors) problems.push('script error ' + p);
  await page.screenshot({ path: path.join(ARTEFACTS, `${label}.png`), fullPage: true });
  if (process.env.TIMING) diag(`${label}: html-validate ${t1 - t0} ms, axe ${t2 - t1} ms, screenshot ${Date.now() - t2} ms`);
  checkedLabels.add(label);
  if (problems.length) {
    fs.writeFileSync(path.join(ARTEFACTS, `${label}.html`), body);
    throw new Error(`${label} (${page.url()}):\n  ` + problems.join('\n  '));
  }
}

// Pages already checked, by label (role and path): each is checked once.
const checkedLabels = new Set();

// Open `url` in a fresh tab of `context`, check it (unless that role's page was checked already),
// return {page, resp}; the caller closes the page.
async function visit(context, url, label, wantStatus = 200) {
  const page = await context.newPage();
  const seen = watch(page);
  const resp = await page.goto(BASE + url);
  assert(resp, `${url}: no response`);
  assert(
    resp.status() === wantStatus,
    `${url}: status ${resp.status()}, expected ${wantStatus} (landed on ${page.url()})`,
  );
  if (!checkedLabels.has(label)) await checkPage(page, seen, resp, label);
  checkedLabels.add(label);
  return { page, resp };
}

async function signIn(context, role) {
  const a = ACCOUNTS[role];
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(BASE + '/login');
  await page.fill('#email', a.email);
  await page.fill('#password', a.password);
  const [resp] = await Promise.all([
    page.waitForNavigation(),
    page.click('form[action="/login"] button[type=submit]'),
  ]);
  assert(new URL(page.url()).pathname === '/', `${role}: after sign-in at ${page.url()}`);
  return { page, seen, resp };
}

// Is there a page at `url` for this context (anything but 404)?
async function exists(context, url) {
  const r = await context.request.get(BASE + url, { maxRedirects: 0 });
  return r.status() !== 404;
}

// Every same-site page reachable from `start` by links, GET only, at most `perSection` pages per
// first path segment (one measure page stands for all of them) and `limit` in all.
async function crawl(context, role, start, limit = 12, perSection = 2) {
  const todo = [start];
  const seenUrls = new Set([start]);
  const perSeg = new Map();
  const checked = [];
  while (todo.length && checked.length < limit) {
    const url = todo.shift();
    const label = `${role}-${slug(url)}`;
    const { page } = await visit(context, url, label);
    checked.push(url);
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
    await page.close();
    for (const h of hrefs) {
      let u;
      try {
        u = new URL(h, BASE + url);
      } catch {
        continue;
      }
      if (u.origin !== new URL(BASE).origin) continue;
      const p = u.pathname + u.search;
      if (seenUrls.has(p)) continue;
      // Not pages: downloads, the JSON API, assets, and signing out.
      if (/^\/(assets|api)\//.test(u.pathname) || /\.(csv|xlsx|json|svg|png)$/.test(u.pathname))
        continue;
      if (u.pathname === '/logout' || u.pathname === '/login') continue;
      const seg = u.pathname.split('/')[1] || '';
      if ((perSeg.get(seg) || 0) >= perSection) continue;
      perSeg.set(seg, (perSeg.get(seg) || 0) + 1);
      seenUrls.add(p);
      todo.push(p);
    }
  }
  return checked;
}

// ------------------------------------------------------------------ the tests
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Playwright gives each launch a fresh --user-data-dir of its own.
  ],
});

try {
  const anon = await browser.newContext();

  await test('sign-in page: valid HTML, accessible, no CSP violation', async () => {
    const { page } = await visit(anon, '/login', 'anon-login');
    assert((await page.textContent('h1')).trim() === 'Sign in', 'no "Sign in" heading');
    await page.close();
  });

  await test('the scorecard asks an unsigned visitor to sign in', async () => {
    const page = await anon.newPage();
    await page.goto(BASE + '/');
    assert(new URL(page.url()).pathname === '/login', `landed on ${page.url()}`);
    await page.close();
  });

  await test('a wrong password: error summary, still signed out, page valid and accessible', async () => {
    const page = await anon.newPage();
    const seen = watch(page);
    await page.goto(BASE + '/login');
    await page.fill('#email', ACCOUNTS.admin.email);
    await page.fill('#password', 'not the password at all');
    const [resp] = await Promise.all([
      page.waitForNavigation(),
      page.click('form[action="/login"] button[type=submit]'),
    ]);
    // The form shown again (200) or refused (4xx), never a redirect into the service.
    assert(resp.status() === 200 || (resp.status() >= 400 && resp.status() < 500), `status ${resp.status()}`);
    assert(new URL(page.url()).pathname === '/login', `landed on ${page.url()}`);
    assert(await page.isVisible('.govuk-error-summary'), 'no GOV.UK error summary');
    const cookies = await anon.cookies();
    assert(!cookies.some((c) => c.name === 'improve_session'), 'a session cookie was set');
    await checkPage(page, seen, resp, 'anon-login-failed');
    await page.close();
  });

  // Signed in as each of three kinds of role: staff (admin), analyst, suppressed (member).
  const ctx = {};
  // admin2 is an administrator of 002, whose stored return has findings (and a child id with
  // markup): its crawl reaches the findings, child and delete-confirmation pages.
  for (const role of ['admin', 'analyst', 'member', 'admin2']) {
    if (!ACCOUNTS[role]) continue;
    ctx[role] = await browser.newContext();
    await test(`${role}: signs in and lands on the scorecard; session cookie HttpOnly, SameSite=Strict`, async () => {
      const { page, seen, resp } = await signIn(ctx[role], role);
      const cookie = (await ctx[role].cookies()).find((c) => c.name === 'improve_session');
      assert(cookie, 'no improve_session cookie');
      assert(cookie.httpOnly, 'session cookie not HttpOnly');
      assert(cookie.sameSite === 'Strict', `session cookie SameSite=${cookie.sameSite}`);
      await checkPage(page, seen, resp, `${role}-home`);
      await page.close();
    });
  }

  // The scorecard shows the measures the CLI computes for the authority.
  await test('scorecard: lists the measures `improve measures` has for the authority', async () => {
    if (!FIXTURE.measures || !FIXTURE.measures.length) throw new Skip('no measures in the fixture');
    const page = await ctx.admin.newPage();
    await page.goto(BASE + '/');
    const links = await page.$$eval('a[href^="/measures/"]', (as) =>
      as.map((a) => a.getAttribute('href')),
    );
    await page.close();
    if (!links.length && !(await exists(ctx.admin, '/measures/' + FIXTURE.measures[0])))
      throw new Skip('the scorecard has no measure pages yet (issue 7: /measures/{id})');
    const shown = new Set(links.map((h) => decodeURIComponent(h.split('/')[2].split(/[?#]/)[0])));
    const missing = FIXTURE.measures.filter((m) => !shown.has(m));
    assert(
      missing.length === 0,
      `${missing.length} of ${FIXTURE.measures.length} measures have no link on the scorecard: ${missing.slice(0, 10).join(', ')}`,
    );
  });

  await test('measure page: opened from the scorecard, names the measure, has a chart and a table', async () => {
    const page = await ctx.admin.newPage();
    const seen = watch(page);
    await page.goto(BASE + '/');
    const first = await page.$('a[href^="/measures/"]');
    if (!first) throw new Skip('the scorecard has no measure links yet');
    const href = await first.getAttribute('href');
    const [resp] = await Promise.all([page.waitForNavigation(), first.click()]);
    assert(resp.status() === 200, `${href}: status ${resp.status()}`);
    assert(new URL(page.url()).pathname === href.split('?')[0], `landed on ${page.url()}`);
    assert((await page.$$('main svg')).length > 0, 'no SVG chart');
    assert((await page.$$('main table')).length > 0, 'no data table');
    // The value `improve measures` gives for the year, as pages show it (one decimal place).
    const id = decodeURIComponent(href.split('/')[2].split(/[?#]/)[0]);
    const v = (FIXTURE.values || {})[id];
    if (v) {
      const [x, unit] = v;
      const up = (Math.round(x * 10 + 1e-9) / 10).toFixed(1);
      const shown = [up, x.toFixed(1)].map((t) => t + (unit === 'percent' ? '%' : ''));
      if (unit === 'count' && Number.isInteger(x)) shown.push(String(x));
      const text = await page.textContent('main');
      assert(shown.some((t) => text.includes(t)), `${id}: the page does not show the value ${x} (as ${shown.join(' or ')})`);
    }
    await checkPage(page, seen, resp, 'admin-measure');
    await page.close();
  });

  // Every page reachable by links, for each role: valid, accessible, no CSP violation.
  for (const role of Object.keys(ctx)) {
    await test(`${role}: every page reachable from the scorecard is valid HTML and accessible`, async () => {
      // The admin sees the most pages; the others' pages differ mainly in navigation and, for
      // the member, suppressed figures: fewer of theirs keep the run short.
      const limit = { admin: 12, admin2: 12, analyst: 3, member: 6 }[role];
      const pages = await crawl(ctx[role], role, '/', limit, role === 'admin2' ? 4 : 2);
      diag(`${role} checked: ${pages.join(' ')}`);
    });
  }

  // Pages named by issue 7 that the scorecard may not link to: present once they land.
  for (const [url, role] of [
    ['/quality', 'admin'],
    ['/imports/new', 'analyst'],
    ['/admin/users', 'admin'],
    ['/admin/audit', 'admin'],
  ]) {
    await test(`${role}: ${url} is valid HTML and accessible`, async () => {
      if (!(await exists(ctx[role], url))) throw new Skip(`${url} is not there yet`);
      const { page } = await visit(ctx[role], url, `${role}-${slug(url)}`);
      await page.close();
    });
  }

  // Upload a return with errors and see its findings (what `improve validate` finds).
  await test('upload a return with errors: the findings shown are the ones improve validate finds', async () => {
    if (!(await exists(ctx.analyst, '/imports/new'))) throw new Skip('/imports/new is not there yet');
    const page = await ctx.analyst.newPage();
    const seen = watch(page);
    await page.goto(BASE + '/imports/new');
    const inputs = await page.$$('main input[type=file]');
    assert(inputs.length > 0, 'no file input on /imports/new');
    const files = fs
      .readdirSync(FIXTURE.uploadDir)
      .filter((f) => f.endsWith('.csv'))
      .map((f) => path.join(FIXTURE.uploadDir, f));
    await inputs[0].setInputFiles(files);
    const [resp] = await Promise.all([
      page.waitForNavigation(),
      page.click('main form button[type=submit]'),
    ]);
    assert(resp.status() < 400, `upload answered ${resp.status()}`);
    // Every rule improve validate reports, in a table row of its own with the same count.
    const rows = await page.$$eval('main table tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim())),
    );
    const wrong = [];
    for (const [code, n] of Object.entries(FIXTURE.ruleCounts)) {
      const row = rows.find((r) => r[0] === code);
      if (!row) wrong.push(`${code}: no row`);
      else if (!row.includes(String(n))) wrong.push(`${code}: ${row.join(' | ')} (improve validate: ${n})`);
    }
    assert(wrong.length === 0, `findings by rule differ from improve validate:\n  ${wrong.join('\n  ')}`);
    await checkPage(page, seen, resp, 'analyst-upload-result');
    // Confirm the import: the data quality page then lists it with the return's error count.
    const confirm = await page.$('main form[action="/imports/confirm"] button[type=submit]');
    assert(confirm, 'no button to confirm the import');
    const [done] = await Promise.all([page.waitForNavigation(), confirm.click()]);
    assert(done.status() === 200, `confirming answered ${done.status()}`);
    const errors = FIXTURE.errorCount;
    const q = await ctx.analyst.newPage();
    await q.goto(BASE + '/quality');
    const qtext = await q.textContent('main');
    assert(qtext.includes(String(errors)), `/quality does not show the ${errors} findings of the imported return`);
    await q.screenshot({ path: path.join(ARTEFACTS, 'analyst-quality-after-import.png'), fullPage: true });
    await q.close();
    await page.close();
  });

  // A large upload goes through web/init.js: sent by XMLHttpRequest with a progress bar in a
  // polite live region, and the server's answer (here the error summary for a file that is not
  // a return) replaces the page without a navigation.
  await test('a large upload shows progress and its answer (web/init.js)', async () => {
    if (!(await exists(ctx.analyst, '/imports/new'))) throw new Skip('/imports/new is not there yet');
    const page = await ctx.analyst.newPage();
    const big = path.join(ARTEFACTS, 'large-upload.csv');
    fs.writeFileSync(big, 'not,a,return\n' + 'x,y,z\n'.repeat(200000)); // 1.2 MB
    await page.goto(BASE + '/imports/new');
    const form = await page.$('main form[data-upload-progress]');
    assert(form, 'the upload form is not marked data-upload-progress');
    const xhr = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/imports/new')) xhr.push(r.resourceType());
    });
    let navigated = 0;
    page.on('framenavigated', () => navigated++);
    await (await page.$$('main input[type=file]'))[0].setInputFiles(big);
    // Whether a progress bar with a polite status region was put on the page while sending.
    await page.evaluate(() => {
      window.progressShown = false;
      new MutationObserver((records) => {
        for (const r of records)
          for (const n of r.addedNodes)
            if (n.querySelector && n.querySelector('progress') && n.querySelector('[role=status][aria-live=polite]'))
              window.progressShown = true;
      }).observe(document.documentElement, { childList: true, subtree: true });
    });
    await page.click('main form button[type=submit]');
    await page.waitForSelector('.govuk-error-summary', { timeout: 60000 });
    fs.unlinkSync(big);
    assert(xhr.length === 1 && xhr[0] === 'xhr', `the upload was sent as ${xhr.join(', ') || 'nothing'}, not by XMLHttpRequest`);
    assert(navigated === 0, 'the page navigated instead of showing the answer in place');
    assert(await page.evaluate(() => window.progressShown), 'no progress bar with a live region was shown');
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.className);
    assert(/govuk-error-summary/.test(focused || ''), `focus is on "${focused}", not the error summary`);
    // The replaced page is live: the form is marked again and GOV.UK Frontend started on it.
    assert(await page.$('main form[data-upload-progress]'), 'the answer has no upload form');
    assert(await page.$('body.js-enabled'), 'the answer page lost its js-enabled class');
    await page.screenshot({ path: path.join(ARTEFACTS, 'analyst-large-upload-answer.png'), fullPage: true });
    await page.close();
  });

  await test('sign out ends the session', async () => {
    const page = await ctx.admin.newPage();
    await page.goto(BASE + '/');
    const button = await page.$('form[action="/logout"] button');
    assert(button, 'no sign-out button');
    await Promise.all([page.waitForNavigation(), button.click()]);
    const r = await ctx.admin.request.get(BASE + '/', { maxRedirects: 0 });
    assert(r.status() === 303 || r.status() === 302, `after sign-out / answered ${r.status()}`);
    await page.close();
  });
  // The sessions still open (all but the admin's, signed out above) go to security.mjs, which
  // reuses them instead of signing in again (it checks that each still opens the service).
  if (process.env.SESSIONS) {
    const out = {};
    for (const role of Object.keys(ctx)) {
      const c = (await ctx[role].cookies()).find((k) => k.name === 'improve_session');
      if (c) out[role] = c.value;
    }
    fs.writeFileSync(process.env.SESSIONS, JSON.stringify(out));
  }
} finally {
  await browser.close();
}

// No plan line: tests/browser/run adds its own check of the server and prints the plan.
process.exit(failed ? 1 : 0);
