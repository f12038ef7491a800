// Journey 3: a check-in logged without its next action is refused with the
// error next to the field (and announced to assistive technology), what was
// typed is kept; once fixed it is saved and shown on the customer page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, submit, openBox, screenshot, journeyStep, waitForMail, addresses, assertJourneyClean } from '../lib/helpers.mjs';
import { setUpCustomer, errorsOnPage, isoDay, dayWords } from '../lib/flows.mjs';

const ctx = await openBrowser('checkin');
after(() => ctx.context.close());
let keptServices = null;	// the "Services discussed" ticked before the error, still ticked after it?

test('journey 3: a check-in without a next action shows the error at the field and keeps what was typed', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'checkin', async () => {
		await setUpCustomer(page, journey, {
			name: `Northwind Traders`, domain: `northwind.onmicrosoft.com`,
			timezone: 'Europe/Berlin',
			contacts: [{ name: 'Nadia Weber', email: `nadia@northwind.example` }],
			services: [{ title: 'Exchange Online', activatedOn: isoDay(-30) }],
		});

		const summary = `Went through the Exchange rollout plan.\nMailbox moves start next week.`;
		let box = await openBox(page, 'Log a check-in');
		await box.getByLabel('Held on').fill(isoDay(0));
		await box.getByLabel(/What happened/).fill(summary);
		await box.getByRole('checkbox', { name: 'Exchange Online' }).check();
		await box.getByLabel('Next action by').fill(isoDay(7));
		await box.getByLabel('Owner of the next action').fill('Nadia Weber');
		// "Next action" left empty on purpose.
		const resp = await submit(page, journey, box.getByRole('button', { name: 'Log check-in' }), 'check-in form with an error');
		assert.equal(resp.status(), 422, 'a refused form answers 422 Unprocessable Content');

		box = page.locator('#form-checkin');
		assert.ok(await box.evaluate((d) => d.open), 'the check-in form is open again after the error');
		const field = box.getByLabel('Next action', { exact: true });
		assert.equal(await field.getAttribute('aria-invalid'), 'true', 'Next action has aria-invalid="true"');
		const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
		const errorId = describedBy.split(/\s+/).find((id) => id.startsWith('e-'));
		assert.ok(errorId, `Next action is described by its error (aria-describedby="${describedBy}")`);
		const error = page.locator(`#${errorId}`);
		await error.waitFor({ state: 'visible' });
		const errorText = (await error.textContent()).trim();
		assert.ok(errorText.length > 0, 'the error next to Next action says something');
		// The message sits inside the same field block as the input, i.e. next to it.
		const sameField = await error.evaluate((e, id) => e.closest('.field')?.contains(document.getElementById(id)) ?? false,
		    await field.getAttribute('id'));
		assert.ok(sameField, 'the error is in the same field block as Next action');
		// Computed accessible description includes the message.
		const description = await field.evaluate((el) => {
			const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
			return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
		});
		assert.ok(description.includes(errorText), 'the error is part of the accessible description');

		// The error summary at the top links to the field.
		const summaryLinks = page.locator('.error-summary a');
		assert.ok(await summaryLinks.count() >= 1, `an error summary lists the problem: ${await errorsOnPage(page)}`);
		const hrefs = await summaryLinks.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
		assert.ok(hrefs.includes(`#${await field.getAttribute('id')}`), `the summary links to #${await field.getAttribute('id')} (links: ${hrefs.join(', ')})`);
		assert.equal(await page.locator('.error-summary').getAttribute('role'), 'alert', 'the summary is announced (role=alert)');
		// Issue 13, item 2: said once at the field and once in the summary, in words, with the focus on the summary.
		assert.equal(errorText, 'Next action is required.', 'the error names the field by its label');
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'error-summary', 'the summary has the focus');
		const body = await page.locator('main').innerText();
		assert.equal(body.split('Next action is required.').length - 1, 2, `the error is said twice (field, summary): ${body}`);
		assert.ok(!/next_action\w*:/.test(body), 'no API key on the page');

		// What was typed is still there.
		assert.equal(await box.getByLabel(/What happened/).inputValue(), summary, 'the summary typed is kept');
		assert.equal(await box.getByLabel('Owner of the next action').inputValue(), 'Nadia Weber', 'the owner typed is kept');
		assert.equal(await box.getByLabel('Next action by').inputValue(), isoDay(7), 'the date typed is kept');
		assert.equal(await page.locator('article.checkin').count(), 0, 'nothing was saved');
		keptServices = await box.getByRole('checkbox', { name: 'Exchange Online' }).isChecked();

		await field.scrollIntoViewIfNeeded();
		await screenshot(page, 'form-errors.png', { locator: page.locator('#checkins') });

		// Fix it and send again.
		await field.fill(`Schedule the mailbox migration wave 1`);
		const ok = await submit(page, journey, box.getByRole('button', { name: 'Log check-in' }), 'customer page (check-in logged)');
		assert.ok(ok.ok(), `the fixed check-in is saved (got ${ok.status()}: ${await errorsOnPage(page)})`);
		assert.match(page.url(), /\/customers\/\d+([?#].*)?$/, 'back on the customer page');
		const article = page.locator('article.checkin').filter({ hasText: `wave 1` });
		assert.equal(await article.count(), 1, 'the check-in is shown on the customer page');
		const text = await article.innerText();
		assert.ok(text.includes(`Went through the Exchange rollout plan.`), `summary shown: ${text}`);
		assert.ok(text.includes('Mailbox moves start next week.'), 'second line of the summary shown');
		assert.ok(text.includes('Nadia Weber'), 'owner shown');
		assert.ok(text.includes(dayWords(7)), `next action date shown in words: ${text}`);
		assert.equal(await page.locator('#checkins .field-error').count(), 0, 'no error left on the page');
		const last = page.locator('dt', { hasText: 'Last check-in' }).locator('xpath=following-sibling::dd[1]');
		assert.equal((await last.textContent()).trim(), dayWords(0), 'Readiness shows the last check-in in words');
		assert.equal(await last.locator('time').getAttribute('datetime'), isoDay(0), 'with the ISO day for machines');

		// The next invite carries the next action in its agenda.
		const sched = page.locator('#form-schedule');
		await sched.locator('summary').click();
		await sched.getByLabel('First meeting starts').fill(`${isoDay(7)}T10:00`);
		const s = await submit(page, journey, sched.getByRole('button', { name: 'Schedule and send invites' }), 'customer page (scheduled)');
		assert.ok(s.ok(), `scheduling answered ${s.status()}: ${await errorsOnPage(page)}`);
		const [invite] = await waitForMail((m) => addresses(m.to).includes('nadia@northwind.example'), { what: 'invite to nadia@northwind.example' });
		assert.ok(invite.text.includes('Schedule the mailbox migration wave 1'), `the invite names the next action:\n${invite.text}`);
		assert.ok(invite.text.includes(isoDay(7)), 'with its date');
	});
});

test('journey 3: the services ticked before the error are still ticked after it', () => {
	assert.notEqual(keptServices, null, 'the journey reached the error page');
	assert.equal(keptServices, true, 'Exchange Online, ticked before sending, is still ticked');
});

test('journey 3: every page passes axe-core (no serious or critical violation)', () => assertJourneyClean(ctx.journey));
