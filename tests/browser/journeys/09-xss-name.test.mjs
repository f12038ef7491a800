// Journey 6: a customer whose name is markup is shown as text everywhere
// (portfolio, customer page, outbox, the mail) and no script runs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, visit, submit, journeyStep, waitForMail, waitOutboxIdle, addresses, assertJourneyClean } from '../lib/helpers.mjs';
import { createCustomer, addContact, addService, isoDay } from '../lib/flows.mjs';

const ctx = await openBrowser('xss');
after(() => ctx.context.close());
const NAME = '<img src=x onerror=alert(1)>';

// Nothing the name could have become: no <img src=x>, no handler attribute.
async function assertInert(page, where) {
	const injected = await page.evaluate(() =>
	    [...document.querySelectorAll('img')].filter((i) => i.getAttribute('src') === 'x' || i.hasAttribute('onerror')).length);
	assert.equal(injected, 0, `${where}: no <img> element made from the name`);
	assert.deepEqual(ctx.journey.dialogs, [], `${where}: no dialog fired`);
}

test('journey 6: a customer named <img src=x onerror=alert(1)> renders as text everywhere', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'xss', async () => {
		const id = await createCustomer(page, journey, {
			name: NAME, domain: 'xss.onmicrosoft.com', timezone: 'America/Sao_Paulo',
		});
		assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), NAME, 'customer page heading is the literal name');
		await assertInert(page, 'customer page');
		assert.ok((await page.title()).startsWith(NAME), `the <title> holds the literal name: ${await page.title()}`);

		// Something for the outbox: a contact, a live service and an invite.
		const email = 'xavier@xss.example';
		await addContact(page, journey, { name: 'Xavier Sousa', email });
		await addService(page, journey, { title: 'Exchange Online', activatedOn: isoDay(-10) });
		const box = page.locator('#form-schedule');
		await box.locator('summary').click();
		await box.getByLabel('First meeting starts').fill(`${isoDay(14)}T10:00`);
		const resp = await submit(page, journey, box.getByRole('button', { name: 'Schedule and send invites' }), 'customer page (scheduled)');
		assert.ok(resp.ok(), `scheduling answered ${resp.status()}`);
		await assertInert(page, 'customer page after scheduling');
		assert.ok((await page.locator('#notifications tbody').innerText()).includes(email), 'the invite is listed under Notifications');

		// Portfolio: the row's link reads the name literally.
		await visit(page, journey, `/?q=${encodeURIComponent('xss.onmicrosoft')}`, 'portfolio (filtered)');
		const link = page.locator(`a[href$="/customers/${id}"]`).first();
		assert.equal((await link.textContent()).trim(), NAME, 'portfolio link text is the literal name');
		await page.getByText(NAME, { exact: true }).first().waitFor({ state: 'visible' });
		await assertInert(page, 'portfolio');
		await visit(page, journey, '/', 'portfolio');
		await assertInert(page, 'portfolio (all)');

		// Outbox list and message page.
		await visit(page, journey, '/outbox', 'outbox');
		const row = page.locator('tbody tr', { hasText: email }).first();
		await row.waitFor();
		assert.equal((await row.locator(`a[href$="/customers/${id}"]`).textContent()).trim(), NAME, 'outbox shows the literal name');
		await assertInert(page, 'outbox');
		await submit(page, journey, row.locator('a[href*="/outbox/"]').first(), 'outbox message');
		assert.equal((await page.locator(`a[href$="/customers/${id}"]`).first().textContent()).trim(), NAME, 'outbox message shows the literal name');
		await assertInert(page, 'outbox message');

		// The mail: the name is text in the HTML part too.
		const [mail] = await waitForMail((m) => addresses(m.to).includes(email), { what: `invite to ${email}` });
		await waitOutboxIdle();
		assert.ok(mail.subject.includes(NAME), `the subject carries the name as typed: ${mail.subject}`);
		assert.ok(mail.html, 'the invite has an HTML part');
		assert.ok(!/<img\s+src=x/i.test(mail.html), 'the HTML part has no <img src=x> tag');
		assert.ok(mail.html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the HTML part escapes the name');
		assert.ok(mail.text && mail.text.includes(NAME), 'the text part shows the name as typed');
		await visit(page, journey, `/outbox`, 'outbox (after sending)');
		await assertInert(page, 'outbox after sending');
	});
});

test('journey 6: every page passes axe-core (no serious or critical violation)', () => assertJourneyClean(ctx.journey));
