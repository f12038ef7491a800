/*
 * present.h -- how pages show the rules' verdicts: the English titles of the
 * readiness states and the phases, and the geometry of the AU bar and trend
 * line.  The rules decide (playbook.h); this module only words and draws.
 * The view builders put its output beside the rule keys, so the JSON API
 * keeps the same members in the same order.
 */
#ifndef FTS_PRESENT_H
#define FTS_PRESENT_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "playbook.h"

/* "check-ins", "the CSM", ...: an action's name in a sentence; never NULL. */
const char *present_action_title(enum playbook_action action);
/* Why a phase refuses an action, "check-ins are no longer logged"; never NULL. */
const char *present_action_refusal(enum playbook_action action);
/*
 * The page's note on the forms a phase does not show (playbook_phase_allows):
 * "This customer is in Success Review, so ... are not shown: ..."; "" (and
 * 0) when the phase shows every form.  Returns the number of hidden actions.
 */
size_t present_phase_note(enum playbook_phase phase, char *out, size_t size);
/* "Ready for review", "At risk", ...; never NULL ("" out of range). */
const char *present_state_title(enum playbook_state state);
/* "Success Execution", "Success Review", "Closed"; never NULL ("" out of range). */
const char *present_phase_title(enum playbook_phase phase);
/*
 * Width 0..100 of the AU bar (a 100-wide SVG box): AU as a share of the
 * target, capped at the full bar; 0 when au < 0 (no sample) or target <= 0.
 */
int present_bar_percent(double au_percent, double target_percent);

/*
 * One cause of "not ready" as a person reads it: the rules give a reason
 * (not ready) and a risk for the same service or blocker ("AU under target"
 * and "under target 86 days after activation"); a page shows them as one
 * line, the risk's figure in brackets.
 */
struct present_cause {
	char		 text[400];
	int		 risk;		/* one of its parts makes the customer at risk */
	const char	*section;	/* the customer page's section where it is dealt with */
};
/*
 * The causes behind rd's reasons and risks, one per service, blocker, task
 * or check-in, the most actionable first (an overdue check-in, then old and
 * open blockers, stalled and unmet services, open tasks); returns how many
 * were written to out (at most max).
 */
size_t present_causes(const struct playbook_readiness *rd, struct present_cause *out, size_t max);

/*
 * A day as people read it, "Wed 9 Dec 2026", from "YYYY-MM-DD": 0, or -1
 * (out "") when iso is not a date.
 */
int present_date(const char *iso, char *out, size_t size);
/*
 * A check-in series in words: "every 2 weeks on Wednesdays at 10:00, from
 * Wed 9 Dec 2026" ("every week on ..." for 1); -1 (out "") when starts_at
 * is not "YYYY-MM-DDTHH:MM" or every_weeks < 1.
 */
int present_series(const char *starts_at, int every_weeks, char *out, size_t size);
/* A local start in words, "Mon 6 Apr 2026 at 15:30"; -1 (out "") when not "YYYY-MM-DDTHH:MM". */
int present_start(const char *starts_at, char *out, size_t size);
/* "every week", "every 3 weeks". */
void present_every_weeks(int weeks, char *out, size_t size);
/*
 * Times for people, at any depth of a view: beside each day member ("_on",
 * last_checkin, next_checkin, due_by: "YYYY-MM-DD") a <key>_text "Wed 9 Dec
 * 2026", beside each instant ("_at", "at": "YYYY-MM-DDTHH:MM:SSZ") a
 * <key>_text "Wed 9 Dec 2026, 10:00 UTC".  The ISO members stay for the API
 * and for <time datetime>.
 */
void present_humanize(json_object *view);
/*
 * Words beside an outbox row's keys (or each row of an array): kind_title
 * ("Invitation", "Cancellation", "CSM handshake") and state_title ("Queued",
 * "Sending", "Sent", "Failed for good"), also for each recipient_states item.
 */
void present_outbox_words(json_object *rows);
/*
 * Who is coming, in words, for a customer view c with "responses" (store
 * rows of calendar replies): each row gets answer_text ("accepted",
 * "declined", "tentatively accepted"), and c gets responses_text, one
 * sentence: "Ana Souza accepted, João Araújo declined the Thu 10 Dec 2026
 * occurrence" ("" when nobody answered), and has_proposals, true when a
 * contact proposed a new time (its "proposals" are not empty); each
 * proposal gets proposed_local (its start on the series' wall clock, for
 * the move form) and moved (true once the FM moved the check-in there).
 */
void present_responses(json_object *c);
/* The title of an outbox state key ("" when unknown). */
const char *present_outbox_state(const char *key);

/* One AU sample of a service: day since 1970-01-01 and AU percent. */
struct present_point {
	int32_t	 day;
	double	 au;
};
/*
 * The trend line of n samples (oldest first) in a 160x40 SVG box, 0 % at the
 * bottom and max(1.5 x target, highest AU) at the top: {points, width,
 * height, target_y, samples}; NULL when n is 0.  Caller puts it.
 */
json_object *present_trend(const struct present_point *pts, size_t n, double target_percent);

/* The portfolio's state history: weeks shown, and one week's counts. */
#define PRESENT_HISTORY_WEEKS	12
struct present_week {
	int32_t		 monday;			/* days since 1970-01-01 */
	int		 recorded;			/* any customer recorded that week */
	long long	 counts[PLAYBOOK_STATE__MAX];
};
/*
 * The 12-week chart of customers by state, stacked columns in a 120x100 SVG
 * box scaled to the busiest week: {width, height, summary (the latest week
 * in words, the chart's text alternative beside its table), weeks[{week,
 * week_text, x, total, recorded, <state key>: count ..., segments[{state,
 * title, count, y, h}]}]}, oldest week first.
 */
json_object *present_state_history(const struct present_week *w, size_t n);

#endif
