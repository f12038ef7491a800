/* handlers_replies.c -- the calendar replies the notifier kept but did not apply: the Unmatched replies page and its JSON (GET only). */
#include "autoconfig.h"

#include <string.h>

#include "handlers.h"
#include "i18n.h"
#include "imip.h"
#include "pages.h"
#include "present.h"
#include "store_json.h"

/* The page lists the newest ones; the total says how many more there are. */
#define REPLIES_SHOWN	200

void
handlers_replies_unmatched(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct result	 r;
	json_object	*rows, *view, *row, *v;
	long long	 total;
	size_t		 i;

	result_clear(&r);
	if (store_replies_unmatched_object(app->store, REPLIES_SHOWN, 0, &rows, &total, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	/* The reason in words beside its key (imip.h keeps both). */
	for (i = 0; i < json_object_array_length(rows); i++) {
		row = json_object_array_get_idx(rows, i);
		if (json_object_object_get_ex(row, "reason", &v))
			json_object_object_add(row, "reason_text", json_object_new_string(
			    imip_reason_words(imip_reason_from_key(json_object_get_string(v)))));
	}
	view = json_object_new_object();
	json_object_object_add(view, "replies", rows);
	json_object_object_add(view, "total", json_object_new_int64(total));
	if (!pages_is_html(req)) {
		http_json(resp, 200, view);
		json_object_put(view);
		return;
	}
	json_object_object_add(view, "title", json_object_new_string(_("Unmatched replies")));
	json_object_object_add(view, "shown", json_object_new_int64(
	    total < REPLIES_SHOWN ? total : REPLIES_SHOWN));
	json_object_object_add(view, "demo", json_object_new_boolean(app->cfg->auth == CONFIG_AUTH_NONE));
	present_humanize(view);
	http_render(resp, req, app->templates, 200, "replies_unmatched", view);
	json_object_put(view);
}
