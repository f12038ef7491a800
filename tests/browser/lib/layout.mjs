// layout.mjs -- whether the current page fits its window (journeys 10 and 11):
// no sideways scroll, no table wider than its box, no cell whose content spills out.
import assert from 'node:assert/strict';

/*
 * What does not fit the window on the current page: the document wider than
 * the window, a table wider than its box, a cell whose content is wider than
 * the cell, and (for the message) the elements that reach past the right edge.
 */
async function overflowOf(page) {
	return page.evaluate(() => {
		const visible = (el) => el.getClientRects().length > 0 && el.offsetParent !== null;
		const name = (el) => {
			let s = el.tagName.toLowerCase();
			if (el.id)
				s += `#${el.id}`;
			if (el.className && typeof el.className === 'string')
				s += `.${el.className.trim().split(/\s+/).join('.')}`;
			const t = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
			return t ? `${s} "${t}"` : s;
		};
		const out = { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, problems: [] };
		for (const t of document.querySelectorAll('table')) {
			if (!visible(t))
				continue;
			const box = t.parentElement;
			if (t.offsetWidth > box.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1)
				out.problems.push(`table ${name(t.querySelector('caption') || t)}: ${t.offsetWidth} px in a box of ${box.clientWidth} px`);
			// Cells of a visually hidden header (the portfolio's cards) do not count.
			const shown = (c) => visible(c) && c.closest('thead, tbody, tfoot').getBoundingClientRect().width > 1;
			for (const c of t.querySelectorAll('th, td')) {
				if (shown(c) && c.scrollWidth > c.clientWidth + 1)
					out.problems.push(`cell ${name(c)}: content ${c.scrollWidth} px in ${c.clientWidth} px`);
			}
		}
		if (out.scrollWidth > out.innerWidth) {
			const wide = [...document.querySelectorAll('body *')]
			    .filter((el) => visible(el) && el.getBoundingClientRect().right > window.innerWidth + 1)
			    .slice(-5).map((el) => `${name(el)} ends at ${Math.round(el.getBoundingClientRect().right)} px`);
			out.problems.push(`page ${out.scrollWidth} px wide in a ${out.innerWidth} px window: ${wide.join('; ')}`);
		}
		return out;
	});
}

export async function assertFits(page, label, width) {
	const o = await overflowOf(page);
	assert.deepEqual(o.problems, [], `${label} at ${width} px does not fit`);
	assert.ok(o.scrollWidth <= o.innerWidth, `${label} at ${width} px: no sideways scroll`);
}

