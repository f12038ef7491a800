// i18n.mjs -- the pt-BR catalog for the journeys (journey 14): po/pt_BR.po read
// here, so a journey finds a field by its Portuguese label (t) and checks that
// no English text of the sources leaks onto a Portuguese page (englishLeaks).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// A .po string ("..." lines after the keyword) without its quotes and escapes.
function poString(lines) {
	return lines.map((l) => JSON.parse(l.replace(/^[a-z_[\]0-9]+\s+/, ''))).join('');
}

/*
 * Every entry of po/pt_BR.po: { ctx, id, str, refs } (the first plural form
 * only; fuzzy entries are left out, as msgfmt leaves them out of the .mo).
 */
function readCatalog() {
	const entries = [];
	for (const block of readFileSync(join(SRC, 'po', 'pt_BR.po'), 'utf8').split(/\n\s*\n/)) {
		const lines = block.split('\n').filter((l) => l.trim() !== '');
		if (lines.some((l) => /^#,.*\bfuzzy\b/.test(l)))
			continue;
		const e = { ctx: null, id: null, str: null, refs: lines.filter((l) => l.startsWith('#:')).join(' ') };
		let key = null, acc = [];
		const flush = () => {
			if (key === 'msgctxt') e.ctx = poString(acc);
			if (key === 'msgid') e.id = poString(acc);
			if (key === 'msgstr' || key === 'msgstr[0]') e.str = poString(acc);
		};
		for (const l of lines.filter((x) => !x.startsWith('#'))) {
			const m = /^(msgctxt|msgid_plural|msgid|msgstr\[\d\]|msgstr)\s/.exec(l);
			if (m) {
				flush();
				key = m[1];
				acc = [l];
			} else {
				acc.push(l);
			}
		}
		flush();
		if (e.id)
			entries.push(e);
	}
	return entries;
}

export const CATALOG = readCatalog();

// The Portuguese of an English msgid (and msgctxt); throws when there is none.
export function t(id, ctx = null) {
	const e = CATALOG.find((x) => x.id === id && x.ctx === ctx);
	if (!e || !e.str)
		throw new Error(`po/pt_BR.po has no translation of "${id}"`);
	return e.str;
}

/*
 * The English phrases the catalog translates, as a page would show them:
 * each msgid cut at its {{tags}}, printf conversions and HTML tags, keeping
 * the pieces of two words or more whose Portuguese differs (a single word
 * such as "Status" could be a customer's data, or a word both languages use).
 */
function englishPhrases() {
	const out = new Set();
	for (const e of CATALOG) {
		if (!e.str || e.id === e.str)
			continue;
		const pieces = e.id.replace(/<[^>]*>/g, '\n').replace(/\{\{[^}]*\}\}/g, '\n')
		    .replace(/%(\d+\$)?[-+ #0]*\d*(\.\d+)?(hh|h|ll|l|z|j|t)?[a-zA-Z%]/g, '\n').split('\n');
		for (let p of pieces) {
			p = p.replace(/\s+/g, ' ').trim().replace(/^[^A-Za-z]+|[^A-Za-z.)]+$/g, '');
			if (p.split(' ').length >= 2 && p.length >= 6 && !e.str.includes(p))
				out.add(p);
		}
	}
	return [...out];
}

const PHRASES = englishPhrases();

/*
 * The English phrases of the catalog found in text (a page's innerText),
 * whole words only, less those the allow-list names (known untranslated
 * text, reported).
 */
export function englishLeaks(text, allow = []) {
	const flat = text.replace(/\s+/g, ' ');
	const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return PHRASES.filter((p) => new RegExp(`(^|[^A-Za-z])${esc(p)}($|[^A-Za-z])`).test(flat))
	    .filter((p) => !allow.some((a) => a.includes(p) || p.includes(a)));
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// The month abbreviations in Portuguese ("dez."), from the catalog.
export const PT_MONTHS = MONTHS.map((m) => t(m, 'month'));

// A YYYY-MM-DD day with its weekday and month in Portuguese: { weekday: "qua.", day: 9, month: "dez.", year: 2026 }.
export function ptDay(iso) {
	const d = new Date(`${iso}T00:00:00Z`);
	return { weekday: t(WEEKDAYS[d.getUTCDay()], 'weekday'), day: d.getUTCDate(),
		month: PT_MONTHS[d.getUTCMonth()], year: d.getUTCFullYear() };
}

const ENGLISH_IDS = new Set(CATALOG.filter((e) => e.str && e.str !== e.id).map((e) => e.id));

/*
 * Whole texts (an option, a button, a heading: what a page shows as one
 * piece) that are an English msgid word for word, less a count in brackets
 * ("At risk (0)") and less the allow-list: this catches single words
 * ("Closed") that englishLeaks leaves alone.
 */
export function englishPieces(texts, allow = []) {
	return [...new Set(texts.map((s) => s.replace(/\s+/g, ' ').trim().replace(/ \(\d+\)$/, '')))]
	    .filter((s) => ENGLISH_IDS.has(s) && !allow.includes(s));
}
