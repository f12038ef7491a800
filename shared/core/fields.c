/* fields.c -- the field specs of fields.h and the one check of a typed value against its spec. */
#include "autoconfig.h"

#include <stddef.h>

#include "fields.h"
#include "text.h"

const struct field_spec field_customer_name = {
	.name = "name", .label = "Customer name", .kind = FIELD_LINE, .min = 1, .max = FIELD_NAME_MAX,
};
const struct field_spec field_tenant_domain = {
	.name = "tenant_domain", .label = "Tenant domain", .kind = FIELD_LINE, .min = 3,
	.max = FIELD_DOMAIN_MAX,
};
const struct field_spec field_owner_fm = {
	.name = "owner_fm", .label = "FM", .kind = FIELD_LINE, .max = FIELD_FM_MAX,
};
const struct field_spec field_contact_name = {
	.name = "name", .label = "Contact name", .kind = FIELD_LINE, .min = 1, .max = FIELD_NAME_MAX,
};
const struct field_spec field_csm_name = {
	.name = "name", .label = "CSM name", .kind = FIELD_LINE, .min = 1, .max = FIELD_NAME_MAX,
};
const struct field_spec field_custom_metric = {
	.name = "custom_metric", .label = "Custom metric", .kind = FIELD_LINE, .max = FIELD_METRIC_MAX,
};
const struct field_spec field_checkin_summary = {
	.name = "summary", .label = "Summary", .kind = FIELD_LINES, .max = FIELD_SUMMARY_MAX,
};
const struct field_spec field_next_action = {
	.name = "next_action", .label = "Next action", .kind = FIELD_LINE, .min = 1,
	.max = FIELD_ACTION_MAX,
};
const struct field_spec field_next_action_owner = {
	.name = "next_action_owner", .label = "Owner of the next action", .kind = FIELD_LINE,
	.min = 1, .max = FIELD_NAME_MAX,
};
const struct field_spec field_task_note = {
	.name = "note", .label = "Note", .kind = FIELD_LINES, .max = FIELD_NOTE_MAX,
};
const struct field_spec field_blocker_description = {
	.name = "description", .label = "Description", .kind = FIELD_LINES, .min = 1,
	.max = FIELD_NOTE_MAX,
};
const struct field_spec field_blocker_owner = {
	.name = "owner", .label = "Owner", .kind = FIELD_LINE, .min = 1, .max = FIELD_NAME_MAX,
};
const struct field_spec field_blocker_resolution = {
	.name = "resolution", .label = "Resolution", .kind = FIELD_LINES, .min = 1,
	.max = FIELD_NOTE_MAX,
};
const struct field_spec field_search = {
	.name = "q", .label = "Search", .kind = FIELD_LINE, .max = FIELD_SEARCH_MAX,
};
const struct field_spec field_fm_filter = {
	.name = "fm", .label = "FM", .kind = FIELD_LINE, .max = FIELD_FM_MAX,
};

const struct field_spec *const field_specs[] = {
	&field_customer_name, &field_tenant_domain, &field_owner_fm, &field_contact_name,
	&field_csm_name, &field_custom_metric, &field_checkin_summary, &field_next_action,
	&field_next_action_owner, &field_task_note, &field_blocker_description,
	&field_blocker_owner, &field_blocker_resolution, &field_search, &field_fm_filter,
	NULL
};

/*
 * Unicode bidirectional embedding, override and isolate controls (U+202A..E,
 * U+2066..9) make a name display differently from what it is (a "Trojan
 * source" in a mail subject or a calendar): refused in one-line values.
 */
static int
field_has_bidi_control(const char *v, size_t len)
{
	const unsigned char	*u = (const unsigned char *)v;
	size_t			 i;

	for (i = 0; i + 2 < len; i++)
		if (u[i] == 0xe2 &&
		    ((u[i + 1] == 0x80 && u[i + 2] >= 0xaa && u[i + 2] <= 0xae) ||
		    (u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)))
			return 1;
	return 0;
}

enum field_problem
field_check(const struct field_spec *fs, const char *s, size_t len, size_t *chars)
{
	size_t	 n;

	if (chars != NULL)
		*chars = 0;
	if (s == NULL || len == 0)
		return FIELD_EMPTY;
	if (!text_utf8_valid(s, len))
		return FIELD_NOT_UTF8;
	n = text_utf8_chars(s, len);
	if (chars != NULL)
		*chars = n;
	if (!text_printable(s, len) || (fs->kind == FIELD_LINE && !text_header_safe(s, len)))
		return FIELD_CONTROL;
	if (fs->kind == FIELD_LINE && field_has_bidi_control(s, len))
		return FIELD_BIDI;
	/* A name of one zero-width joiner would be an invisible customer in every list and mail. */
	if (!text_visible(s, len))
		return FIELD_INVISIBLE;
	if (fs->min > 0 && n < fs->min)
		return FIELD_SHORT;
	if (fs->max > 0 && n > fs->max)
		return FIELD_LONG;
	return FIELD_OK;
}
