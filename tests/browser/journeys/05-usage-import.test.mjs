// Journey 5: the FM uploads the Microsoft 365 "Active users - services"
// report through the import form, checks the preview, confirms, and sees the
// AU on the customer page; the next check-in invite carries it in its agenda.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, submit, openBox, journeyStep, uniq, waitForMail, addresses, STACK_DIR, BASE, assertJourneyClean } from '../lib/helpers.mjs';
import { setUpCustomer, serviceRow, errorsOnPage, isoDay, dayWords } from '../lib/flows.mjs';

const ctx = await openBrowser('import');
after(() => ctx.context.close());

// Four weekly rows, as the admin center exports them (D30 report).
function usageReport() {
	const header = ['Report Refresh Date', 'Exchange Active', 'Exchange Inactive', 'OneDrive Active',
		'OneDrive Inactive', 'SharePoint Active', 'SharePoint Inactive', 'Skype For Business Active',
		'Skype For Business Inactive', 'Yammer Active', 'Yammer Inactive', 'Teams Active',
		'Teams Inactive', 'Office 365 Active', 'Office 365 Inactive', 'Report Period'];
	const rows = [
		[isoDay(-28), 40, 960, 10, 990, 20, 980, 0, 0, 0, 0, 300, 700, 500, 500, 30],
		[isoDay(-21), 62, 938, 12, 988, 35, 965, 0, 0, 0, 0, 320, 680, 510, 490, 30],
		[isoDay(-14), 85, 915, 15, 985, 61, 939, 0, 0, 0, 0, 340, 660, 515, 485, 30],
		[isoDay(-7), 123, 877, 18, 982, 97, 903, 0, 0, 0, 0, 350, 650, 520, 480, 30],
	];
	return [header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
}

test('journey 5: a usage report CSV imported through the form shows as AU on the customer page', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'import', async () => {
		const name = `Tailwind Toys`;
		const contact = `ivy@tailwind.example`;
		const id = await setUpCustomer(page, journey, {
			name, domain: `tailwind.onmicrosoft.com`, timezone: 'America/New_York',
			contacts: [{ name: 'Ivy Chen', email: contact }],
			services: [
				{ title: 'Exchange Online', activatedOn: isoDay(-35) },
				{ title: 'SharePoint Online', activatedOn: isoDay(-35), target: 12 },
			],
		});
		assert.match(await serviceRow(page, 'Exchange Online').innerText(), /no data/, 'no AU before the import');

		const file = join(STACK_DIR, `usage-${uniq()}.csv`);
		writeFileSync(file, usageReport());
		const box = await openBox(page, 'Import a usage report (CSV)');
		await box.getByLabel(/Active users – services/).setInputFiles(file);
		let resp = await submit(page, journey, box.getByRole('button', { name: 'Preview import' }), 'import preview');
		assert.equal(resp.status(), 200, `the preview answered ${resp.status()}: ${await errorsOnPage(page)}`);
		assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Import usage report');

		// The preview: 8 samples for the two intended services, the rest skipped.
		const rows = page.locator('main table tbody tr');
		const preview = await rows.evaluateAll((trs) => trs.map((tr) => ({
			service: tr.querySelector('th').childNodes[0].textContent.trim(),
			on: tr.querySelector('time')?.textContent.trim(),
			au: tr.querySelectorAll('td')[4]?.textContent.trim(),
			imported: !tr.classList.contains('skipped'),
		})));
		const wanted = preview.filter((r) => r.imported);
		assert.equal(wanted.length, 8, `8 samples to import (Exchange and SharePoint × 4): ${JSON.stringify(preview)}`);
		assert.deepEqual([...new Set(wanted.map((r) => r.service))].sort(), ['Exchange Online', 'SharePoint Online'],
		    'only the intended services are imported');
		assert.ok(preview.some((r) => !r.imported && r.service === 'Microsoft Teams'), 'Teams is shown as skipped');
		assert.ok(wanted.some((r) => r.service === 'Exchange Online' && r.on === isoDay(-7) && r.au === '12.3%'),
		    `the latest Exchange sample reads 12.3%: ${JSON.stringify(wanted)}`);
		const confirm = page.getByRole('button', { name: /Import 8 sample/ });
		assert.equal(await confirm.count(), 1, 'the confirm button names the count');

		// Nothing saved before confirming (looked at in a second tab).
		const peek = await ctx.context.newPage();
		await peek.goto(`${BASE}/customers/${id}`);
		assert.match(await serviceRow(peek, 'Exchange Online').innerText(), /no data/, 'nothing imported by the preview alone');
		await peek.close();

		resp = await submit(page, journey, page.getByRole('button', { name: /Import 8 sample/ }), 'customer page (imported)');
		assert.ok(resp.ok(), `the import answered ${resp.status()}: ${await errorsOnPage(page)}`);
		assert.match(page.url(), new RegExp(`/customers/${id}([?#].*)?$`), 'back on the customer page');
		const ex = await serviceRow(page, 'Exchange Online').innerText();
		assert.match(ex, /12\.3%/, `Exchange shows 12.3%: ${ex}`);
		assert.match(ex, /met/, 'Exchange meets its 10% target');
		assert.ok(ex.includes('123 of 1000 users') && ex.includes(dayWords(-7)), `Exchange shows the sample: ${ex}`);
		const sp = await serviceRow(page, 'SharePoint Online').innerText();
		assert.match(sp, /9\.7%/, `SharePoint shows 9.7%: ${sp}`);
		assert.doesNotMatch(sp, /\bmet\b/, 'SharePoint is under its 12% target');
		assert.equal(await serviceRow(page, 'Exchange Online').getByRole('img', { name: /AU trend for Exchange Online: 4 sample/ }).count(), 1,
		    'the Exchange trend has the 4 samples');
		const reasons = await page.locator('.readiness').innerText();
		assert.ok(/SharePoint Online: AU 9\.7%/.test(reasons), `readiness names SharePoint under target: ${reasons}`);
		assert.ok(!/Exchange Online: no active usage/.test(reasons), 'Exchange is no longer without AU');

		// The next invite's agenda carries the imported AU.
		const sched = page.locator('#form-schedule');
		await sched.locator('summary').click();
		await sched.getByLabel('First meeting starts').fill(`${isoDay(7)}T15:00`);
		resp = await submit(page, journey, sched.getByRole('button', { name: 'Schedule and send invites' }), 'customer page (scheduled)');
		assert.ok(resp.ok(), `scheduling answered ${resp.status()}`);
		const [invite] = await waitForMail((m) => addresses(m.to).includes(contact), { what: `invite to ${contact}` });
		assert.match(invite.text, /Exchange Online: 12\.3%/, `the invite agenda shows Exchange at 12.3%:\n${invite.text}`);
		assert.match(invite.text, /SharePoint Online: 9\.7%/, 'and SharePoint at 9.7%');
	});
});

test('journey 5: every page passes axe-core (no serious or critical violation)', () => assertJourneyClean(ctx.journey));
