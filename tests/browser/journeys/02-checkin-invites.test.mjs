// Journey 2: scheduling check-ins every 2 weeks mails an iCalendar invite to
// the contacts; rescheduling sends an update of the same event (same UID,
// SEQUENCE 1); skipping one check-in sends a CANCEL of that occurrence alone
// (RECURRENCE-ID); cancelling sends METHOD:CANCEL for the series.  The calendar part is
// read with ical.js the way a calendar client would.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { openBrowser, submit, visit, journeyStep, waitForMail, waitOutboxIdle, allMail, addresses, assertJourneyClean, sleep } from '../lib/helpers.mjs';
import { setUpCustomer, errorsOnPage, isoDay, dayWords } from '../lib/flows.mjs';

const ctx = await openBrowser('invites');
after(() => ctx.context.close());
const ZONE = 'Europe/Berlin';
const ORGANIZER = 'fiona.manager@fasttrack.example';

/*
 * The text/calendar part of a mail, parsed: { method (MIME parameter),
 * cal, event, tz } with the VTIMEZONE registered so times convert.
 */
function calendarOf(mail) {
	const parts = mail.attachments.filter((a) => a.contentType === 'text/calendar');
	assert.equal(parts.length, 1, `one text/calendar part in "${mail.subject}"`);
	const part = parts[0];
	const ct = part.headers.get('content-type');
	const text = part.content.toString('utf8');
	const cal = new ICAL.Component(ICAL.parse(text));
	const vtz = cal.getFirstSubcomponent('vtimezone');
	const tz = vtz ? new ICAL.Timezone(vtz) : null;
	if (tz && !ICAL.TimezoneService.has(tz.tzid))
		ICAL.TimezoneService.register(tz.tzid, tz);
	const event = cal.getFirstSubcomponent('vevent');
	assert.ok(event, 'the calendar holds a VEVENT');
	return { mimeMethod: ct?.params?.method, cal, event, tz, text };
}

// "YYYY-MM-DDTHH:MM" local wall-clock time of an ICAL.Time.
function wallClock(t) {
	const p = (n) => String(n).padStart(2, '0');
	return `${t.year}-${p(t.month)}-${p(t.day)}T${p(t.hour)}:${p(t.minute)}`;
}

// UTC offset in minutes of ZONE at a wall-clock time (independent of ical.js).
function zoneOffsetMinutes(wall) {
	const guess = new Date(`${wall}:00Z`);
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
		hour: '2-digit', minute: '2-digit',
	}).formatToParts(guess);
	const get = (k) => Number(parts.find((x) => x.type === k).value);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
	return (asUtc - guess.getTime()) / 60000;
}

function checkRequest(mail, { uid, sequence, startsAt, attendees }) {
	const c = calendarOf(mail);
	assert.equal(c.mimeMethod, 'REQUEST', 'the MIME part says method=REQUEST');
	assert.equal(c.cal.getFirstPropertyValue('method'), 'REQUEST', 'METHOD:REQUEST');
	assert.ok(c.tz, 'a VTIMEZONE is included');
	assert.equal(c.tz.tzid, ZONE, "the VTIMEZONE's TZID is the customer's zone");
	const start = c.event.getFirstProperty('dtstart');
	assert.equal(start.getParameter('tzid'), ZONE, 'DTSTART is in the customer zone');
	const dt = c.event.getFirstPropertyValue('dtstart');
	assert.equal(wallClock(dt), startsAt, 'DTSTART is the local time chosen');
	// Converted through the VTIMEZONE, the start is the right instant.
	const expectUtc = Date.parse(`${startsAt}:00Z`) - zoneOffsetMinutes(startsAt) * 60000;
	assert.equal(dt.toJSDate().getTime(), expectUtc, 'the VTIMEZONE gives the right UTC instant');
	const rrule = c.event.getFirstPropertyValue('rrule');
	assert.ok(rrule, 'the event repeats (RRULE)');
	assert.equal(rrule.freq, 'WEEKLY', 'RRULE FREQ=WEEKLY');
	assert.equal(rrule.interval, 2, 'RRULE INTERVAL=2');
	const atts = c.event.getAllProperties('attendee');
	const emails = atts.map((a) => a.getFirstValue().replace(/^mailto:/i, '').toLowerCase()).sort();
	assert.deepEqual(emails, [...attendees].sort(), 'both contacts are attendees');
	for (const a of atts)
		assert.equal(String(a.getParameter('rsvp')).toUpperCase(), 'TRUE', `RSVP=TRUE for ${a.getFirstValue()}`);
	const org = c.event.getFirstPropertyValue('organizer');
	assert.equal(String(org).replace(/^mailto:/i, '').toLowerCase(), ORGANIZER, 'ORGANIZER is the FM');
	if (uid !== undefined)
		assert.equal(c.event.getFirstPropertyValue('uid'), uid, 'same UID as the first invite');
	assert.equal(Number(c.event.getFirstPropertyValue('sequence') ?? 0), sequence, `SEQUENCE ${sequence}`);
	return c;
}

test('journey 2: invites every 2 weeks, an update with the same UID, a skipped check-in, then a cancellation', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'invites', async () => {
		const name = `Fabrikam`;
		const contacts = [`greta@fabrikam.example`, `hans@fabrikam.example`];
		await setUpCustomer(page, journey, {
			name, domain: `fabrikam.onmicrosoft.com`, timezone: ZONE,
			contacts: [{ name: 'Greta Vogel', email: contacts[0] }, { name: 'Hans Keller', email: contacts[1] }],
			services: [{ title: 'Exchange Online', activatedOn: isoDay(-15) }],
		});

		// Schedule: every 2 weeks, 45 minutes, from two weeks ahead at 09:30 local.
		const startsAt = `${isoDay(14)}T09:30`;
		const box = page.locator('#form-schedule');
		await box.locator('summary').click();
		await box.getByLabel('First meeting starts').fill(startsAt);
		await box.getByLabel('Duration in minutes').fill('45');
		await box.getByLabel('Every … weeks').fill('2');
		let resp = await submit(page, journey, box.getByRole('button', { name: 'Schedule and send invites' }), 'customer page (scheduled)');
		assert.ok(resp.ok(), `scheduling answered ${resp.status()}: ${await errorsOnPage(page)}`);
		let meeting = page.locator('article.meeting').first();
		let text = await meeting.innerText();
		assert.ok(text.includes(`every 2 weeks on`) && text.includes(`at 09:30, from ${dayWords(14)}`),
		    `the series is shown in words: ${text}`);
		assert.ok(text.includes(ZONE), 'in the customer zone');
		for (const e of contacts)
			assert.ok(text.includes(e), `attendee ${e} listed`);

		const forUs = (m) => m.subject?.includes(`Success Check-in — ${name}`);
		const [invite] = await waitForMail((m) => forUs(m) && !/^(Updated|Cancelled):/.test(m.subject),
		    { what: `invite for ${name}` });
		assert.deepEqual(addresses(invite.to).sort(), [...contacts].sort(), 'the invite goes to both contacts');
		const first = checkRequest(invite, { sequence: 0, startsAt, attendees: contacts });
		const uid = first.event.getFirstPropertyValue('uid');
		assert.ok(uid, 'the invite has a UID');
		assert.equal(Number(first.event.getFirstPropertyValue('duration')?.toSeconds?.() ??
		    (first.event.getFirstPropertyValue('dtend').toUnixTime() - first.event.getFirstPropertyValue('dtstart').toUnixTime())), 45 * 60,
		    'the meeting lasts 45 minutes');

		// Reschedule through the form on the meeting.
		const newStart = `${isoDay(21)}T11:00`;
		meeting = page.locator('article.meeting').first();
		await meeting.locator('summary', { hasText: 'Reschedule' }).click();
		await meeting.getByLabel(/^Starts/).fill(newStart);
		resp = await submit(page, journey, meeting.getByRole('button', { name: 'Reschedule and send update' }), 'customer page (rescheduled)');
		assert.ok(resp.ok(), `rescheduling answered ${resp.status()}: ${await errorsOnPage(page)}`);
		text = await page.locator('article.meeting').first().innerText();
		assert.ok(text.includes(`at 11:00, from ${dayWords(21)}`), `the page shows the new start: ${text}`);
		assert.match(text, /invitation updated once/, 'the page shows the first revision');
		const [update] = await waitForMail((m) => forUs(m) && m.subject.startsWith('Updated:'),
		    { what: `update for ${name}` });
		checkRequest(update, { uid, sequence: 1, startsAt: newStart, attendees: contacts });

		// Skip its first check-in from the list of coming check-ins: a CANCEL of
		// that one occurrence (RECURRENCE-ID), the series going on.
		const skipButton = page.locator('article.meeting').first()
		    .getByRole('button', { name: `Skip the check-in of ${dayWords(21)}` });
		resp = await submit(page, journey, skipButton, 'customer page (one check-in skipped)');
		assert.ok(resp.ok(), `skipping answered ${resp.status()}: ${await errorsOnPage(page)}`);
		const row = page.locator('article.meeting').first().locator('.occurrences li', { hasText: dayWords(21) });
		assert.match(await row.innerText(), /skipped/, 'the check-in shows as skipped');
		const [skipped] = await waitForMail((m) => forUs(m) && m.subject.startsWith('Skipped:'),
		    { what: `skip for ${name}` });
		assert.deepEqual(addresses(skipped.to).sort(), [...contacts].sort(), 'the skip goes to both contacts');
		const k = calendarOf(skipped);
		assert.equal(k.mimeMethod, 'CANCEL', 'the MIME part says method=CANCEL');
		assert.equal(k.event.getFirstPropertyValue('uid'), uid, 'the skip names the series UID');
		assert.equal(k.event.getFirstPropertyValue('status'), 'CANCELLED', 'that occurrence is CANCELLED');
		assert.equal(k.event.getFirstProperty('recurrence-id').getParameter('tzid'), ZONE, 'RECURRENCE-ID in the customer zone');
		assert.equal(wallClock(k.event.getFirstPropertyValue('recurrence-id')), newStart, 'RECURRENCE-ID names the skipped check-in');
		assert.equal(k.event.getFirstPropertyValue('rrule'), null, 'no RRULE: one occurrence only');
		assert.equal(Number(k.event.getFirstPropertyValue('sequence')), 2, 'SEQUENCE 2');


		// Cancel the series: first a question that names who will be mailed (issue 13, item 9).
		// Without JavaScript the link is a page whose form posts the cancellation...
		const customerUrl = new URL(page.url()).pathname;
		const cancelLink = page.locator('article.meeting').first().getByRole('link', { name: /Cancel this series/ });
		const cancelPath = new URL(await cancelLink.getAttribute('href'), page.url()).pathname;
		resp = await visit(page, journey, cancelPath, 'cancel confirmation page');
		assert.ok(resp.ok(), `the confirmation page answered ${resp.status()}: ${await errorsOnPage(page)}`);
		assert.equal((await page.locator('h1').innerText()).trim(), 'Cancel a check-in series', 'the page asks first');
		let mailed = await page.locator('ul.mailed li').allInnerTexts();
		for (const a of contacts)
			assert.ok(mailed.some((t) => t.includes(a)), `the page says ${a} will be mailed: ${mailed.join(' | ')}`);
		await sleep(2500);	// the notifier polls every second: a cancellation queued by the GET would be here
		assert.equal((await allMail()).filter((m) => forUs(m) && m.subject.startsWith('Cancelled:')).length, 0, 'asking mailed no one');
		// ...and with JavaScript the same question opens in a dialog on the customer page.
		await visit(page, journey, customerUrl, 'customer page (before cancelling)');
		await page.locator('article.meeting').first().getByRole('link', { name: /Cancel this series/ }).click();
		const dialog = page.getByRole('dialog', { name: 'Cancel a check-in series' });
		await dialog.waitFor({ state: 'visible' });
		mailed = await dialog.locator('ul.mailed li').allInnerTexts();
		for (const a of contacts)
			assert.ok(mailed.some((t) => t.includes(a)), `the dialog says ${a} will be mailed: ${mailed.join(' | ')}`);
		await dialog.getByRole('link', { name: 'Keep the series' }).click();
		await dialog.waitFor({ state: 'detached' });
		assert.equal(new URL(page.url()).pathname, customerUrl, '"Keep the series" stays on the page');
		await page.locator('article.meeting').first().getByRole('link', { name: /Cancel this series/ }).click();
		resp = await submit(page, journey, page.getByRole('dialog').getByRole('button', { name: 'Cancel the series and mail the cancellation' }), 'customer page (cancelled)');
		assert.ok(resp.ok(), `cancelling answered ${resp.status()}: ${await errorsOnPage(page)}`);
		const article = page.locator('article.meeting').first();
		assert.match(await article.getAttribute('class'), /cancelled/, 'the series shows as cancelled');
		assert.equal(await article.getByRole('link', { name: /Cancel this series/ }).count(), 0, 'no cancel link left');
		const [cancel] = await waitForMail((m) => forUs(m) && m.subject.startsWith('Cancelled:'),
		    { what: `cancellation for ${name}` });
		assert.deepEqual(addresses(cancel.to).sort(), [...contacts].sort(), 'the cancellation goes to both contacts');
		const c = calendarOf(cancel);
		assert.equal(c.mimeMethod, 'CANCEL', 'the MIME part says method=CANCEL');
		assert.equal(c.cal.getFirstPropertyValue('method'), 'CANCEL', 'METHOD:CANCEL');
		assert.equal(c.event.getFirstPropertyValue('status'), 'CANCELLED', 'STATUS:CANCELLED');
		assert.equal(c.event.getFirstPropertyValue('uid'), uid, 'the cancellation names the same UID');
		assert.ok(Number(c.event.getFirstPropertyValue('sequence')) >= 1, 'its SEQUENCE is past the invite');

		// Exactly four messages for this series, nothing duplicated.
		await waitOutboxIdle();
		const all = (await allMail()).filter(forUs).map((m) => m.subject);
		assert.equal(all.length, 4, `invite, update, skip, cancellation: ${all.join(' | ')}`);
	});
});

test('journey 2: every page passes axe-core (no serious or critical violation)', () => assertJourneyClean(ctx.journey));
