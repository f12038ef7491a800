// Journey 14: an FM's day entirely in Portuguese (issue 11, "Two languages").
// The browser asks for pt-BR (locale and Accept-Language) and the FM, "ana",
// is added by an operator with no profile language, so the browser's
// language decides (a profile language would win over it).  She walks the
// portfolio, a new customer refused with a Portuguese error naming the
// field's Portuguese label, the customer page (contact, services, usage whose
// share must read "10,5 %", a check-in refused then logged, a check-in
// series, a blocker), My week and the outbox.  Each page says lang="pt-BR", shows its Portuguese words,
// and no English phrase of the catalog (po/pt_BR.po) leaks onto it.  The
// pages fit 390 and 1280 px and pass axe-core at both; the portfolio, the
// customer page and My week are saved as docs/screenshots/*-pt-BR*.png,
// and the same portfolio for an English browser as portfolio-en.png.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { STACK_DIR, ARTIFACTS, openBrowser, visit, submit, openBox, screenshot, journeyStep, uniq, assertJourneyClean, waitOutboxIdle } from '../lib/helpers.mjs';
import { isoDay, errorsOnPage, assertHeading, expectSaved } from '../lib/flows.mjs';
import { assertFits } from '../lib/layout.mjs';
import { t, englishLeaks, englishPieces, ptDay, PT_MONTHS } from '../lib/i18n.mjs';

const ctx = await openBrowser('pt-br', { locale: 'pt-BR', extraHTTPHeaders: { 'Accept-Language': 'pt-BR' } });
after(() => ctx.context.close());

const WIDTHS = [{ width: 390, height: 844 }, { width: 1280, height: 800 }];
const name = `Contoso Brasil Ltda ${uniq()}`;
let customerId;

// English headings and buttons of the templates that must never show on a pt-BR page.
const ENGLISH = ['Portfolio', 'New customer', 'My week', 'Outbox', 'Create customer', 'Customer name',
	'Add a contact', 'Add or activate a service', 'Record active usage', 'Log a check-in',
	'Schedule and send invites', 'Record a blocker', 'Next actions', 'Open blockers', 'There is a problem'];

// untranslated, reported: English still shown on pt-BR pages, by page (the
// lead removes an entry when its text is translated; the test then checks
// it again).  Each entry is { page, text }: a leak found on that page that
// contains text is tolerated.
const UNTRANSLATED = [
	// The outbox message's agenda shows the payload's percentages as they are ("10.5%").
	...['10.0%', '10.5%'].map((text) => ({ page: 'outbox item', text })),
];

// Everything a person reads or hears on the page: its text, title, labels
// and hints; not a mail's copy (pre.mail), which is in the customer's language.
async function pageWords(page) {
	return page.evaluate(() => {
		let text = document.body.innerText;
		for (const pre of document.querySelectorAll('pre.mail'))
			text = text.replace(pre.innerText, '');
		return [document.title, text,
			...[...document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')]
			    .filter((el) => !el.matches('pre.mail'))
			    .map((el) => [el.getAttribute('aria-label'), el.getAttribute('title'),
				el.getAttribute('placeholder'), el.getAttribute('alt')].filter(Boolean).join(' '))].join('\n');
	});
}

/*
 * Lines with English words no Portuguese sentence has: text built without
 * gettext (a rule's message, say), which the catalog cannot know about.
 */
function englishSentences(words) {
	return words.split('\n').map((l) => l.trim())
	    .filter((l) => /\b(the|is|are|this|your|with|before|after|which|must|cannot|has|have)\b/i.test(l))
	    .map((l) => l.slice(0, 120));
}

// English found on pt-BR pages, by page: checked at the end, so one run lists them all.
const leaks = {};

/*
 * The page is in Portuguese: lang="pt-BR", and no English phrase of the
 * catalog, nor a whole English msgid as an option, button, heading or page
 * title, nor an English sentence, nor a decimal point, nor ENGLISH on it
 * (noted in leaks unless UNTRANSLATED names it; the page's words are kept in
 * the artifacts for a person to read).
 */
async function assertPortuguese(page, label) {
	assert.equal(await page.locator('html').getAttribute('lang'), 'pt-BR', `${label}: html lang`);
	const words = await pageWords(page);
	writeFileSync(join(ARTIFACTS, `pt-br-${label.replace(/[^A-Za-z0-9]+/g, '-')}.txt`), words);
	const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const pieces = await page.locator('option, button, label, legend, summary, th, h1, h2, h3, a, caption').allInnerTexts();
	pieces.push((await page.title()).split(' — ')[0].replace(/\s*\d+\s*/g, ' ').trim());
	const found = [...englishLeaks(words), ...englishPieces(pieces),
		...[...words.matchAll(/\d+\.\d+ ?%/g)].map((m) => m[0]), ...englishSentences(words),
		...ENGLISH.filter((e) => new RegExp(`(^|[^A-Za-z])${esc(e)}($|[^A-Za-z])`).test(words))]
	    .filter((f) => !UNTRANSLATED.some((u) => u.page === label && f.includes(u.text)));
	if (found.length)
		leaks[label] = [...new Set([...(leaks[label] ?? []), ...found])];
}

test('pt-BR: the portfolio and a new customer refused, then created, in Portuguese', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'pt-br-new', async () => {
		// An FM with no profile language: Accept-Language decides.
		execFileSync(join(process.env.FTS_BUILD_DIR, 'admin', 'ftsuccess-admin'), ['--config',
			join(STACK_DIR, 'ftsuccess.conf'), 'user', 'add', 'ana', '--name', 'Ana Souza', '--role', 'fm', '--language', '']);
		// Her own customers only (fm=ana): other journeys' customers are not hers.
		await visit(page, journey, '/?as=ana&fm=ana', 'carteira');
		await assertHeading(page, 'Carteira');
		await assertPortuguese(page, 'portfolio');
		assert.equal(await page.getByRole('link', { name: 'Minha semana' }).count(), 1, 'nav: Minha semana');

		await submit(page, journey, page.getByRole('link', { name: 'Novo cliente' }).first(), 'novo cliente');
		await assertHeading(page, 'Novo cliente');
		const refused = await submit(page, journey, page.getByRole('button', { name: 'Criar cliente' }), 'novo cliente recusado');
		assert.equal(refused.status(), 422, 'an empty form is refused');
		const summary = (await page.locator('.error-summary').textContent()).replace(/\s+/g, ' ');
		assert.match(summary, /Há (um problema|\d+ problemas)/, 'the error summary speaks Portuguese');
		assert.match(summary, /Nome do cliente/, 'the summary names the field by its Portuguese label');
		const fieldError = (await page.locator('.field-error').first().textContent()).trim();
		assert.match(fieldError, /obrigatório|Nome do cliente/, `a Portuguese field error: "${fieldError}"`);
		await assertPortuguese(page, 'new customer refused');

		await page.getByLabel(t('Customer name')).fill(name);
		await page.getByLabel(t('Tenant domain')).fill(`contosobr${uniq()}.onmicrosoft.com`);
		await page.getByLabel(t('Time zone')).fill('America/Sao_Paulo');
		const created = await submit(page, journey, page.getByRole('button', { name: 'Criar cliente' }), 'cliente criado');
		assert.ok(created.ok(), `creating the customer answered ${created.status()}: ${await errorsOnPage(page)}`);
		await assertHeading(page, name);
		customerId = /\/customers\/(\d+)/.exec(page.url())[1];
	});
});

test('pt-BR: the customer page -- contact, services, usage, check-in log, series, blocker', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'pt-br-customer', async () => {
		let box = await openBox(page, t('Add a contact'));
		await box.getByLabel(t('Name'), { exact: true }).fill('Joana Prado');
		await box.getByLabel(t('Email'), { exact: true }).fill('joana.prado@contoso-br.example');
		await box.getByLabel(t('Receives check-in invites')).setChecked(true);
		await expectSaved(page, await submit(page, journey, box.getByRole('button', { name: t('Add contact') }), 'contato'), 'contact');

		for (const title of ['Exchange Online', 'Microsoft Teams']) {
			box = await openBox(page, t('Add or activate a service'));
			await box.getByLabel(t('Service'), { exact: true }).selectOption({ label: title });
			await box.getByLabel(new RegExp(t('Activated on'))).fill(isoDay(-20));
			await expectSaved(page, await submit(page, journey, box.getByRole('button', { name: t('Save service') }), 'serviço'), title);
		}

		// 105 of 1000: 10.5 %, which a pt-BR page writes "10,5 %".
		box = await openBox(page, t('Record active usage'));
		await box.getByLabel(t('Service'), { exact: true }).selectOption({ label: 'Exchange Online' });
		await box.getByLabel(t('Measured on')).fill(isoDay(-1));
		await box.getByLabel(t('Active users'), { exact: true }).fill('105');
		await box.getByLabel(t('Licensed (eligible) users')).fill('1000');
		await expectSaved(page, await submit(page, journey, box.getByRole('button', { name: t('Record usage') }), 'uso'), 'usage');
		const services = await page.locator('#services').textContent();
		// A decimal point instead of the comma is an English leak (assertPortuguese).
		assert.match(services, /10[,.]5\s*%/, 'the usage share');

		box = await openBox(page, t('Log a check-in'));
		await box.getByLabel(t('What happened')).fill('Reunião de início: plano de migração combinado.');
		await box.getByLabel(t('Next action'), { exact: true }).fill('Enviar o plano de migração');
		await box.getByLabel(t('Owner of the next action')).fill('Joana');
		// A next action before the meeting is refused, in Portuguese.
		await box.getByLabel(t('Next action by')).fill(isoDay(-1));
		const refused = await submit(page, journey, box.getByRole('button', { name: t('Log check-in') }), 'check-in recusado');
		assert.equal(refused.status(), 422, 'a next action before the check-in is refused');
		assert.match(await page.locator('.error-summary').textContent(), /Há um problema/);
		await assertPortuguese(page, 'check-in refused');
		box = page.locator('#form-checkin');
		await box.getByLabel(t('Next action by')).fill(isoDay(0));
		await expectSaved(page, await submit(page, journey, box.getByRole('button', { name: t('Log check-in') }), 'check-in'), 'check-in');

		box = page.locator('#form-schedule');
		await box.locator('summary').click();
		await box.getByLabel(t('First meeting starts')).fill(`${isoDay(7)}T10:00`);
		await box.getByLabel(t('Duration in minutes')).fill('30');
		await box.getByLabel(t('Every … weeks')).fill('2');
		await expectSaved(page, await submit(page, journey, box.getByRole('button', { name: t('Schedule and send invites') }), 'série'), 'series');

		box = await openBox(page, t('Record a blocker'));
		await box.getByLabel(t('Description')).fill('O proxy bloqueia o cliente do Teams');
		await box.getByLabel(t('Owner'), { exact: true }).fill('TI da Contoso');
		await box.getByLabel(t('Reason (L2)')).selectOption({ label: 'Infraestrutura de TI do Cliente e Correção' });
		await expectSaved(page, await submit(page, journey, box.getByRole('button', { name: t('Record blocker') }), 'bloqueador'), 'blocker');

		await assertHeading(page, name);
		const main = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
		for (const words of ['Serviços', 'Check-ins', 'Bloqueadores', 'Contatos', 'Prontidão'])
			assert.ok(main.includes(words), `the customer page says "${words}"`);
		assert.ok(main.includes('Infraestrutura de TI do Cliente e Correção'), 'the L2 reason in Portuguese');
		// The first meeting's day as Portuguese writes it: "qua., 9 de dez. de 2026".
		const d = ptDay(isoDay(7));
		assert.ok(main.includes(`${d.day} de ${d.month} de ${d.year}`), `the series' day "${d.day} de ${d.month} de ${d.year}"`);
		assert.ok(main.includes(`${d.weekday}, ${d.day} de ${d.month}`), `the weekday "${d.weekday}, ${d.day} de ${d.month}"`);
		await assertPortuguese(page, 'customer page');
	});
});

test('pt-BR: My week and the outbox', async () => {
	const { page, journey } = ctx;
	await journeyStep(ctx, 'pt-br-week', async () => {
		await submit(page, journey, page.getByRole('link', { name: 'Minha semana' }), 'minha semana');
		await assertHeading(page, 'Minha semana');
		const week = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
		assert.ok(week.includes('Enviar o plano de migração'), 'the next action is listed');
		assert.ok(week.includes('O proxy bloqueia o cliente do Teams'), 'the blocker is listed');
		assert.ok(PT_MONTHS.some((m) => week.includes(` de ${m}`)), 'dates with Portuguese months');
		await assertPortuguese(page, 'my week');

		await waitOutboxIdle();
		await visit(page, journey, '/outbox', 'caixa de saída');
		await assertHeading(page, 'Caixa de saída');
		assert.ok((await page.locator('main').innerText()).includes(name), 'the series\' invitations are listed');
		await assertPortuguese(page, 'outbox');
		await submit(page, journey, page.locator('main table tbody th a').first(), 'mensagem');
		await assertPortuguese(page, 'outbox item');
	});
});

for (const size of WIDTHS) {
	test(`pt-BR: every page fits ${size.width} px (Portuguese words are longer)`, async () => {
		const { page, journey } = ctx;
		const w = size.width;
		const suffix = w < 640 ? '-390' : '';
		await journeyStep(ctx, `pt-br-${w}`, async () => {
			await page.setViewportSize(size);
			await visit(page, journey, '/?fm=ana', `carteira ${w}`);
			await assertFits(page, 'portfolio', w);
			await assertPortuguese(page, 'portfolio');
			await screenshot(page, `portfolio-pt-BR${suffix}.png`, { fullPage: true });

			await visit(page, journey, `/customers/${customerId}`, `cliente ${w}`);
			await page.locator('details').evaluateAll((ds) => ds.forEach((dt) => { dt.open = true; }));
			await assertFits(page, 'customer page (every box open)', w);
			await assertPortuguese(page, 'customer page');
			await page.locator('details').evaluateAll((ds) => ds.forEach((dt) => { dt.open = false; }));
			await screenshot(page, `customer-pt-BR${suffix}.png`);

			await visit(page, journey, '/week', `minha semana ${w}`);
			await assertFits(page, 'my week', w);
			await assertPortuguese(page, 'my week');
			await screenshot(page, `week-pt-BR${suffix}.png`, { fullPage: w < 640 });

			await visit(page, journey, '/outbox', `caixa de saída ${w}`);
			await assertFits(page, 'outbox', w);
			await assertPortuguese(page, 'outbox');

			await visit(page, journey, '/customers/new', `novo cliente ${w}`);
			const refused = await submit(page, journey, page.getByRole('button', { name: 'Criar cliente' }), `novo cliente recusado ${w}`);
			assert.equal(refused.status(), 422);
			await assertFits(page, 'new customer form with errors', w);
			await assertPortuguese(page, 'new customer refused');
		});
	});
}

// The same portfolio for a browser that asks for English: the README's pair.
test('en: the same portfolio in English for an English browser', async () => {
	const en = await openBrowser('en', { locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.8' } });
	try {
		await journeyStep(en, 'en-portfolio', async () => {
			await en.page.setViewportSize({ width: 1280, height: 800 });
			await visit(en.page, en.journey, '/?as=ana&fm=ana', 'portfolio (en)');
			assert.equal(await en.page.locator('html').getAttribute('lang'), 'en');
			await assertHeading(en.page, 'Portfolio');
			assert.ok((await en.page.locator('main').innerText()).includes(name), 'the same customer');
			await screenshot(en.page, 'portfolio-en.png', { fullPage: true });
		});
		assertJourneyClean(en.journey);
	} finally {
		await en.context.close();
	}
});

test('pt-BR: no English on any page', () => assert.deepEqual(leaks, {}, 'English text on pt-BR pages, by page'));

test('pt-BR: every page passes axe-core at both widths', () => assertJourneyClean(ctx.journey));
