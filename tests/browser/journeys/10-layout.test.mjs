// Journey 10: the layout on a phone (390 x 844) and a laptop (1280 x 800).
// Every page -- portfolio, a customer with contacts whose addresses are long,
// a check-in series with attendees, a blocker, the outbox and one message,
// the usage import preview, the customer forms (also refused with errors)
// and an error page -- fits the window: no sideways scroll, no table cell
// whose content spills out, the portfolio's rows as cards at 390 px, and
// axe-core clean at both widths.  Saves docs/screenshots/*-390.png.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, visit, submit, openBox, screenshot, journeyStep, STACK_DIR, ARTIFACTS, uniq, assertJourneyClean } from '../lib/helpers.mjs';
import { setUpCustomer, errorsOnPage, isoDay } from '../lib/flows.mjs';
import { assertFits } from '../lib/layout.mjs';

const ctx = await openBrowser('layout');
after(() => ctx.context.close());

const WIDTHS = [{ width: 390, height: 844 }, { width: 1280, height: 800 }];

function usageReport() {
	const header = ['Report Refresh Date', 'Exchange Active', 'Exchange Inactive', 'Teams Active', 'Teams Inactive',
		'Office 365 Active', 'Office 365 Inactive', 'Report Period'];
	const rows = [[isoDay(-14), 40, 960, 300, 700, 500, 500, 30], [isoDay(-7), 62, 938, 320, 680, 510, 490, 30]];
	return [header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
}

let customerId;

test('layout: a customer with long addresses, attendees, a blocker and mail', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'layout-setup', async () => {
		await page.setViewportSize(WIDTHS[1]);
		customerId = await setUpCustomer(page, journey, {
			name: `Northwind Traders International Holdings ${uniq()}`,
			domain: 'northwindtradersinternationalholdings.onmicrosoft.com', timezone: 'Europe/Berlin',
			contacts: [
				{ name: 'Maximiliane Oberhuber-Wittgenstein', email: 'maximiliane.oberhuber-wittgenstein@northwindtradersinternational.example' },
				{ name: 'Bartholomew Featherstonehaugh', email: 'bartholomew.featherstonehaugh@northwindtradersinternational.example' },
				{ name: 'Ngozi Adebayo-Okonkwo', email: 'ngozi.adebayo-okonkwo@northwindtradersinternational.example' },
			],
			services: [
				{ title: 'Exchange Online', activatedOn: isoDay(-20) },
				{ title: 'Microsoft Teams', activatedOn: isoDay(-20) },
			],
		});

		const box = page.locator('#form-schedule');
		await box.locator('summary').click();
		await box.getByLabel('First meeting starts').fill(`${isoDay(7)}T10:00`);
		await box.getByLabel('Duration in minutes').fill('30');
		await box.getByLabel('Every … weeks').fill('2');
		let resp = await submit(page, journey, box.getByRole('button', { name: 'Schedule and send invites' }), 'customer page (scheduled)');
		assert.ok(resp.ok(), `scheduling answered ${resp.status()}: ${await errorsOnPage(page)}`);

		const bbox = await openBox(page, 'Record a blocker');
		await bbox.getByLabel('Description').fill('Conditional access policies block the Teams desktop client on kiosk devices (https://learn.microsoft.example/en-us/entra/identity/conditional-access/overview)');
		await bbox.getByLabel('Owner').fill('Northwind Traders Identity and Access Management Team');
		await bbox.getByLabel('Reason (L2)').selectOption({ label: 'Customer IT Infrastructure and Remediation' });
		resp = await submit(page, journey, bbox.getByRole('button', { name: 'Record blocker' }), 'customer page (blocker)');
		assert.ok(resp.ok(), `recording the blocker answered ${resp.status()}: ${await errorsOnPage(page)}`);
		assert.ok(await page.locator('.people > span').count() >= 3, 'the series lists its attendees');
	});
});

for (const size of WIDTHS) {
	test(`layout: every page fits ${size.width} px`, async () => {
		const { page, journey } = ctx;
		const w = size.width;
		await journeyStep(ctx, `layout-${w}`, async () => {
			await page.setViewportSize(size);
			const check = async (label) => assertFits(page, label, w);

			await visit(page, journey, '/', `portfolio ${w}`);
			await check('portfolio');
			const rowDisplay = await page.locator('table.portfolio tbody tr').first().evaluate((tr) => getComputedStyle(tr).display);
			if (w < 640) {
				assert.notEqual(rowDisplay, 'table-row', 'at 390 px the portfolio rows are cards');
				const label = await page.locator('table.portfolio tbody td').first()
				    .evaluate((td) => getComputedStyle(td, '::before').content);
				assert.match(label, /State/, 'each card cell is labelled with its column');
				await screenshot(page, 'portfolio-390.png', { fullPage: true });
			} else {
				assert.equal(rowDisplay, 'table-row', 'at 1280 px the portfolio is a table');
				await page.screenshot({ path: join(ARTIFACTS, 'layout-portfolio-1280.png'), fullPage: true });
			}

			await visit(page, journey, `/customers/${customerId}`, `customer ${w}`);
			await page.locator('details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
			await check('customer page (every box open)');
			await page.locator('details').evaluateAll((ds) => ds.forEach((d) => { d.open = false; }));
			if (w < 640)
				await screenshot(page, 'customer-390.png', { fullPage: false });

			const file = join(STACK_DIR, `layout-usage-${uniq()}.csv`);
			writeFileSync(file, usageReport());
			const ubox = await openBox(page, 'Import a usage report (CSV)');
			await ubox.getByLabel(/Active users – services/).setInputFiles(file);
			const resp = await submit(page, journey, ubox.getByRole('button', { name: 'Preview import' }), `import preview ${w}`);
			assert.equal(resp.status(), 200, `the preview answered ${resp.status()}: ${await errorsOnPage(page)}`);
			await check('usage import preview');

			await visit(page, journey, '/outbox', `outbox ${w}`);
			await check('outbox');
			const first = page.locator('main table tbody th a').first();
			await submit(page, journey, first, `outbox item ${w}`);
			await check('outbox item');

			await visit(page, journey, '/replies/unmatched', `unmatched replies ${w}`);
			await check('unmatched replies');

			await visit(page, journey, '/customers/new', `new customer form ${w}`);
			await check('new customer form');
			const refused = await submit(page, journey, page.getByRole('button', { name: 'Create customer' }), `new customer refused ${w}`);
			assert.equal(refused.status(), 422, 'an empty form is refused');
			await check('new customer form with errors');

			await visit(page, journey, `/customers/${customerId}/edit`, `edit customer ${w}`);
			await check('edit customer form');

			const missing = await visit(page, journey, '/customers/999999999', `not found ${w}`);
			assert.equal(missing.status(), 404, 'an unknown customer is 404');
			await check('error page');
		});
	});
}

test('layout: every page passes axe-core at both widths', () => assertJourneyClean(ctx.journey, /status of 404 /));
