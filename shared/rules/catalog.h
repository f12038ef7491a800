/*
 * catalog.h -- the playbook's reference data: services, FTOP tasks, blocker
 * levels and Success Review outcomes, in English and Portuguese.  Rules look
 * things up here by key and act on the flags; no rule names a service.
 */
#ifndef FTS_CATALOG_H
#define FTS_CATALOG_H

#include <stddef.h>

enum catalog_lang { CATALOG_EN, CATALOG_PT };
/* The catalog's language for the reader now (i18n_current: pages, mail). */
enum catalog_lang catalog_lang_now(void);

struct catalog_service {
	const char	*key;		/* API key, e.g. "teams" */
	const char	*title[2];	/* by enum catalog_lang */
	int		 modern_comms;	/* CSM-led once a CSM is assigned (rule 1) */
	int		 handshake_ftop;/* FTOP task created with the handshake, 0 = none */
	int		 accelerator_ftop; /* accelerator program task, 0 = none offered */
	int		 adoption_program; /* has the Microsoft Adoption Service Program (rule 4) */
	const char	*report_name;	/* column prefix in the M365 "Active users" export, NULL = none */
};

enum catalog_activity {
	CATALOG_ACT_HANDSHAKE,
	CATALOG_ACT_ADOPTION,
	CATALOG_ACT_ACCELERATOR,
	CATALOG_ACT_REVIEW,
	CATALOG_ACT__MAX
};

struct catalog_task {
	int		 ftop_id;
	const char	*service;	/* service key, NULL when not tied to one */
	int		 required;	/* (b)/(M) = 1, (O) = 0 */
	enum catalog_activity activity;
	const char	*title[2];
};

struct catalog_entry {			/* L1 statuses, L2 reasons, review outcomes */
	const char	*key;
	const char	*title[2];
};

const struct catalog_service *catalog_services(size_t *n);
const struct catalog_service *catalog_service_find(const char *key);
/* Service whose report_name is name (case-insensitive), or NULL. */
const struct catalog_service *catalog_service_by_report_name(const char *name);

const struct catalog_task *catalog_task_find(int ftop_id);
/* Tasks of an activity (adoption program, ...) in catalog order: fills up to max, returns count. */
size_t catalog_tasks_of(enum catalog_activity act, const char *service, const struct catalog_task **out, size_t max);
const char *catalog_activity_title(enum catalog_activity act, enum catalog_lang lang);
const char *catalog_activity_key(enum catalog_activity act);

/* The keyed lists: a blocker's status (L1) and reason (L2), a Success Review's outcome. */
enum catalog_list { CATALOG_L1, CATALOG_L2, CATALOG_OUTCOMES, CATALOG_LIST__MAX };

/* The entries of list in catalog order, *n of them (none for an unknown list). */
const struct catalog_entry *catalog_list(enum catalog_list list, size_t *n);
/* The entry of list whose key is key, or NULL (also for a NULL key or an unknown list). */
const struct catalog_entry *catalog_find(enum catalog_list list, const char *key);

/* The FTOP task opened when Success Review starts (3735). */
#define CATALOG_FTOP_SUCCESS_REVIEW 3735

#endif
