// Journey 11: corrections and safe removals (issue 13, items 9, 11 and 17).
// A logged check-in is corrected (a refused correction keeps what was
// typed, at its field), a contact's address is corrected and the contact
// removed after a question naming who is mailed (its own cancellation
// follows), the customer is archived (gone from the portfolio and its
// search, still readable, no form) and unarchived; the portfolio shows the
// 12-week chart of customers by state with its words and table.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, visit, submit, openBox, journeyStep, waitForMail, addresses, assertJourneyClean, uniq } from '../lib/helpers.mjs';
import { setUpCustomer, errorsOnPage, isoDay } from '../lib/flows.mjs';

const ctx = await openBrowser('corrections');
after(() => ctx.context.close());

test('journey 11: correct a check-in and a contact, remove a contact, archive and unarchive', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'corrections', async () => {
		const tag = uniq();
		const name = `Northwind ${tag}`;
		const rita = `rita@nw${tag}.example`, paulo = `paulo@nw${tag}.example`, paulo2 = `paulo.reis@nw${tag}.example`;
		const id = await setUpCustomer(page, journey, {
			name, domain: `nw${tag}.example`, timezone: 'Europe/Lisbon',
			contacts: [{ name: 'Rita Alves', email: rita }, { name: 'Paulo Reis', email: paulo }],
			services: [{ title: 'Exchange Online', activatedOn: isoDay(-10) }],
		});
		const customerPath = `/customers/${id}`;

		// A series both contacts attend.
		const sched = page.locator('#form-schedule');
		await sched.locator('summary').click();
		await sched.getByLabel('First meeting starts').fill(`${isoDay(10)}T14:00`);
		let resp = await submit(page, journey, sched.getByRole('button', { name: 'Schedule and send invites' }), 'customer page (scheduled)');
		assert.ok(resp.ok(), `scheduling answered ${resp.status()}: ${await errorsOnPage(page)}`);

		// 1. A check-in, logged then corrected.
		const cbox = await openBox(page, 'Log a check-in');
		await cbox.getByLabel(/What happened/).fill('Kick-off with the IT team.');
		await cbox.getByLabel('Next action', { exact: true }).fill('Send the deck');
		await cbox.getByLabel('Next action by').fill(isoDay(5));
		await cbox.getByLabel('Owner of the next action').fill('FastTrack Manager');
		resp = await submit(page, journey, cbox.getByRole('button', { name: 'Log check-in' }), 'customer page (check-in logged)');
		assert.ok(resp.ok(), `logging answered ${resp.status()}: ${await errorsOnPage(page)}`);
		let art = page.locator('article.checkin').first();
		await art.locator('summary', { hasText: 'Correct this check-in' }).click();
		await art.getByLabel('Next action', { exact: true }).fill('');
		await art.getByLabel('Owner of the next action').fill('Rita Alves');
		resp = await submit(page, journey, art.getByRole('button', { name: 'Save the correction' }), 'customer page (correction refused)');
		assert.equal(resp.status(), 422, 'an empty next action is refused');
		art = page.locator('article.checkin').first();
		assert.match(await art.locator('.field-error').first().innerText(), /Next action/i, 'the error is at the field of that check-in');
		assert.equal(await art.getByLabel('Owner of the next action').inputValue(), 'Rita Alves', 'what was typed is kept');
		assert.match(await art.innerText(), /Send the deck/, 'nothing changed');
		await art.getByLabel('Next action', { exact: true }).fill('Send the corrected deck');
		resp = await submit(page, journey, art.getByRole('button', { name: 'Save the correction' }), 'customer page (check-in corrected)');
		assert.ok(resp.ok(), `correcting answered ${resp.status()}: ${await errorsOnPage(page)}`);
		assert.match(await page.locator('.notice').innerText(), /Check-in corrected/);
		assert.match(await page.locator('article.checkin').first().innerText(), /Send the corrected deck/);
		await openBox(page, 'Show the last changes');
		const audit = await page.locator('table.audit tbody tr', { hasText: 'checkin.edit' }).first().innerText();
		assert.match(audit, /Send the deck -> Send the corrected deck/, `the audit says what changed: ${audit}`);

		// 2. A contact's address corrected: a bad one first, refused at the row.
		let row = page.locator('#contacts tbody tr', { hasText: 'Paulo Reis' });
		await row.locator('summary').click();
		await row.getByLabel('Email').fill('not an address');
		resp = await submit(page, journey, row.getByRole('button', { name: /Save/ }), 'customer page (contact refused)');
		assert.equal(resp.status(), 422, 'a bad address is refused');
		row = page.locator('#contacts tbody tr', { hasText: 'Paulo Reis' });
		assert.equal(await row.locator('.field-error').count(), 1, 'the error is on the contact\'s row');
		assert.match(await row.innerText(), new RegExp(paulo.replace(/\./g, '\\.')), 'the stored address is unchanged');
		await row.getByLabel('Email').fill(paulo2);
		resp = await submit(page, journey, row.getByRole('button', { name: /Save/ }), 'customer page (contact corrected)');
		assert.ok(resp.ok(), `correcting the contact answered ${resp.status()}: ${await errorsOnPage(page)}`);
		assert.match(await page.locator('#contacts tbody tr', { hasText: 'Paulo Reis' }).innerText(), new RegExp(paulo2.replace(/\./g, '\\.')));

		// 3. Removing the contact asks first, in a dialog, naming who is mailed.
		await page.locator('#contacts tbody tr', { hasText: 'Paulo Reis' }).getByRole('link', { name: /Remove/ }).click();
		const dialog = page.getByRole('dialog', { name: 'Remove a contact' });
		await dialog.waitFor({ state: 'visible' });
		const mailed = await dialog.locator('ul.mailed li').allInnerTexts();
		assert.ok(mailed.some((t) => t.includes(paulo2)), `the dialog names ${paulo2}: ${mailed.join(' | ')}`);
		resp = await submit(page, journey, dialog.getByRole('button', { name: 'Remove the contact' }), 'customer page (contact removed)');
		assert.ok(resp.ok(), `removing answered ${resp.status()}: ${await errorsOnPage(page)}`);
		assert.equal(await page.locator('#contacts tbody tr', { hasText: 'Paulo Reis' }).count(), 0, 'the contact is gone');
		await waitForMail((m) => m.subject?.startsWith('Removed:') && m.subject.includes(name) &&
		    addresses(m.to).includes(paulo2), { what: `the removed contact's own cancellation for ${name}` });

		// 4. Archiving: asked first (without JavaScript: the page); a running series must go first.
		await visit(page, journey, `${customerPath}/archive`, 'archive confirmation page (series running)');
		assert.match(await page.locator('.confirm').innerText(), /cancel it under Check-in meetings first/, 'the page says the series must go first');
		await visit(page, journey, customerPath, 'customer page');
		const cancelPath = new URL(await page.locator('article.meeting').first().getByRole('link', { name: /Cancel this series/ }).getAttribute('href'), page.url()).pathname;
		await visit(page, journey, cancelPath, 'cancel confirmation page');
		resp = await submit(page, journey, page.getByRole('button', { name: 'Cancel the series and mail the cancellation' }), 'customer page (series cancelled)');
		assert.ok(resp.ok(), `cancelling answered ${resp.status()}: ${await errorsOnPage(page)}`);
		await visit(page, journey, `${customerPath}/archive`, 'archive confirmation page');
		assert.match(await page.locator('.confirm').innerText(), /Archiving mails no one/);
		resp = await submit(page, journey, page.getByRole('button', { name: 'Archive the customer' }), 'customer page (archived)');
		assert.ok(resp.ok(), `archiving answered ${resp.status()}: ${await errorsOnPage(page)}`);
		assert.match(await page.locator('#archived-note').innerText(), /Archived/, 'the page says it is archived');
		assert.equal(await page.locator('#form-checkin').count(), 0, 'no form on an archived customer');
		await visit(page, journey, `/?q=${encodeURIComponent(name)}`, 'portfolio (search, archived)');
		assert.equal(await page.locator(`table.portfolio a[href$="/customers/${id}"]`).count(), 0, 'archived: not found by search');
		await visit(page, journey, customerPath, 'customer page (archived, by its URL)');
		resp = await submit(page, journey, page.getByRole('button', { name: 'Unarchive' }), 'customer page (unarchived)');
		assert.ok(resp.ok(), `unarchiving answered ${resp.status()}: ${await errorsOnPage(page)}`);
		await visit(page, journey, `/?q=${encodeURIComponent(name)}`, 'portfolio (search, unarchived)');
		assert.equal(await page.locator(`table.portfolio a[href$="/customers/${id}"]`).count(), 1, 'back in the portfolio');

		// 5. The portfolio's 12-week chart: the SVG, its words and its table.
		const chart = page.locator('section.state-chart');
		assert.equal(await chart.locator('svg.history').count(), 1, 'the chart is drawn');
		assert.match(await chart.locator('#state-chart-summary').innerText(), /Week of .*In progress/, 'the latest week in words');
		assert.equal(await chart.locator('tbody tr').count(), 12, 'one table row per week');
	});
});

test('journey 11: every page passes axe-core (no serious or critical violation)', () => assertJourneyClean(ctx.journey));
