/* outbox_tool.c -- test helper: create customers and outbox rows, print an outbox row as JSON. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "playbook.h"
#include "result.h"
#include "store.h"
#include "text.h"
#include "../unit/unit.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: outbox_tool DB customer NAME TENANT_DOMAIN\n"
	    "       outbox_tool DB insert CUSTOMER_ID KIND DEDUPE_KEY PAYLOAD_FILE RECIPIENTS_JSON\n"
	    "       outbox_tool DB get ID\n"
	    "       outbox_tool DB retry ID   (what POST /api/outbox/ID/retry does)\n"
	    "       outbox_tool DB playbook   (a customer's life: handshake, invite, update, cancel)\n"
	    "       outbox_tool DB examples   (every message of a series, for docs/notifications.md)\n");
	exit(2);
}

static long long
num(const char *s)
{
	long long	v;

	if (text_int_parse(s, 1, INT64_MAX, &v) == -1) {
		fprintf(stderr, "not an id: %s\n", s);
		exit(2);
	}
	return v;
}

/* The active FM login owns the customers made here (owner_fm names a user since migration 7). */
static int
tool_user(struct store *st, const char *login, struct result *r)
{
	struct store_user u;

	if (store_user_get_login(st, login, &u, r) == 0)
		return 0;
	playbook_user_defaults(&u, login);
	return store_user_insert(st, &u, (int64_t)time(NULL), r);
}

/* A user's profile: name, e-mail (the chair of every invite, issue 12) and meeting link. */
static int
tool_profile_of(struct store *st, const char *login, const char *name, const char *email,
    const char *url, struct result *r)
{
	struct store_user u;

	if (tool_user(st, login, r) == -1 || store_user_get_login(st, login, &u, r) == -1)
		return -1;
	text_copy(u.display_name, sizeof(u.display_name), name);
	text_copy(u.email, sizeof(u.email), email);
	text_copy(u.meeting_url, sizeof(u.meeting_url), url);
	return store_user_update(st, &u, (int64_t)time(NULL), r);
}

static int
tool_profile(struct store *st, const char *login, struct result *r)
{
	return tool_profile_of(st, login, "Lia Costa", "lia.costa@fm.example",
	    "https://teams.example/l/meetup-join/lia", r);
}

/*
 * Every message a series can send, through the rules as the web program
 * calls them, on fixed dates in the past, so that every row is due at once
 * (docs/notifications.md shows what the notifier makes of them): a São
 * Paulo customer's weekly series scheduled for Wednesday 10 December 2025,
 * moved to Thursday 11 December (an update that says so), one check-in skipped and one moved, a contact removed (a
 * personal cancel), the customer reassigned from Lia to Bruno (the update
 * with the new chair, Lia's personal cancel), the series rescheduled after
 * it started (split: the old one ends, a new one starts), and the new one
 * cancelled.
 */
static int
examples(struct store *st, struct result *r)
{
	struct playbook			 pb = { st, "lia", 0, 1, NULL, 0, 0 };
	struct playbook			 mgr;
	struct playbook_customer_input	 ci = { "Contoso Ltda", "contoso.onmicrosoft.com",
					    "America/Sao_Paulo", "lia", 1, NULL };
	struct playbook_service_input	 si = { "exchange", "2025-11-03", 0, NULL, -1 };
	int64_t				 cid, ana, joao, mid, nid;

	pb.now = 1764676800;	/* 2025-12-02T12:00:00Z, a Tuesday: all rows are due */
	mgr = pb;
	mgr.actor = "rui";
	mgr.role = PLAYBOOK_ROLE_MANAGER;
	if (tool_profile_of(st, "lia", "Lia Costa", "lia.costa@fm.example",
	    "https://teams.example/l/meetup-join/lia", r) == -1 ||
	    tool_profile_of(st, "bruno", "Bruno Alves", "bruno.alves@fm.example",
	    "https://teams.example/l/meetup-join/bruno", r) == -1 ||
	    tool_user(st, "rui", r) == -1)
		return -1;
	if (playbook_customer_create(&pb, &ci, &cid, r) == -1 ||
	    playbook_contact_add(&pb, cid, "Ana Souza", "ana@contoso.com", 1, &ana, r) == -1 ||
	    playbook_contact_add(&pb, cid, "Jo\xc3\xa3o Souza", "joao@contoso.com", 1, &joao,
	    r) == -1 ||
	    playbook_service_activate(&pb, cid, &si, r) == -1 ||
	    playbook_meeting_schedule(&pb, cid, "2025-12-10T10:00", 30, 1, &mid, r) == -1 ||
	    playbook_meeting_reschedule(&pb, mid, "2025-12-11T11:00", 0, 0, NULL, r) == -1 ||
	    playbook_meeting_skip(&pb, mid, "2025-12-18", r) == -1 ||
	    playbook_meeting_move(&pb, mid, "2025-12-25", "2025-12-24T15:30", r) == -1 ||
	    playbook_contact_set_invites(&pb, joao, 0, r) == -1 ||
	    playbook_customer_reassign(&mgr, cid, "bruno", r) == -1)
		return -1;
	pb.actor = "bruno";
	pb.now = 1767700800;	/* 2026-01-06T12:00:00Z: the series has started */
	if (playbook_meeting_reschedule(&pb, mid, "2026-01-13T09:00", 0, 0, &nid, r) == -1 ||
	    playbook_meeting_cancel(&pb, nid, r) == -1)
		return -1;
	return 0;
}

/*
 * Rows as the web program writes them: a customer with two contacts, an
 * FM-led service and Teams activated, a CSM assigned (handshake, assigned
 * twice: still one), a check-in series scheduled a week from today,
 * rescheduled, then cancelled; the FM has an e-mail, so each message of
 * the series goes to the FM too, as its chair.
 */
static int
scenario(struct store *st, struct result *r)
{
	struct playbook			 pb = { st, "fm@fm.example", 0, 2, NULL, 0, 0 };
	struct playbook_customer_input	 ci = { "Contoso Ltda", "contoso.onmicrosoft.com",
					    "America/Sao_Paulo", "fm@fm.example", 2, NULL };
	struct playbook_service_input	 si = { "exchange", NULL, 0, NULL, -1 };
	int64_t				 cid, contact, mid;
	char				 today[11], start[17], later[17];
	int32_t				 day;

	pb.now = (int64_t)time(NULL);
	if (tool_user(st, pb.actor, r) == -1 || tool_profile(st, pb.actor, r) == -1)
		return -1;
	day = text_date_today("America/Sao_Paulo", (time_t)pb.now);
	text_date_format(day - 3, today, sizeof(today));
	si.activated_on = today;
	text_date_format(day + 7, start, sizeof(start));
	text_copy(start + 10, sizeof(start) - 10, "T10:00");
	text_date_format(day + 8, later, sizeof(later));
	text_copy(later + 10, sizeof(later) - 10, "T14:30");
	if (playbook_customer_create(&pb, &ci, &cid, r) == -1 ||
	    playbook_contact_add(&pb, cid, "Ana Souza", "ana@contoso.com", 1, &contact, r) == -1 ||
	    playbook_contact_add(&pb, cid, "Souza, Jo\xc3\xa3o", "joao@contoso.com", 1, &contact, r) == -1 ||
	    playbook_service_activate(&pb, cid, &si, r) == -1)
		return -1;
	si.service = "teams";
	if (playbook_service_activate(&pb, cid, &si, r) == -1 ||
	    playbook_csm_assign(&pb, cid, "Carla Mendes", "carla@microsoft.example", NULL, r) == -1 ||
	    playbook_csm_assign(&pb, cid, "Carla Mendes", "carla@microsoft.example", NULL, r) == -1 ||
	    playbook_meeting_schedule(&pb, cid, start, 30, 2, &mid, r) == -1 ||
	    playbook_meeting_reschedule(&pb, mid, later, 45, 0, NULL, r) == -1 ||
	    playbook_meeting_cancel(&pb, mid, r) == -1)
		return -1;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct store		*st = NULL;
	struct store_customer	 c;
	struct store_outbox_new	 o;
	struct result		 r;
	char			*payload;
	int			 inserted, status = 1;

	if (argc < 3)
		usage();
	result_clear(&r);
	if (store_open(&st, argv[1], &r) == -1) {
		fprintf(stderr, "store_open %s: %s\n", argv[1], r.message);
		return 1;
	}
	if (strcmp(argv[2], "customer") == 0 && argc == 5) {
		memset(&c, 0, sizeof(c));
		text_copy(c.name, sizeof(c.name), argv[3]);
		text_copy(c.tenant_domain, sizeof(c.tenant_domain), argv[4]);
		text_copy(c.timezone, sizeof(c.timezone), "UTC");
		text_copy(c.owner_fm, sizeof(c.owner_fm), "fm");
		if (tool_user(st, c.owner_fm, &r) == -1 ||
		    store_customer_insert(st, &c, (int64_t)time(NULL), &r) == -1)
			goto fail;
		printf("%lld\n", (long long)c.id);
	} else if (strcmp(argv[2], "insert") == 0 && argc == 8) {
		if ((payload = unit_file_read(argv[6], NULL, &r)) == NULL)
			goto fail;
		o.customer_id = num(argv[3]);
		o.kind = argv[4];
		o.dedupe_key = argv[5];
		o.payload = payload;
		o.recipients = argv[7];
		if (store_outbox_insert(st, &o, (int64_t)time(NULL), &inserted, &r) == -1) {
			free(payload);
			goto fail;
		}
		free(payload);
		printf("%s\n", inserted ? "inserted" : "existing");
	} else if (strcmp(argv[2], "get") == 0 && argc == 4) {
		struct buf text = { 0 };

		if (store_outbox_row_json(st, num(argv[3]), &text, &r) == -1) {
			buf_free(&text);
			goto fail;
		}
		printf("%s\n", buf_cstr(&text));
		buf_free(&text);
	} else if (strcmp(argv[2], "retry") == 0 && argc == 4) {
		struct playbook pb;

		memset(&pb, 0, sizeof(pb));
		pb.st = st;
		pb.actor = "outbox_tool";
		pb.role = PLAYBOOK_ROLE_MANAGER;	/* the person who retries may change any customer */
		pb.now = (int64_t)time(NULL);
		pb.default_cadence_weeks = 2;
		if (playbook_outbox_retry(&pb, num(argv[3]), &r) == -1) {
			status = r.code == RESULT_CONFLICT ? 3 : 1;
			goto fail;
		}
	} else if (strcmp(argv[2], "playbook") == 0 && argc == 3) {
		if (scenario(st, &r) == -1)
			goto fail;
	} else if (strcmp(argv[2], "examples") == 0 && argc == 3) {
		if (examples(st, &r) == -1)
			goto fail;
	} else {
		store_close(st);
		usage();
	}
	status = 0;
	store_close(st);
	return status;
fail:
	fprintf(stderr, "outbox_tool %s: %s\n", argv[2], r.message);
	store_close(st);
	return status;
}
