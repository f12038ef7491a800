// Journey 4: from "not ready" to a closed Success Review.  AU at target for
// every intended service, the required tasks done (joining the OneDrive
// Adoption Program brings 3740 and 3741), the blocker resolved: the customer
// shows Ready; the Success Review starts, its outcome is recorded, the
// portfolio shows it, and the check-in series is cancelled by mail.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { openBrowser, visit, submit, openBox, journeyStep, waitForMail, addresses, screenshot, assertJourneyClean } from '../lib/helpers.mjs';
import { setUpCustomer, recordUsage, serviceRow, errorsOnPage, isoDay } from '../lib/flows.mjs';

const ctx = await openBrowser('review');
after(() => ctx.context.close());

async function stateBadge(page) {
	return (await page.locator('.readiness h2 .badge.state').innerText()).trim();
}

async function reasons(page) {
	return (await page.locator('.readiness .reasons li').allInnerTexts()).map((t) => t.trim());
}

function taskRow(page, ftop) {
	return page.locator('#tasks tbody tr').filter({ has: page.locator('td.num', { hasText: new RegExp(`^${ftop}$`) }) });
}

test('journey 4: AU at target, required tasks done, blockers resolved -> Ready; Success Review and its outcome', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'review', async () => {
		const name = `Adventure Works`;
		const contact = `jon@adventure.example`;
		const id = await setUpCustomer(page, journey, {
			name, domain: `adventure.onmicrosoft.com`, timezone: 'Asia/Tokyo',
			contacts: [{ name: 'Jon Ito', email: contact }],
			services: [
				{ title: 'Exchange Online', activatedOn: isoDay(-20) },
				{ title: 'OneDrive for Business', activatedOn: isoDay(-20), target: 15 },
			],
		});

		// A check-in series, so the closing outcome has something to cancel.
		const sched = page.locator('#form-schedule');
		await sched.locator('summary').click();
		await sched.getByLabel('First meeting starts').fill(`${isoDay(10)}T14:00`);
		let resp = await submit(page, journey, sched.getByRole('button', { name: 'Schedule and send invites' }), 'customer page (scheduled)');
		assert.ok(resp.ok(), `scheduling answered ${resp.status()}: ${await errorsOnPage(page)}`);
		const forUs = (m) => m.subject?.includes(`Success Check-in — ${name}`);
		await waitForMail((m) => forUs(m) && !m.subject.startsWith('Cancelled:'), { what: `invite for ${name}` });

		// Join the OneDrive Adoption Program: tasks 3740 and 3741 (required) appear.
		resp = await submit(page, journey, page.getByRole('button', { name: 'Join Adoption Program for OneDrive for Business' }), 'customer page (adoption program)');
		assert.ok(resp.ok(), `joining answered ${resp.status()}: ${await errorsOnPage(page)}`);
		for (const ftop of [3740, 3741]) {
			const row = taskRow(page, ftop);
			assert.equal(await row.count(), 1, `task ${ftop} listed`);
			const t = await row.innerText();
			assert.match(t, /required/, `task ${ftop} is required`);
			assert.match(t, /open/, `task ${ftop} is open`);
		}
		assert.match(await serviceRow(page, 'OneDrive for Business').innerText(), /Adoption Program/, 'OneDrive shows the Adoption Program');

		// A blocker on OneDrive.
		const bbox = await openBox(page, 'Record a blocker');
		await bbox.getByLabel('Description').fill(`Known folder move blocked by GPO`);
		await bbox.getByLabel('Owner').fill('Adventure Works IT');
		await bbox.getByLabel('Reason (L2)').selectOption({ label: 'Customer IT Infrastructure and Remediation' });
		await bbox.getByLabel(/^Service/).selectOption({ label: 'OneDrive for Business' });
		resp = await submit(page, journey, bbox.getByRole('button', { name: 'Record blocker' }), 'customer page (blocker)');
		assert.ok(resp.ok(), `recording the blocker answered ${resp.status()}: ${await errorsOnPage(page)}`);

		// Not ready, and the page says why.
		assert.notEqual(await stateBadge(page), 'Ready for review', 'not ready yet');
		let why = (await reasons(page)).join('\n');
		for (const want of [/Exchange Online: no active usage/, /OneDrive for Business: no active usage/,
		    /required task 3740/, /required task 3741/, /blocker #\d+ is open/])
			assert.match(why, want, `reasons list ${want}:\n${why}`);

		// Issue 13 item 10: no "Start Success Review" while not ready; each reason links to its section.
		assert.equal(await page.getByRole('button', { name: 'Start Success Review' }).count(), 0,
		    'no Start Success Review button while not ready');
		assert.match(await page.locator('#form-review').innerText(), /once every reason above is cleared/,
		    'the page says when the review can start');
		for (const [want, section] of [[/required task 3740/, '#tasks'], [/blocker #\d+ is open/, '#blockers'],
		    [/Exchange Online: no active usage/, '#services']]) {
			const link = page.locator('.readiness .reasons li a', { hasText: want });
			assert.equal(await link.getAttribute('href'), section, `${want} links to ${section}`);
		}

		// AU at target for both intended services.
		await recordUsage(page, journey, { title: 'Exchange Online', measuredOn: isoDay(-1), active: 180, eligible: 1000 });
		await recordUsage(page, journey, { title: 'OneDrive for Business', measuredOn: isoDay(-1), active: 160, eligible: 1000 });
		assert.match(await serviceRow(page, 'Exchange Online').innerText(), /18(\.0)?%.*met/s, 'Exchange at 18% meets 10%');
		assert.match(await serviceRow(page, 'OneDrive for Business').innerText(), /16(\.0)?%.*met/s, 'OneDrive at 16% meets 15%');

		// The required tasks.
		for (const ftop of [3740, 3741]) {
			const row = taskRow(page, ftop);
			await row.getByLabel(`Note for task ${ftop}`).fill(`done with Jon ${ftop}`);
			resp = await submit(page, journey, row.getByRole('button', { name: `Complete task ${ftop}` }), `customer page (task ${ftop})`);
			assert.ok(resp.ok(), `completing ${ftop} answered ${resp.status()}: ${await errorsOnPage(page)}`);
			const t = await taskRow(page, ftop).innerText();
			assert.match(t, /done/, `task ${ftop} shows done`);
			assert.ok(t.includes(`done with Jon ${ftop}`), `task ${ftop} shows its note`);
		}

		// Resolve the blocker.
		const brow = page.locator('#blockers tbody tr.open', { hasText: `GPO` });
		const resolution = brow.getByLabel(/How blocker \d+ was resolved/);
		await resolution.fill('GPO exception approved');
		resp = await submit(page, journey, brow.getByRole('button', { name: /Resolve blocker \d+/ }), 'customer page (blocker resolved)');
		assert.ok(resp.ok(), `resolving answered ${resp.status()}: ${await errorsOnPage(page)}`);
		const resolved = page.locator('#blockers tbody tr', { hasText: `GPO` });
		assert.match(await resolved.innerText(), /GPO exception approved/, 'the resolution is shown');
		assert.equal(await page.locator('#blockers tbody tr.open').count(), 0, 'no open blocker left');

		// A check-in with the customer, so none is overdue.
		const cbox = await openBox(page, 'Log a check-in');
		await cbox.getByLabel(/What happened/).fill('Reviewed adoption: both services above target, workshop done.');
		await cbox.getByRole('checkbox', { name: 'OneDrive for Business' }).check();
		await cbox.getByLabel('Next action', { exact: true }).fill('Prepare the Success Review deck');
		await cbox.getByLabel('Next action by').fill(isoDay(5));
		await cbox.getByLabel('Owner of the next action').fill('FastTrack Manager');
		resp = await submit(page, journey, cbox.getByRole('button', { name: 'Log check-in' }), 'customer page (check-in logged)');
		assert.ok(resp.ok(), `logging the check-in answered ${resp.status()}: ${await errorsOnPage(page)}`);

		// Ready.
		why = (await reasons(page)).join('\n');
		assert.equal(await stateBadge(page), 'Ready for review', `the customer shows Ready (reasons left: ${why})`);
		assert.match(await page.locator('.readiness').innerText(), /every intended service meets its target/i, 'the page says why it is ready');
		await screenshot(page, 'customer.png', { fullPage: false });

		await visit(page, journey, '/?state=ready', 'portfolio (ready)');
		const prow = page.locator('table.portfolio tbody tr', { has: page.locator(`a[href$="/customers/${id}"]`) });
		assert.equal(await prow.count(), 1, 'the portfolio lists the customer under "ready for review"');
		assert.equal((await prow.locator('.badge.state').innerText()).trim(), 'Ready for review');
		await submit(page, journey, prow.locator(`a[href$="/customers/${id}"]`), 'customer page');

		// Success Review.
		resp = await submit(page, journey, page.getByRole('button', { name: 'Start Success Review' }), 'customer page (review started)');
		assert.ok(resp.ok(), `starting the review answered ${resp.status()}: ${await errorsOnPage(page)}`);
		assert.equal(await stateBadge(page), 'In Success Review', 'the customer is in Success Review');
		assert.equal(await taskRow(page, 3735).count(), 1, 'task 3735 (Success Review meeting) appears');
		// Issue 13 item 8: only what the phase allows is shown, and the page says why.
		for (const form of ['#form-checkin', '#form-schedule', '#form-service', '#form-csm'])
			assert.equal(await page.locator(form).count(), 0, `${form} is not shown in Success Review`);
		assert.equal(await page.locator('#form-blocker').count(), 1, 'a blocker can still be recorded in Success Review');
		assert.equal(await page.locator('#form-usage').count(), 1, 'usage is still recorded in Success Review');
		const note = await page.locator('#phase-note').innerText();
		assert.match(note, /in Success Review, so the forms for .*check-ins.* are not shown/, `the page says why: ${note}`);
		const outcome = page.getByLabel('Outcome of the Success Review');
		await outcome.selectOption({ label: 'Continue with business value discussions' });
		resp = await submit(page, journey, page.getByRole('button', { name: 'Record outcome and close' }), 'customer page (closed)');
		assert.ok(resp.ok(), `recording the outcome answered ${resp.status()}: ${await errorsOnPage(page)}`);
		assert.equal(await stateBadge(page), 'Closed', 'the customer is closed');
		const phase = await page.locator('dt', { hasText: 'Phase' }).locator('xpath=following-sibling::dd[1]').innerText();
		assert.match(phase, /Closed/, `phase Closed: ${phase}`);
		assert.match(phase, /business_value|business value/i, `the outcome is shown: ${phase}`);
		for (const form of ['#form-blocker', '#form-checkin', '#form-schedule'])
			assert.equal(await page.locator(form).count(), 0, `${form} is not shown once closed`);
		assert.match(await page.locator('#phase-note').innerText(), /This customer is closed, so the forms for .*blockers/,
		    'the page says why the forms are gone');
		assert.match(await taskRow(page, 3735).innerText(), /done/, 'task 3735 is done');

		// The portfolio reflects it.
		await visit(page, journey, `/?phase=closed`, 'portfolio (closed)');
		const crow = page.locator('table.portfolio tbody tr', { has: page.locator(`a[href$="/customers/${id}"]`) });
		assert.equal(await crow.count(), 1, 'the customer is listed under the closed phase');
		assert.equal((await crow.locator('.badge.state').innerText()).trim(), 'Closed', 'its state reads Closed');
		await visit(page, journey, '/?state=ready', 'portfolio (ready)');
		assert.equal(await page.locator(`table.portfolio a[href$="/customers/${id}"]`).count(), 0, 'no longer listed as ready');

		// Closing cancels the check-in series by mail.
		const [cancel] = await waitForMail((m) => forUs(m) && m.subject.startsWith('Cancelled:'), { what: `cancellation for ${name}` });
		assert.deepEqual(addresses(cancel.to), [contact], 'the cancellation goes to the contact');
		const part = cancel.attachments.find((a) => a.contentType === 'text/calendar');
		assert.ok(part, 'the cancellation has a calendar part');
		const cal = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
		assert.equal(cal.getFirstPropertyValue('method'), 'CANCEL', 'METHOD:CANCEL');
		assert.equal(cal.getFirstSubcomponent('vevent').getFirstPropertyValue('status'), 'CANCELLED', 'STATUS:CANCELLED');
	});
});

test('journey 4: every page passes axe-core (no serious or critical violation)', () => assertJourneyClean(ctx.journey));
