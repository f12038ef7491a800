// Journey 1: a customer with two contacts, Teams and Exchange live; assigning
// a CSM hands Teams (Modern Comms) over: one handshake mail to the CSM with
// the FM in Cc, Teams shows as CSM-led, and the check-in form offers only
// the services the FM still covers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, visit, journeyStep, waitForMail, waitOutboxIdle, allMail, addresses, BASE, assertJourneyClean } from '../lib/helpers.mjs';
import { setUpCustomer, assignCsm, serviceRow, isoDay } from '../lib/flows.mjs';

const ctx = await openBrowser('handshake');
after(() => ctx.context.close());
const FM = 'fiona.manager@fasttrack.example';	// organizer_email in the harness configuration

test('journey 1: assigning a CSM sends one Teams handshake and leaves Exchange to the FM', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'handshake', async () => {
		const name = 'Contoso';
		const csm = { name: 'Carla Mendes', email: `carla@csm.example` };
		const id = await setUpCustomer(page, journey, {
			name, domain: `contoso.onmicrosoft.com`, timezone: 'America/Sao_Paulo',
			contacts: [
				{ name: 'Ana Souza', email: `ana@contoso.example` },
				{ name: 'Bruno Lima', email: `bruno@contoso.example` },
			],
			services: [
				{ title: 'Microsoft Teams', activatedOn: isoDay(-20) },
				{ title: 'Exchange Online', activatedOn: isoDay(-40) },
			],
		});
		assert.equal(await serviceRow(page, 'Microsoft Teams').locator('.tag', { hasText: 'CSM-led' }).count(), 0,
		    'Teams is not CSM-led before a CSM is assigned');

		await assignCsm(page, journey, csm);

		// What the FM sees.
		const csmFact = page.locator('dt', { hasText: /^CSM$/ }).locator('xpath=following-sibling::dd[1]');
		const csmText = (await csmFact.innerText()).trim();
		assert.ok(csmText.includes(csm.name) && csmText.includes(csm.email), `CSM shown on the page: ${csmText}`);
		assert.equal(await serviceRow(page, 'Microsoft Teams').locator('.tag', { hasText: 'CSM-led' }).count(), 1,
		    'Teams shows as CSM-led');
		assert.equal(await serviceRow(page, 'Exchange Online').locator('.tag', { hasText: 'CSM-led' }).count(), 0,
		    'Exchange stays with the FM');
		const offered = await page.locator('#form-checkin fieldset input[type=checkbox]').evaluateAll(
		    (boxes) => boxes.map((b) => b.labels[0]?.textContent.trim()));
		assert.deepEqual(offered, ['Exchange Online'], 'the check-in form offers only the services the FM covers');
		const queued = await page.locator('#notifications tbody tr', { hasText: csm.email }).innerText();
		assert.match(queued, /handshake/, `the handshake is listed under Notifications: ${queued}`);

		// Assigning the same CSM again must not hand over twice.
		await assignCsm(page, journey, csm);

		// What arrives by mail.
		const isHandshake = (m) => m.subject?.startsWith('FastTrack handshake:') && m.subject.includes(name);
		await waitForMail(isHandshake, { what: `handshake for ${name}` });
		await waitOutboxIdle();
		const handshakes = (await allMail()).filter(isHandshake);
		assert.equal(handshakes.length, 1,
		    `exactly one handshake for ${name}; got: ${handshakes.map((m) => m.subject).join(' | ')}`);
		const [mail] = handshakes;
		assert.ok(mail.subject.endsWith('Microsoft Teams'), `the handshake is about Teams: ${mail.subject}`);
		assert.deepEqual(addresses(mail.to), [csm.email], 'To: the CSM');
		assert.deepEqual(addresses(mail.cc), [FM], 'Cc: the FastTrack Manager');
		const rcpt = String(mail.headers.get('x-rcptto') ?? '').toLowerCase();
		assert.ok(rcpt.includes(csm.email) && rcpt.includes(FM), `delivered to the CSM and the FM (RCPT TO: ${rcpt})`);
		assert.ok(mail.text.includes(name), 'the text names the customer');
		assert.ok(mail.text.includes(`${BASE}/customers/${id}`), 'the text links to the customer page');
		assert.ok(!/Exchange Online/.test(mail.subject), 'Exchange is not handed over');
		assert.equal(mail.attachments.filter((a) => a.contentType === 'text/calendar').length, 0, 'a handshake has no calendar');

		// Nothing else went to the CSM (no handshake for Exchange).
		const toCsm = (await allMail()).filter((m) => addresses(m.to).includes(csm.email));
		assert.equal(toCsm.length, 1, `one mail to the CSM in all: ${toCsm.map((m) => m.subject).join(' | ')}`);

		// The page after delivery: still CSM-led, the message shows as sent.
		await visit(page, journey, `/customers/${id}`, 'customer page (handshake sent)');
		assert.equal(await serviceRow(page, 'Microsoft Teams').locator('.tag', { hasText: 'CSM-led' }).count(), 1,
		    'Teams still CSM-led');
		const row = page.locator('#notifications tbody tr', { hasText: csm.email });
		assert.equal(await row.count(), 1, 'one handshake listed for the CSM');
		assert.match(await row.innerText(), /sent/, 'the handshake shows as sent');
	});
});

test('journey 1: every page passes axe-core (no serious or critical violation)', () => assertJourneyClean(ctx.journey));
