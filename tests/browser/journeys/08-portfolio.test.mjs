// The portfolio after the journeys before it: every customer listed once,
// the summary counts agree with the rows, the filters narrow the list.  Its
// screenshot is the one the README shows (taken before journey 6 adds a
// customer whose name is markup).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, visit, submit, screenshot, journeyStep, assertJourneyClean } from '../lib/helpers.mjs';

const ctx = await openBrowser('portfolio');
after(() => ctx.context.close());

async function rows(page) {
	return page.locator('table.portfolio tbody tr').filter({ has: page.locator('th[scope=row] a') });
}

async function count(page, cls) {
	const where = cls === '' ? 'p.counts-total' : `ul.counts li${cls}`;
	return Number((await page.locator(`${where} .n`).first().textContent()).trim());
}

test('portfolio: counts agree with the rows and the state filter narrows them', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'portfolio', async () => {
		await visit(page, journey, '/', 'portfolio');
		const all = await (await rows(page)).count();
		assert.equal(await count(page, ''), all, 'the "customers" count is the number of rows');
		// Issue 13 item 13: the state tiles partition the portfolio.
		let sum = 0;
		for (const n of await page.locator('ul.counts li .n').allTextContents())
			sum += Number(n.trim());
		assert.equal(sum, all, `the state tiles add up to the ${all} customers`);
		const caption = (await page.locator('table.portfolio caption').innerText()).trim();
		assert.ok(caption.startsWith(`${all} customer`), `the caption counts them: ${caption}`);
		const names = await (await rows(page)).locator('th[scope=row] a').allInnerTexts();
		assert.equal(new Set(names).size, names.length, `each customer listed once: ${names.join(', ')}`);
		await screenshot(page, 'portfolio.png', { fullPage: true });

		for (const [state, cls, label] of [['ready', '.c-ready', 'Ready for review'], ['in_progress', '.c-in_progress', 'In progress']]) {
			const n = await count(page, cls);
			await submit(page, journey, page.locator(`ul.counts li${cls} a`), `portfolio (${state})`);
			const r = await rows(page);
			assert.equal(await r.count(), n, `the ${state} count (${n}) is the number of rows the filter shows`);
			for (const badge of await r.locator('.badge.state').allInnerTexts())
				assert.equal(badge.trim(), label, `every row under ${state} reads ${label}`);
			await visit(page, journey, '/', 'portfolio');
		}
	});
});

test('portfolio: every page passes axe-core (no serious or critical violation)', () => assertJourneyClean(ctx.journey));
