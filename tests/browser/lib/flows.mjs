// flows.mjs -- the steps several journeys take, done the way a person does
// them: open the page, fill the labelled fields, press the button.
import assert from 'node:assert/strict';
import { visit, submit, openBox, customerIdFrom } from './helpers.mjs';

/*
 * Create a customer through "New customer"; lands on its page.  Returns
 * the customer id.
 */
export async function createCustomer(page, journey, { name, domain, timezone, cadence }) {
	await visit(page, journey, '/', 'portfolio');
	await submit(page, journey, page.getByRole('link', { name: 'New customer' }).first(), 'new customer form');
	await page.getByLabel('Customer name').fill(name);
	await page.getByLabel('Tenant domain').fill(domain);
	await page.getByLabel('Time zone').fill(timezone);
	if (cadence !== undefined)
		await page.getByLabel(/Check-in cadence in weeks/).fill(String(cadence));
	const resp = await submit(page, journey, page.getByRole('button', { name: 'Create customer' }), 'customer page (created)');
	assert.ok(resp.ok(), `creating "${name}" answered ${resp.status()}: ${await errorsOnPage(page)}`);
	await assertHeading(page, name);
	return customerIdFrom(page.url());
}

/*
 * A customer set up the way a person does it: created, then each contact
 * and each service added in order (see addContact, addService).  Returns
 * the customer id.
 */
export async function setUpCustomer(page, journey, { contacts = [], services = [], ...customer }) {
	const id = await createCustomer(page, journey, customer);
	for (const contact of contacts)
		await addContact(page, journey, contact);
	for (const service of services)
		await addService(page, journey, service);
	return id;
}

export async function assertHeading(page, text) {
	const h1 = page.getByRole('heading', { level: 1 });
	assert.equal((await h1.textContent()).trim(), text, 'page heading');
}

// Messages shown in the error summary and next to fields (for failures).
export async function errorsOnPage(page) {
	const texts = await page.locator('.error-summary, .field-error, .alert').allTextContents();
	return texts.map((t) => t.trim()).filter(Boolean).join(' | ') || '(no error shown)';
}

export async function expectSaved(page, resp, what) {
	assert.ok(resp.ok(), `${what}: answered ${resp.status()}: ${await errorsOnPage(page)}`);
	const shown = await page.locator('.field-error, .alert').allTextContents();
	assert.deepEqual(shown.map((t) => t.trim()).filter(Boolean), [], `${what}: errors shown`);
}

export async function addContact(page, journey, { name, email, invites = true }) {
	const box = await openBox(page, 'Add a contact');
	await box.getByLabel('Name', { exact: true }).fill(name);
	await box.getByLabel('Email', { exact: true }).fill(email);
	await box.getByLabel('Receives check-in invites').setChecked(invites);
	const resp = await submit(page, journey, box.getByRole('button', { name: 'Add contact' }), 'customer page (contact added)');
	await expectSaved(page, resp, `adding contact ${email}`);
	const row = page.locator('#contacts tbody tr', { hasText: email });
	assert.equal(await row.count(), 1, `contact ${email} listed once`);
}

/* Add a service; activatedOn (YYYY-MM-DD) makes it live. */
export async function addService(page, journey, { title, activatedOn, target, licensed }) {
	const box = await openBox(page, 'Add or activate a service');
	await box.getByLabel('Service', { exact: true }).selectOption({ label: title });
	if (activatedOn)
		await box.getByLabel(/Activated on/).fill(activatedOn);
	if (target !== undefined)
		await box.getByLabel(/AU target in %/).fill(String(target));
	if (licensed !== undefined)
		await box.getByLabel(/Licensed users/).fill(String(licensed));
	const resp = await submit(page, journey, box.getByRole('button', { name: 'Save service' }), 'customer page (service saved)');
	await expectSaved(page, resp, `saving service ${title}`);
	assert.equal(await serviceRow(page, title).count(), 1, `${title} listed under Services`);
}

export function serviceRow(page, title) {
	return page.locator('#services tbody tr').filter({
		has: page.locator('th[scope=row]', { hasText: title }),
	});
}

export async function assignCsm(page, journey, { name, email }) {
	const box = await openBox(page, /Assign a CSM|Replace the CSM/);
	await box.getByLabel('CSM name').fill(name);
	await box.getByLabel('CSM email').fill(email);
	const resp = await submit(page, journey, box.getByRole('button', { name: 'Save CSM' }), 'customer page (CSM assigned)');
	await expectSaved(page, resp, `assigning CSM ${email}`);
}

export async function recordUsage(page, journey, { title, measuredOn, active, eligible }) {
	const box = await openBox(page, 'Record active usage');
	await box.getByLabel('Service', { exact: true }).selectOption({ label: title });
	if (measuredOn)
		await box.getByLabel('Measured on').fill(measuredOn);
	await box.getByLabel('Active users').fill(String(active));
	await box.getByLabel(/Licensed \(eligible\) users/).fill(String(eligible));
	const resp = await submit(page, journey, box.getByRole('button', { name: 'Record usage' }), 'customer page (usage recorded)');
	await expectSaved(page, resp, `recording AU for ${title}`);
}

// Today and other days as YYYY-MM-DD (UTC, as the server dates them).
export function isoDay(offsetDays = 0) {
	const d = new Date(Date.now() + offsetDays * 86400000);
	return d.toISOString().slice(0, 10);
}

// The day isoDay(offsetDays) names, as pages write it ("Wed 9 Dec 2026", present_date).
export function dayWords(offsetDays = 0) {
	const d = new Date(`${isoDay(offsetDays)}T00:00:00Z`);
	const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
	const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
	return `${wd} ${d.getUTCDate()} ${mon} ${d.getUTCFullYear()}`;
}
