// Journey 11 (issue 12): who is coming.  A series is scheduled; the contacts
// answer from their calendars (the replies are applied to the database as
// the notifier applies what it reads from the organizer's mailbox:
// tests/tools/reply_tool); the page shows who accepted and who declined
// which check-in; a new time proposed for one check-in is accepted with one
// button, which moves that check-in.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, visit, submit, journeyStep, BASE, STACK_DIR, assertJourneyClean } from '../lib/helpers.mjs';
import { setUpCustomer, isoDay, dayWords, errorsOnPage } from '../lib/flows.mjs';

const ctx = await openBrowser('replies');
after(() => ctx.context.close());
const ZONE = 'Europe/Berlin';
const TOOL = join(process.env.FTS_BUILD_DIR ?? '', 'tests/tools/reply_tool');

// A reply as Thunderbird writes it (METHOD:REPLY or COUNTER, one VEVENT, CRLF lines).
function reply({ id, from, method = 'REPLY', uid, sequence, partstat, occurrence, start }) {
	const cal = [
		'BEGIN:VCALENDAR', 'PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN', 'VERSION:2.0',
		`METHOD:${method}`, 'BEGIN:VEVENT', `UID:${uid}`, `SEQUENCE:${sequence}`,
		`ATTENDEE;PARTSTAT=${partstat};CN=${from}:mailto:${from}`,
		...(occurrence ? [`RECURRENCE-ID;TZID=${ZONE}:${occurrence}`] : []),
		...(start ? [`DTSTART;TZID=${ZONE}:${start}`] : []),
		'DTSTAMP:20261201T000000Z', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
	return [`Message-ID: <${id}@example.test>`, `From: <${from}>`, 'Subject: Reply',
		'MIME-Version: 1.0', `Content-Type: text/calendar; charset=UTF-8; method=${method}`, '', cal].join('\r\n');
}

const compact = (day, hhmm) => `${day.replaceAll('-', '')}T${hhmm.replace(':', '')}00`;

test('journey 11: a contact accepts, another declines one check-in, a proposed time is accepted', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'replies', async () => {
		const ana = 'ana@tailspin.example', joao = 'joao@tailspin.example';
		const id = await setUpCustomer(page, journey, {
			name: 'Tailspin Toys', domain: 'tailspin.onmicrosoft.com', timezone: ZONE,
			contacts: [{ name: 'Ana Souza', email: ana }, { name: 'João Araújo', email: joao }],
			services: [{ title: 'Exchange Online', activatedOn: isoDay(-15) }],
		});
		const box = page.locator('#form-schedule');
		await box.locator('summary').click();
		await box.getByLabel('First meeting starts').fill(`${isoDay(14)}T09:30`);
		await box.getByLabel('Duration in minutes').fill('30');
		await box.getByLabel('Every … weeks').fill('2');
		let resp = await submit(page, journey, box.getByRole('button', { name: 'Schedule and send invites' }), 'customer page (scheduled)');
		assert.ok(resp.ok(), `scheduling answered ${resp.status()}: ${await errorsOnPage(page)}`);

		const api = await (await fetch(`${BASE}/api/customers/${id}`, { headers: { Accept: 'application/json' } })).json();
		const { uid, sequence } = api.meetings[0];
		const dir = join(STACK_DIR, 'replies');
		mkdirSync(dir, { recursive: true });
		const files = [
			reply({ id: 'j11-ana', from: ana, uid, sequence, partstat: 'ACCEPTED' }),
			reply({ id: 'j11-joao', from: joao, uid, sequence, partstat: 'DECLINED',
			    occurrence: compact(isoDay(28), '09:30') }),
			reply({ id: 'j11-counter', from: ana, method: 'COUNTER', uid, sequence, partstat: 'TENTATIVE',
			    occurrence: compact(isoDay(14), '09:30'), start: compact(isoDay(15), '11:00') }),
		].map((text, i) => {
			const f = join(dir, `${i}.eml`);
			writeFileSync(f, text);
			return f;
		});
		const out = execFileSync(TOOL, [join(STACK_DIR, 'ftsuccess.db'), ...files], { encoding: 'utf8' });
		assert.deepEqual(out.trim().split('\n').map((l) => l.split(' ').pop()), ['applied', 'applied', 'proposal'],
		    `reply_tool: ${out}`);

		await visit(page, journey, `/customers/${id}`, 'customer page (answers)');
		const who = (await page.locator('.responses').innerText()).replace(/\s+/g, ' ');
		assert.ok(who.includes(`Ana Souza accepted, João Araújo declined the ${dayWords(28)} occurrence`),
		    `who is coming: ${who}`);
		const proposals = page.locator('.proposals');
		assert.ok((await proposals.innerText()).includes(`${isoDay(15)}T11:00 ${ZONE}`), 'the proposal in the series zone');

		resp = await submit(page, journey, proposals.getByRole('button', { name: /Accept: move the check-in/ }),
		    'customer page (proposal accepted)');
		assert.ok(resp.ok(), `accepting answered ${resp.status()}: ${await errorsOnPage(page)}`);
		assert.ok((await page.locator('.proposals').innerText()).includes('accepted: the check-in was moved'),
		    'the proposal shows as accepted');
		const moved = (await page.locator('article.meeting').first().innerText()).replace(/\s+/g, ' ');
		assert.ok(moved.includes(`${dayWords(15)} at 11:00`), `the check-in moved: ${moved}`);

		await visit(page, journey, '/replies/unmatched', 'unmatched replies');
	});
	assertJourneyClean(journey);
});
