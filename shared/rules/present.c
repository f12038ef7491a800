/* present.c -- the words and SVG geometry pages show for the rules' verdicts (titles, AU bar, trend line). */
#include "autoconfig.h"

#include <math.h>
#include <stdio.h>

#include "present.h"

/* Logic-less templates cannot map a key to text: the view carries the title beside the key. */
static const char *const state_titles[PLAYBOOK_STATE__MAX] = {
	[PLAYBOOK_STATE_IN_PROGRESS] = "In progress",
	[PLAYBOOK_STATE_READY] = "Ready for review",
	[PLAYBOOK_STATE_AT_RISK] = "At risk",
	[PLAYBOOK_STATE_SUCCESS_REVIEW] = "In Success Review",
	[PLAYBOOK_STATE_CLOSED] = "Closed",
};

static const char *const phase_titles[PLAYBOOK_PHASE__MAX] = {
	[PLAYBOOK_PHASE_EXECUTION] = "Success Execution",
	[PLAYBOOK_PHASE_SUCCESS_REVIEW] = "Success Review",
	[PLAYBOOK_PHASE_CLOSED] = "Closed",
};

const char *
present_state_title(enum playbook_state state)
{
	return (unsigned)state < PLAYBOOK_STATE__MAX ? state_titles[state] : "";
}

const char *
present_phase_title(enum playbook_phase phase)
{
	return (unsigned)phase < PLAYBOOK_PHASE__MAX ? phase_titles[phase] : "";
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
