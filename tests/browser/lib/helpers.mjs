// helpers.mjs -- what every journey shares: a fresh Chromium per journey,
// navigation that checks each page with axe-core, the captured mail (Maildir
// written by the SMTP capture server, parsed with mailparser), the outbox
// read through /api/outbox, and screenshots.
//
// The stack itself is started by tests/browser/run (lib/stack.sh), which
// passes its addresses in the environment:
//   FTS_BASE_URL      http://127.0.0.1:PORT (nginx in front of ftsuccess.fcgi)
//   FTS_MAILDIR       the capture server's Maildir
//   FTS_STACK_DIR     temp dir of this run (profiles, artifacts, pid files)
//   FTS_ARTIFACTS     where screenshots of this run go (default: STACK_DIR/artifacts)
//   FTS_SCREENSHOTS   optional: also write the documentation screenshots here
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { simpleParser } from 'mailparser';

const require = createRequire(import.meta.url);

function need(name) {
	const v = process.env[name];
	if (!v)
		throw new Error(`${name} is not set: run the journeys through tests/browser/run`);
	return v;
}

export const BASE = need('FTS_BASE_URL');
export const MAILDIR = need('FTS_MAILDIR');
export const STACK_DIR = need('FTS_STACK_DIR');
export const ARTIFACTS = process.env.FTS_ARTIFACTS || join(STACK_DIR, 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Chromium flags: no network beyond loopback, nothing downloaded, no sandbox (root).
const CHROMIUM_ARGS = [
	'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/*
 * A journey's browser: a persistent context in a fresh user-data-dir, so
 * nothing leaks between journeys.  Returns { context, page, journey } where
 * journey collects accessibility violations, console errors and dialogs.
 * opts may set the browser's language: { locale, extraHTTPHeaders } (journey 14).
 */
export async function openBrowser(name, opts = {}) {
	const profile = mkdtempSync(join(STACK_DIR, `profile-${name}-`));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.FTS_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 1280, height: 900 },
		locale: 'en-US',
		timezoneId: 'UTC',
		...opts,
	});
	await recordBrowserPid(context, name);
	const page = context.pages()[0] ?? await context.newPage();
	page.setDefaultTimeout(15000);
	page.setDefaultNavigationTimeout(20000);
	const journey = { name, violations: [], consoleErrors: [], dialogs: [], pages: 0 };
	page.on('console', (msg) => {
		// A form refused with 422 is expected; Chromium logs every non-2xx load.
		if (msg.type() === 'error' && !/status of 422 /.test(msg.text()))
			journey.consoleErrors.push(`${page.url()}: ${msg.text()}`);
	});
	page.on('pageerror', (err) => journey.consoleErrors.push(`${page.url()}: ${err.message}`));
	page.on('dialog', async (d) => {
		journey.dialogs.push(`${d.type()}: ${d.message()}`);
		await d.dismiss().catch(() => {});
	});
	return { context, page, journey };
}

// The browser's pid (= its process group: Playwright starts it detached),
// so tests/browser/run can stop it even if this process dies.
async function recordBrowserPid(context, name) {
	try {
		const cdp = await context.browser()?.newBrowserCDPSession?.()
		    ?? await context.newCDPSession(context.pages()[0]);
		const info = await cdp.send('SystemInfo.getProcessInfo');
		const b = info.processInfo.find((p) => p.type === 'browser');
		if (b)
			writeFileSync(join(STACK_DIR, 'pids', `browser-${name}-${process.pid}.pid`), `${b.id}\n`);
		await cdp.detach().catch(() => {});
	} catch {
		// Only a safety net; closing the context normally stops the browser.
	}
}

/*
 * axe-core on the current page; serious and critical violations are kept
 * with the page they were found on.  The source is evaluated through the
 * DevTools protocol, which the page's CSP (script-src 'self') does not
 * govern, so the page keeps its real CSP for everything else.
 */
export async function axeCheck(page, journey, label) {
	journey.pages++;
	const t0 = Date.now();
	const results = await page.evaluate(async (src) => {
		if (!window.axe)
			(0, eval)(src);
		return await window.axe.run(document, {
			resultTypes: ['violations'],
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
		});
	}, AXE_SOURCE);
	trace(`axe ${label}: ${Date.now() - t0} ms, ${results.violations.length} violation(s)`);
	if (process.env.FTS_SHOOT_ALL) {
		// Every page visited, for a person to look through (tests/browser/run --shoot-all).
		const dir = join(ARTIFACTS, 'pages');
		mkdirSync(dir, { recursive: true });
		const file = `${journey.name}-${String(journey.pages).padStart(2, '0')}-${label.replace(/[^A-Za-z0-9]+/g, '-')}.png`;
		await page.screenshot({ path: join(dir, file), fullPage: true });
	}
	for (const v of results.violations) {
		if (v.impact !== 'serious' && v.impact !== 'critical')
			continue;
		journey.violations.push({
			page: label, url: page.url(), id: v.id, impact: v.impact, help: v.help,
			targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
		});
	}
}

export function formatViolations(list) {
	return list.map((v) => `${v.id} (${v.impact}) on ${v.page} ${v.url}: ${v.help}\n      ${v.targets.join('\n      ')}`).join('\n    ');
}

/*
 * The end of a journey: it visited some pages, every one passed axe-core
 * (no serious or critical violation) and logged no console error (CSP,
 * scripts) but those matching ignore (a RegExp, when given).
 */
export function assertJourneyClean(journey, ignore) {
	assert.ok(journey.pages > 0, 'pages were checked');
	assert.deepEqual(journey.violations, [], `violations:\n    ${formatViolations(journey.violations)}`);
	const errors = ignore ? journey.consoleErrors.filter((e) => !ignore.test(e)) : journey.consoleErrors;
	assert.deepEqual(errors, [], 'console errors (CSP, scripts)');
}

// Open a page of the application and check it.
export async function visit(page, journey, path, label = path) {
	const resp = await page.goto(BASE + path, { waitUntil: 'load' });
	assert.ok(resp, `no response for ${path}`);
	await axeCheck(page, journey, label);
	return resp;
}

/*
 * Click something that submits a form or follows a link, wait for the page
 * it leads to, and check it.  Returns the final response (status visible to
 * the caller: a form with errors answers 422 without redirecting).
 */
export async function submit(page, journey, locator, label) {
	const t0 = Date.now();
	const [resp] = await Promise.all([
		page.waitForNavigation({ waitUntil: 'load' }),
		locator.click(),
	]);
	trace(`submit -> ${resp?.status()} ${page.url()}: ${Date.now() - t0} ms`);
	await axeCheck(page, journey, label ?? `after ${await locator.textContent().catch(() => '?')}`);
	return resp;
}

// Open a <details> form box by its summary text, if it is closed.
export async function openBox(page, summaryText) {
	const summary = page.locator('summary', { hasText: summaryText }).first();
	const details = summary.locator('xpath=..');
	if (!(await details.evaluate((d) => d.open)))
		await summary.click();
	return details;
}

export async function screenshot(page, file, opts = {}) {
	const out = join(ARTIFACTS, file);
	if (opts.locator)
		await opts.locator.screenshot({ path: out });
	else
		await page.screenshot({ path: out, fullPage: opts.fullPage ?? false });
	if (process.env.FTS_SCREENSHOTS) {
		mkdirSync(process.env.FTS_SCREENSHOTS, { recursive: true });
		copyFileSync(out, join(process.env.FTS_SCREENSHOTS, file));
	}
	return out;
}

// Where a failing journey leaves its last page, for the report.
export async function failureShot(page, name) {
	try {
		const out = join(ARTIFACTS, `failure-${name}.png`);
		await page.screenshot({ path: out, fullPage: true });
		return out;
	} catch {
		return '(no screenshot)';
	}
}

/*
 * Run a journey body; on failure add the page URL and a screenshot path to
 * the error so the report says where it broke.
 */
export async function journeyStep(ctx, name, fn) {
	try {
		return await fn();
	} catch (err) {
		const shot = await failureShot(ctx.page, name);
		err.message = `${err.message}\n    at page ${ctx.page.url()}\n    screenshot: ${shot}`;
		throw err;
	}
}

// ---- mail ----

const parsedCache = new Map();

// Every message in the Maildir so far, parsed (cached by file name).
export async function allMail() {
	const out = [];
	for (const sub of ['new', 'cur']) {
		let names = [];
		try {
			names = readdirSync(join(MAILDIR, sub));
		} catch {
			continue;
		}
		for (const n of names.sort()) {
			const file = join(MAILDIR, sub, n);
			let m = parsedCache.get(n);
			if (!m) {
				const raw = readFileSync(file);
				m = await simpleParser(raw, { skipHtmlToText: true });
				m.raw = raw.toString('utf8');
				m.file = file;
				parsedCache.set(n, m);
			}
			out.push(m);
		}
	}
	return out;
}

export function addresses(field) {
	if (!field)
		return [];
	const list = Array.isArray(field) ? field : [field];
	return list.flatMap((a) => a.value.map((v) => v.address.toLowerCase()));
}

// Wait until at least `count` messages match; returns those that match.
export async function waitForMail(pred, { count = 1, timeout = 30000, what = 'mail' } = {}) {
	const until = Date.now() + timeout;
	let got = [];
	for (;;) {
		got = (await allMail()).filter(pred);
		if (got.length >= count)
			return got;
		if (Date.now() > until)
			break;
		await sleep(250);
	}
	const seen = (await allMail()).map((m) => `${m.subject} -> ${addresses(m.to).join(',')}`);
	throw new Error(`timed out after ${timeout} ms waiting for ${count} ${what}; got ${got.length}; ` +
	    `the Maildir holds ${seen.length}: ${seen.join(' | ') || '(nothing)'}`);
}

// FTS_TRACE=1 logs each step's timing (to the test's diagnostic output).
export function trace(msg) {
	if (process.env.FTS_TRACE)
		console.log(`# ${new Date().toISOString().slice(11, 23)} ${msg}`);
}

export function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

// ---- outbox (read only) ----

export async function outbox() {
	const r = await fetch(`${BASE}/api/outbox`, { headers: { Accept: 'application/json' } });
	assert.equal(r.status, 200, `GET /api/outbox answered ${r.status}`);
	return (await r.json()).messages;
}

/*
 * Wait until the notifier has nothing queued or in flight, then one more
 * poll interval: after that a duplicate would already be in the Maildir.
 */
export async function waitOutboxIdle(timeout = 30000) {
	const until = Date.now() + timeout;
	for (;;) {
		const rows = await outbox();
		const busy = rows.filter((m) => m.state === 'queued' || m.state === 'sending');
		if (busy.length === 0) {
			await sleep(1500);
			return rows;
		}
		if (Date.now() > until)
			throw new Error(`outbox still busy after ${timeout} ms: ` +
			    busy.map((m) => `#${m.id} ${m.kind} ${m.state} ${m.last_error ?? ''}`).join('; '));
		await sleep(250);
	}
}

// The customer id from a /customers/ID page URL.
export function customerIdFrom(url) {
	const m = /\/customers\/(\d+)/.exec(url);
	assert.ok(m, `not a customer page: ${url}`);
	return m[1];
}

// A unique suffix so journeys never see each other's data.
export function uniq() {
	return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

