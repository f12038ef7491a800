// forms.js -- progressive enhancement of the pages, which work without it (CSP: script-src 'self', no inline script).
//  - A page shown again with errors puts the focus on the summary at the top, so it is read
//    first and each link to a field is one Tab away.
//  - A link to a confirmation page (a[data-confirm]: cancel a series, change a contact's
//    invitations, remove a contact, archive a customer) opens that page's question, with the list of who will be mailed, in a
//    <dialog>; its form posts just as it does on the page.  Any failure follows the link.
'use strict';

(function () {
	const summary = document.getElementById('error-summary');
	if (summary)
		summary.focus();

	async function ask(a) {
		const resp = await fetch(a.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
		if (!resp.ok)
			throw new Error(`${a.href}: ${resp.status}`);
		const doc = new DOMParser().parseFromString(await resp.text(), 'text/html');
		const card = doc.querySelector('.confirm');
		const title = doc.querySelector('h1');
		if (card === null || title === null)
			throw new Error(`${a.href}: no question on the page`);
		const dialog = document.createElement('dialog');
		const heading = document.createElement('h2');
		heading.id = 'confirm-dialog-h';
		heading.textContent = title.textContent;
		dialog.className = 'confirm-dialog';
		dialog.setAttribute('aria-labelledby', heading.id);
		dialog.append(heading, document.importNode(card, true));
		// "Keep ..." closes the dialog rather than leaving the page.
		const back = dialog.querySelector('.buttons a');
		if (back !== null) {
			back.addEventListener('click', (ev) => { ev.preventDefault(); dialog.close(); });
			back.autofocus = true;	// the safe choice has the focus, not the one that mails
		}
		dialog.addEventListener('close', () => { dialog.remove(); a.focus(); });
		document.body.append(dialog);
		dialog.showModal();
	}

	for (const a of document.querySelectorAll('a[data-confirm]')) {
		a.addEventListener('click', (ev) => {
			if (typeof HTMLDialogElement !== 'function')
				return;
			ev.preventDefault();
			ask(a).catch(() => { window.location.assign(a.href); });
		});
	}
})();
