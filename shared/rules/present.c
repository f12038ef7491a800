/* present.c -- the words and SVG geometry pages show for the rules' verdicts (titles, AU bar, trend line). */
#include "autoconfig.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "imip.h"
#include "present.h"
#include "text.h"

/* Logic-less templates cannot map a key to text: the view carries the title beside the key. */
static const char *const state_titles[PLAYBOOK_STATE__MAX] = {
	[PLAYBOOK_STATE_IN_PROGRESS] = N_("In progress"),
	[PLAYBOOK_STATE_READY] = N_("Ready for review"),
	[PLAYBOOK_STATE_AT_RISK] = N_("At risk"),
	[PLAYBOOK_STATE_SUCCESS_REVIEW] = N_("In Success Review"),
	[PLAYBOOK_STATE_CLOSED] = N_("Closed"),
};

static const char *const phase_titles[PLAYBOOK_PHASE__MAX] = {
	[PLAYBOOK_PHASE_EXECUTION] = N_("Success Execution"),
	[PLAYBOOK_PHASE_SUCCESS_REVIEW] = N_("Success Review"),
	[PLAYBOOK_PHASE_CLOSED] = N_("Closed"),
};

const char *
present_state_title(enum playbook_state state)
{
	return (unsigned)state < PLAYBOOK_STATE__MAX ? _(state_titles[state]) : "";
}

const char *
present_phase_title(enum playbook_phase phase)
{
	return (unsigned)phase < PLAYBOOK_PHASE__MAX ? _(phase_titles[phase]) : "";
}

static const char *const action_titles[PLAYBOOK_ACTION__MAX] = {
	[PLAYBOOK_ACTION_SERVICES] = N_("services and targets"),
	[PLAYBOOK_ACTION_CSM] = N_("the CSM"),
	[PLAYBOOK_ACTION_USAGE] = N_("usage"),
	[PLAYBOOK_ACTION_CHECKINS] = N_("check-ins"),
	[PLAYBOOK_ACTION_TASKS] = N_("FTOP tasks"),
	[PLAYBOOK_ACTION_BLOCKERS] = N_("blockers"),
	[PLAYBOOK_ACTION_SERIES] = N_("check-in meetings"),
	[PLAYBOOK_ACTION_CONTACTS] = N_("contacts"),
	[PLAYBOOK_ACTION_REVIEW_START] = N_("the start of the Success Review"),
	[PLAYBOOK_ACTION_REVIEW_OUTCOME] = N_("the review's outcome"),
};

static const char *const action_refusals[PLAYBOOK_ACTION__MAX] = {
	[PLAYBOOK_ACTION_SERVICES] = N_("its services and targets are settled"),
	[PLAYBOOK_ACTION_CSM] = N_("its CSM is settled"),
	[PLAYBOOK_ACTION_USAGE] = N_("usage is no longer recorded"),
	[PLAYBOOK_ACTION_CHECKINS] = N_("check-ins are no longer logged"),
	[PLAYBOOK_ACTION_TASKS] = N_("its FTOP tasks are settled"),
	[PLAYBOOK_ACTION_BLOCKERS] = N_("its blockers are settled"),
	[PLAYBOOK_ACTION_SERIES] = N_("check-in meetings are over"),
	[PLAYBOOK_ACTION_CONTACTS] = N_("its contacts are settled"),
	[PLAYBOOK_ACTION_REVIEW_START] = N_("the Success Review has already started"),
	[PLAYBOOK_ACTION_REVIEW_OUTCOME] = N_("start the Success Review first"),
};

const char *
present_action_title(enum playbook_action action)
{
	return (unsigned)action < PLAYBOOK_ACTION__MAX ? _(action_titles[action]) : "";
}

const char *
present_action_refusal(enum playbook_action action)
{
	return (unsigned)action < PLAYBOOK_ACTION__MAX ? _(action_refusals[action]) : "";
}

size_t
present_phase_note(enum playbook_phase phase, char *out, size_t size)
{
	enum playbook_action	 hidden[PLAYBOOK_ACTION__MAX];
	char			 list[512];
	size_t			 n = 0, i, len;
	int			 a;

	if (size > 0)
		out[0] = '\0';
	/* The review's own buttons have their own words on the page. */
	for (a = 0; a < PLAYBOOK_ACTION_REVIEW_START; a++)
		if (!playbook_phase_allows(phase, (enum playbook_action)a))
			hidden[n++] = (enum playbook_action)a;
	if (n == 0 || size == 0)
		return n;
	list[0] = '\0';
	for (i = 0; i < n; i++) {
		len = strlen(list);
		/* TRANSLATORS: the separators of a list of three or more: "a, b and c". */
		snprintf(list + len, sizeof(list) - len, "%s%s", i == 0 ? "" : i + 1 == n ?
		    C_("list", " and ") : C_("list", ", "), _(action_titles[hidden[i]]));
	}
	if (phase == PLAYBOOK_PHASE_CLOSED)
		snprintf(out, size, _("This customer is closed, so the forms for %s are not shown: "
		    "the engagement ended with the Success Review, and its record stays readable here."),
		    list);
	else
		snprintf(out, size, _("This customer is in %s, so the forms for %s are not shown: "
		    "the customer met its targets; record the review's outcome to close it."),
		    present_phase_title(phase), list);
	return n;
}

/* Day 0 (1970-01-01) was a Thursday: Monday 0 .. Sunday 6, as i18n_weekday counts. */
static int
weekday_index(int32_t day)
{
	int	 w = (int)((day + 3) % 7);

	return w < 0 ? w + 7 : w;
}

/* "Mondays": the day a series meets on. */
static const char *
weekday_plural(int wd)
{
	switch (wd) {
	case 0: return C_("weekdays", "Mondays");
	case 1: return C_("weekdays", "Tuesdays");
	case 2: return C_("weekdays", "Wednesdays");
	case 3: return C_("weekdays", "Thursdays");
	case 4: return C_("weekdays", "Fridays");
	case 5: return C_("weekdays", "Saturdays");
	default: return C_("weekdays", "Sundays");
	}
}

static void
day_words(int32_t day, char *out, size_t size)
{
	int	 y, m, d;

	if (text_civil_from_days(day, &y, &m, &d) == -1) {
		snprintf(out, size, "%s", "");
		return;
	}
	/* TRANSLATORS: a date: weekday, day of the month, month, year ("Wed 9 Dec 2026"). */
	snprintf(out, size, _("%1$s %2$d %3$s %4$d"), i18n_weekday(weekday_index(day)), d,
	    i18n_month(m), y);
}

int
present_date(const char *iso, char *out, size_t size)
{
	int32_t	 day;

	if (size > 0)
		out[0] = '\0';
	if (iso == NULL || text_date_parse(iso, &day) == -1)
		return -1;
	day_words(day, out, size);
	return 0;
}

/*
 * A COUNTER for one occurrence as the move form takes it: proposed_local,
 * the proposed start on the series' wall clock, and moved (true) once that
 * occurrence was moved there: the FM accepted it.
 */
static void
proposal_words(json_object *c, json_object *p)
{
	json_object	*v, *meetings, *m, *ex, *e, *w;
	char		 local[17];
	const char	*on = "";
	size_t		 i, j;
	int		 moved = 0;

	if (!json_object_object_get_ex(p, "proposed_start", &v) ||
	    !json_object_object_get_ex(p, "timezone", &w) || !json_object_is_type(w, json_type_string) ||
	    imip_local_start(json_object_get_int64(v), json_object_get_string(w), local,
	    sizeof(local)) == -1)
		return;
	json_object_object_add(p, "proposed_local", json_object_new_string(local));
	if (json_object_object_get_ex(p, "occurs_on", &v))
		on = json_object_get_string(v);
	json_object_object_get_ex(p, "meeting_id", &v);
	if (on[0] != '\0' && json_object_object_get_ex(c, "meetings", &meetings))
		for (i = 0; i < json_object_array_length(meetings); i++) {
			m = json_object_array_get_idx(meetings, i);
			if (!json_object_object_get_ex(m, "id", &w) ||
			    json_object_get_int64(w) != json_object_get_int64(v) ||
			    !json_object_object_get_ex(m, "exceptions", &ex))
				continue;
			for (j = 0; j < json_object_array_length(ex); j++) {
				e = json_object_array_get_idx(ex, j);
				if (json_object_object_get_ex(e, "occurs_on", &w) &&
				    strcmp(json_object_get_string(w), on) == 0 &&
				    json_object_object_get_ex(e, "moved_to", &w) &&
				    strcmp(json_object_get_string(w), local) == 0)
					moved = 1;
			}
		}
	json_object_object_add(p, "moved", json_object_new_boolean(moved));
}

void
present_responses(json_object *c)
{
	static const struct {
		const char	*key;
		const char	*words;
	} answers[] = {
		{ "accepted", N_("accepted") },
		{ "declined", N_("declined") },
		{ "tentative", N_("tentatively accepted") },
	};
	json_object	*arr, *row, *v;
	struct buf	 b = { 0 };
	char		 day[40];
	size_t		 i, k;

	if (!json_object_object_get_ex(c, "responses", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return;
	for (i = 0; i < json_object_array_length(arr); i++) {
		const char *words = N_("answered"), *name = "", *on = "";

		row = json_object_array_get_idx(arr, i);
		if (json_object_object_get_ex(row, "partstat", &v))
			for (k = 0; k < sizeof(answers) / sizeof(answers[0]); k++)
				if (strcmp(json_object_get_string(v), answers[k].key) == 0)
					words = answers[k].words;
		words = _(words);
		json_object_object_add(row, "answer_text", json_object_new_string(words));
		if (json_object_object_get_ex(row, "name", &v))
			name = json_object_get_string(v);
		if (json_object_object_get_ex(row, "occurs_on", &v))
			on = json_object_get_string(v);
		buf_puts(&b, i > 0 ? C_("list", ", ") : "");
		/* TRANSLATORS: "Ana accepted", "João declined the Thu 10 Dec 2026 occurrence". */
		if (on[0] != '\0' && present_date(on, day, sizeof(day)) == 0)
			buf_printf(&b, _("%1$s %2$s the %3$s occurrence"), name, words, day);
		else
			buf_printf(&b, _("%1$s %2$s"), name, words);
	}
	json_object_object_add(c, "responses_text", json_object_new_string(b.failed ? "" :
	    buf_cstr(&b)));
	buf_free(&b);
	json_object_object_add(c, "has_proposals", json_object_new_boolean(
	    json_object_object_get_ex(c, "proposals", &arr) &&
	    json_object_is_type(arr, json_type_array) && json_object_array_length(arr) > 0));
	if (json_object_object_get_ex(c, "proposals", &arr) &&
	    json_object_is_type(arr, json_type_array))
		for (i = 0; i < json_object_array_length(arr); i++)
			proposal_words(c, json_object_array_get_idx(arr, i));
}

void
present_every_weeks(int weeks, char *out, size_t size)
{
	snprintf(out, size, ngettext("every week", "every %d weeks", (unsigned long)weeks), weeks);
}

int
present_series(const char *starts_at, int every_weeks, char *out, size_t size)
{
	char	 every[32], from[32];
	int32_t	 day;
	int	 minute;

	if (size > 0)
		out[0] = '\0';
	if (starts_at == NULL || every_weeks < 1 ||
	    text_local_datetime_parse(starts_at, &day, &minute) == -1)
		return -1;
	present_every_weeks(every_weeks, every, sizeof(every));
	day_words(day, from, sizeof(from));
	/* TRANSLATORS: "every 2 weeks on Wednesdays at 10:00, from Wed 9 Dec 2026". */
	snprintf(out, size, _("%1$s on %2$s at %3$02d:%4$02d, from %5$s"), every,
	    weekday_plural(weekday_index(day)), minute / 60, minute % 60, from);
	return 0;
}

/* Members whose "YYYY-MM-DD" value is a day for people. */
static int
is_day_key(const char *key)
{
	size_t	 len = strlen(key);

	return (len > 3 && strcmp(key + len - 3, "_on") == 0) || strcmp(key, "last_checkin") == 0 ||
	    strcmp(key, "next_checkin") == 0 || strcmp(key, "due_by") == 0;
}

/* "YYYY-MM-DDTHH:MM:SSZ" as the store writes instants, under an "_at" or "at" key. */
static int
is_instant(const char *key, const char *v)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t	 len = strlen(key), i;

	if (!((len > 3 && strcmp(key + len - 3, "_at") == 0) || strcmp(key, "at") == 0))
		return 0;
	for (i = 0; shape[i] != '\0'; i++)
		if (v[i] == '\0' || (shape[i] == 'd' ? (v[i] < '0' || v[i] > '9') : v[i] != shape[i]))
			return 0;
	return v[i] == '\0';
}

/* The words for member key's value v, into text: 0, or -1 when it is no time. */
static int
time_words(const char *key, const char *v, char *text, size_t size)
{
	char	 day[11];

	if (is_day_key(key))
		return present_date(v, text, size);
	if (!is_instant(key, v))
		return -1;
	snprintf(day, sizeof(day), "%.10s", v);
	if (present_date(day, text, size) == -1)
		return -1;
	snprintf(text + strlen(text), size - strlen(text), ", %.5s UTC", v + 11);
	return 0;
}

void
present_humanize(json_object *o)
{
	json_object	*add[64];
	char		 keys[64][64], text[48];
	size_t		 n = 0, i, len;

	if (json_object_is_type(o, json_type_array)) {
		len = json_object_array_length(o);
		for (i = 0; i < len; i++)
			present_humanize(json_object_array_get_idx(o, i));
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	/* Collect first: adding members while iterating the object is not safe. */
	json_object_object_foreach(o, key, val) {
		if (json_object_is_type(val, json_type_string) && n < 64 &&
		    strlen(key) + 6 < sizeof(keys[0]) &&
		    time_words(key, json_object_get_string(val), text, sizeof(text)) == 0) {
			snprintf(keys[n], sizeof(keys[0]), "%s_text", key);
			add[n++] = json_object_new_string(text);
		} else
			present_humanize(val);
	}
	for (i = 0; i < n; i++)
		json_object_object_add(o, keys[i], add[i]);
}

/* Outbox keys as people read them. */
static const struct {
	const char	*key, *title;
} outbox_kinds[] = {
	{ "invite", N_("Invitation") }, { "cancel", N_("Cancellation") },
	{ "handshake", N_("CSM handshake") },
}, outbox_states[] = {
	{ "queued", N_("Queued") }, { "sending", N_("Sending") }, { "sent", N_("Sent") },
	{ "dead", N_("Failed for good") }, { "refused", N_("Refused") },
};

static const char *
title_of(const char *key, int states)
{
	size_t	 i, n = states ? sizeof(outbox_states) / sizeof(outbox_states[0]) :
	    sizeof(outbox_kinds) / sizeof(outbox_kinds[0]);

	for (i = 0; key != NULL && i < n; i++)
		if (strcmp(key, states ? outbox_states[i].key : outbox_kinds[i].key) == 0)
			return _(states ? outbox_states[i].title : outbox_kinds[i].title);
	return key != NULL ? key : "";
}

const char *
present_outbox_state(const char *key)
{
	return title_of(key, 1);
}

/* kind_title and state_title beside one object's kind and state members. */
static void
outbox_words(json_object *o)
{
	json_object	*v, *list;
	size_t		 i;

	if (json_object_object_get_ex(o, "kind", &v))
		json_object_object_add(o, "kind_title",
		    json_object_new_string(title_of(json_object_get_string(v), 0)));
	if (json_object_object_get_ex(o, "state", &v))
		json_object_object_add(o, "state_title",
		    json_object_new_string(title_of(json_object_get_string(v), 1)));
	if (json_object_object_get_ex(o, "recipient_states", &list))
		for (i = 0; i < json_object_array_length(list); i++)
			outbox_words(json_object_array_get_idx(list, i));
}

void
present_outbox_words(json_object *rows)
{
	size_t	 i;

	if (!json_object_is_type(rows, json_type_array)) {
		outbox_words(rows);
		return;
	}
	for (i = 0; i < json_object_array_length(rows); i++)
		outbox_words(json_object_array_get_idx(rows, i));
}

/*
 * Each reason code: how soon an FM can act on it (lower first) and the
 * customer page's section where that is done.
 */
static const struct cause_kind {
	const char	*code;
	int		 rank;
	const char	*section;
} cause_kinds[] = {
	{ "overdue", 0, "checkins" }, { "old_blocker", 1, "blockers" },
	{ "blocker_open", 2, "blockers" }, { "slow_adoption", 3, "services" },
	{ "no_au", 4, "services" }, { "under_target", 4, "services" },
	{ "metric_unmet", 4, "services" }, { "task_open", 5, "tasks" },
	{ "no_service", 6, "services" }, { "nobody_accepted", 1, "meetings" },
};

static const struct cause_kind *
cause_kind(const struct playbook_reason *x)
{
	static const struct cause_kind other = { "", 7, "readiness" };
	size_t	 i;

	for (i = 0; i < sizeof(cause_kinds) / sizeof(cause_kinds[0]); i++)
		if (strcmp(x->code, cause_kinds[i].code) == 0)
			return &cause_kinds[i];
	return &other;
}

int
present_start(const char *starts_at, char *out, size_t size)
{
	char	 day[32];
	int32_t	 d;
	int	 minute;

	if (size > 0)
		out[0] = '\0';
	if (starts_at == NULL || text_local_datetime_parse(starts_at, &d, &minute) == -1)
		return -1;
	day_words(d, day, sizeof(day));
	/* TRANSLATORS: a day (as "%1$s %2$d %3$s %4$d" writes it) and a time of day. */
	snprintf(out, size, _("%1$s at %2$02d:%3$02d"), day, minute / 60, minute % 60);
	return 0;
}

static int
cause_rank(const struct playbook_reason *x)
{
	return cause_kind(x)->rank;
}

/* Two parts of one cause: the same blocker, the same service, or both the check-in. */
static int
same_cause(const struct playbook_reason *a, const struct playbook_reason *b)
{
	if (a->blocker_id != 0 || b->blocker_id != 0)
		return a->blocker_id == b->blocker_id;
	if (a->ftop_id != 0 || b->ftop_id != 0)
		return a->ftop_id == b->ftop_id;
	if (a->service[0] != '\0' || b->service[0] != '\0')
		return strcmp(a->service, b->service) == 0;
	return strcmp(a->code, b->code) == 0;
}

/* A cause has at most one reason (not ready) and one risk. */
struct cause_parts {
	const struct playbook_reason	*reason, *risk;
	int				 rank;
};

static void
cause_words(const struct cause_parts *g, struct present_cause *c)
{
	const struct playbook_reason	*k = g->risk;
	size_t				 len;

	snprintf(c->text, sizeof(c->text), "%s", g->reason != NULL ? g->reason->text : k->text);
	c->risk = k != NULL;
	c->section = cause_kind(g->reason != NULL ? g->reason : k)->section;
	if (g->reason == NULL || k == NULL)
		return;
	len = strlen(c->text);
	if (strcmp(k->code, "slow_adoption") == 0)
		snprintf(c->text + len, sizeof(c->text) - len, _(" (%d days after activation)"),
		    k->days);
	else if (strcmp(k->code, "old_blocker") == 0)
		snprintf(c->text + len, sizeof(c->text) - len, _(" (open for %d days)"), k->days);
}

size_t
present_causes(const struct playbook_readiness *rd, struct present_cause *out, size_t max)
{
	struct cause_parts	 g[2 * PLAYBOOK_REASONS_MAX], t;
	size_t			 n = 0, i, j;
	int			 rank;

	for (i = 0; i < rd->n_reasons; i++) {
		g[n].reason = &rd->reasons[i];
		g[n].risk = NULL;
		g[n++].rank = cause_rank(&rd->reasons[i]);
	}
	for (i = 0; i < rd->n_risks; i++) {
		rank = cause_rank(&rd->risks[i]);
		for (j = 0; j < n; j++)
			if (g[j].risk == NULL && g[j].reason != NULL &&
			    same_cause(g[j].reason, &rd->risks[i]))
				break;
		if (j == n) {
			g[n].reason = NULL;
			g[n++].rank = rank;
		}
		g[j].risk = &rd->risks[i];
		if (rank < g[j].rank)
			g[j].rank = rank;
	}
	/* Stable: within a rank, the rules' own order. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && g[j].rank < g[j - 1].rank; j--) {
			t = g[j];
			g[j] = g[j - 1];
			g[j - 1] = t;
		}
	for (i = 0; i < n && i < max; i++)
		cause_words(&g[i], &out[i]);
	return i;
}

int
present_bar_percent(double au, double target)
{
	double bar = au >= 0 && target > 0 ? fmin(100.0, 100.0 * au / target) : 0;

	return (int)lround(bar);
}

json_object *
present_trend(const struct present_point *pts, size_t n, double target)
{
	enum { W = 160, H = 40 };
	json_object	*o;
	double		 maxp = target * 1.5;
	size_t		 i;
	char		 buf[64 * 24], *p = buf;
	int32_t		 d0, d1;

	if (n == 0)
		return NULL;
	for (i = 0; i < n; i++)
		if (pts[i].au > maxp)
			maxp = pts[i].au;
	buf[0] = '\0';
	d0 = pts[0].day;
	d1 = pts[n - 1].day;
	for (i = 0; i < n; i++) {
		double x = d1 > d0 ? ((double)pts[i].day - d0) * (W - 4) / (double)(d1 - d0) + 2 :
		    W / 2.0;
		double y = H - 2 - pts[i].au * (H - 4) / maxp;
		int w = snprintf(p, sizeof(buf) - (size_t)(p - buf), "%s%.1f,%.1f", i ? " " : "", x, y);

		/* A line cut at the last point that fits beats no line: 64 points fit. */
		if (w < 0 || (size_t)w >= sizeof(buf) - (size_t)(p - buf))
			break;
		p += w;
	}
	o = json_object_new_object();
	json_object_object_add(o, "points", json_object_new_string(buf));
	json_object_object_add(o, "width", json_object_new_int(W));
	json_object_object_add(o, "height", json_object_new_int(H));
	json_object_object_add(o, "target_y", json_object_new_double(
	    round((H - 2 - target * (H - 4) / maxp) * 10) / 10));
	json_object_object_add(o, "samples", json_object_new_int((int)n));
	return o;
}

json_object *
present_state_history(const struct present_week *w, size_t n)
{
	json_object	*o = json_object_new_object(), *weeks = json_object_new_array(), *x, *segs, *g;
	long long	 max = 1, total, done;
	char		 day[32], iso[11], summary[400];
	size_t		 i, len;
	int		 s;

	for (i = 0; i < n; i++) {
		for (s = 0, total = 0; s < PLAYBOOK_STATE__MAX; s++)
			total += w[i].counts[s];
		if (total > max)
			max = total;
	}
	summary[0] = '\0';
	for (i = 0; i < n; i++) {
		x = json_object_new_object();
		segs = json_object_new_array();
		text_date_format(w[i].monday, iso, sizeof(iso));
		day_words(w[i].monday, day, sizeof(day));
		json_object_object_add(x, "week", json_object_new_string(iso));
		json_object_object_add(x, "week_text", json_object_new_string(day));
		json_object_object_add(x, "x", json_object_new_int((int)i * 10 + 1));
		json_object_object_add(x, "recorded", json_object_new_boolean(w[i].recorded));
		/* Stacked from the bottom of the 100-high box, in the states' order. */
		for (s = 0, done = 0; s < PLAYBOOK_STATE__MAX; s++) {
			json_object_object_add(x, playbook_state_key((enum playbook_state)s),
			    json_object_new_int64(w[i].counts[s]));
			if (w[i].counts[s] == 0)
				continue;
			g = json_object_new_object();
			json_object_object_add(g, "state",
			    json_object_new_string(playbook_state_key((enum playbook_state)s)));
			json_object_object_add(g, "title",
			    json_object_new_string(present_state_title((enum playbook_state)s)));
			json_object_object_add(g, "count", json_object_new_int64(w[i].counts[s]));
			json_object_object_add(g, "h", json_object_new_int64(w[i].counts[s] * 100 / max));
			done += w[i].counts[s];
			json_object_object_add(g, "y", json_object_new_int64(100 - done * 100 / max));
			json_object_array_add(segs, g);
		}
		json_object_object_add(x, "total", json_object_new_int64(done));
		json_object_object_add(x, "segments", segs);
		json_object_array_add(weeks, x);
	}
	/* The latest week in words: what a screen reader hears before the table. */
	if (n > 0 && w[n - 1].recorded) {
		day_words(w[n - 1].monday, day, sizeof(day));
		snprintf(summary, sizeof(summary), _("Week of %s:"), day);
		for (s = 0; s < PLAYBOOK_STATE__MAX; s++) {
			len = strlen(summary);
			snprintf(summary + len, sizeof(summary) - len, "%s %lld %s", s ? "," : "",
			    w[n - 1].counts[s], present_state_title((enum playbook_state)s));
		}
	} else
		snprintf(summary, sizeof(summary), "%s", _("No state recorded this week yet."));
	json_object_object_add(o, "width", json_object_new_int((int)n * 10));
	json_object_object_add(o, "height", json_object_new_int(100));
	json_object_object_add(o, "summary", json_object_new_string(summary));
	json_object_object_add(o, "weeks", weeks);
	return o;
}
