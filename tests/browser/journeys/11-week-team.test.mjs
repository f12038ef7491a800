// Journey 11: the views an FM and a manager open (issue 11).  The FM ("demo")
// has a customer with a check-in series, an overdue next action and a
// blocker; "My week" lists them, linked from the nav.  A manager (added as an
// operator does, with ftsuccess-admin, then chosen with the demo's ?as=
// switch) opens the team view, whose numbers lead to the filtered portfolio;
// the FM is refused it.  The FM makes a calendar feed on the profile page and
// the feed, fetched without the browser's session, reads as a subscription
// with ical.js.  Both views fit 390 and 1280 px and pass axe-core.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { BASE, STACK_DIR, openBrowser, visit, submit, journeyStep, uniq, assertJourneyClean } from '../lib/helpers.mjs';
import { setUpCustomer, isoDay, assertHeading } from '../lib/flows.mjs';
import { assertFits } from '../lib/layout.mjs';

const ctx = await openBrowser('week-team');
after(() => ctx.context.close());

const WIDTHS = [{ width: 390, height: 844 }, { width: 1280, height: 800 }];
const name = `Fabrikam São Paulo ${uniq()}`;
let customerId;

// A JSON API call from the signed-in browser.
async function api(method, path, data) {
	const resp = await ctx.page.request.fetch(BASE + path, { method, data,
		headers: { 'Content-Type': 'application/json', Origin: BASE } });
	assert.ok(resp.ok(), `${method} ${path} answered ${resp.status()}: ${await resp.text()}`);
	return resp.json();
}

test('week: an FM\'s customer with a series, an overdue next action and a blocker', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'week-setup', async () => {
		customerId = await setUpCustomer(page, journey, {
			name, domain: `fabrikam${uniq()}.onmicrosoft.com`, timezone: 'America/Sao_Paulo',
			contacts: [{ name: 'Joana Prado', email: 'joana.prado@fabrikam.example' }],
			services: [{ title: 'Exchange Online', activatedOn: isoDay(-20) }],
		});
		await api('POST', `/api/customers/${customerId}/checkins`, { held_on: isoDay(-5),
			summary: 'Kick-off', next_action: 'Send the migration plan', next_action_on: isoDay(-1),
			next_action_owner: 'Joana' });
		await api('POST', `/api/customers/${customerId}/meetings`, { starts_at: `${isoDay(1)}T10:00`,
			duration_minutes: 30, every_weeks: 1 });
		await api('POST', `/api/customers/${customerId}/blockers`, { description: 'Proxy blocks Teams',
			owner: 'IT', l2_reason: 'customer_it_infrastructure' });
	});
});

for (const size of WIDTHS) {
	test(`week: My week at ${size.width} px`, async () => {
		const { page, journey } = ctx;
		await journeyStep(ctx, `week-${size.width}`, async () => {
			await page.setViewportSize(size);
			await visit(page, journey, '/', `portfolio ${size.width}`);
			await submit(page, journey, page.getByRole('link', { name: 'My week' }), `my week ${size.width}`);
			await assertHeading(page, 'My week');
			const actions = page.locator('#actions-h + .table-wrap, section:has(#actions-h)');
			assert.match(await actions.first().textContent(), /Send the migration plan[\s\S]*overdue/);
			const checkins = await page.locator('section:has(#checkins-h)').textContent();
			assert.ok(checkins.includes(name), 'the series\' check-ins are listed');
			assert.match(await page.locator('section:has(#blockers-h)').textContent(), /Proxy blocks Teams/);
			assert.equal(await page.getByRole('link', { name: 'Team' }).count(), 0, 'no team view for an FM');
			await assertFits(page, 'my week', size.width);
		});
	});
}

test('team: refused to the FM, opened to a manager, numbers lead to the portfolio', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'team', async () => {
		const refused = await visit(page, journey, '/team', 'team refused');
		assert.equal(refused.status(), 403, 'the FM is refused the team view');
		assert.match(await page.locator('main').textContent(), /manager/);

		// An operator adds the manager; the demo switch then acts as her.
		const build = process.env.FTS_BUILD_DIR;
		assert.ok(build, 'FTS_BUILD_DIR names the build (tests/browser/run exports it)');
		execFileSync(join(build, 'admin', 'ftsuccess-admin'), ['--config', join(STACK_DIR, 'ftsuccess.conf'),
			'user', 'add', 'marina', '--name', 'Marina Costa', '--role', 'manager']);
		for (const size of WIDTHS) {
			await page.setViewportSize(size);
			await visit(page, journey, '/team?as=marina', `team ${size.width}`);
			await assertHeading(page, 'Team');
			const row = page.locator('tbody tr', { has: page.locator('th', { hasText: 'demo' }) });
			assert.equal(await row.count(), 1, 'the FM has a row');
			assert.match(await row.textContent(), /Customer IT Infrastructure/);
			await assertFits(page, 'team', size.width);
		}
		const row = page.locator('tbody tr', { has: page.locator('th', { hasText: 'demo' }) });
		await submit(page, journey, row.locator('td.num a').first(), 'portfolio of the FM');
		assert.match(page.url(), /[?&]fm=demo/);
		assert.ok((await page.locator('main').textContent()).includes(name), 'the FM\'s portfolio lists the customer');
		await visit(page, journey, '/?as=demo', 'back to the FM');
	});
});

test('feed: made on the profile page, read as a subscription by ical.js', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'feed', async () => {
		await visit(page, journey, '/profile', 'profile');
		await submit(page, journey, page.getByRole('button', { name: 'Make a feed address' }), 'feed made');
		const url = await page.getByLabel('Feed address').inputValue();
		assert.match(url, /\/feed\/[0-9a-f]{64}\.ics$/);
		// A calendar service has no session: a fresh request context.
		const resp = await fetch(url);
		assert.equal(resp.status, 200);
		const text = await resp.text();
		const cal = new ICAL.Component(ICAL.parse(text));
		assert.equal(cal.getFirstPropertyValue('method'), null, 'no METHOD in a subscription');
		const events = cal.getAllSubcomponents('vevent');
		const series = events.find((e) => e.getFirstProperty('rrule'));
		assert.ok(series, 'the check-in series is in the feed');
		assert.equal(series.getFirstProperty('dtstart').getParameter('tzid'), 'America/Sao_Paulo');
		const day = events.find((e) => e.getFirstPropertyValue('dtstart').isDate);
		assert.ok(day, 'the next action is an all-day event');
		assert.equal(day.getFirstPropertyValue('dtstart').toString(), isoDay(-1));
		assert.match(day.getFirstPropertyValue('summary'), /Send the migration plan/);
		// Revoked, the address is dead.
		await visit(page, journey, '/profile', 'profile again');
		await submit(page, journey, page.getByRole('button', { name: 'Revoke the feed' }), 'feed revoked');
		assert.equal((await fetch(url)).status, 404);
	});
});

// The refused team page is a 403, and after it Chromium asks for /favicon.ico (404).
test('week and team: every page passes axe-core', () => assertJourneyClean(ctx.journey, /status of 40[34] /));
