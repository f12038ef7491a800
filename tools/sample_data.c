/* sample_data.c -- ftsuccess-sample-data: fills a database with demo or synthetic customers through the playbook rules. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "atomicfile.h"
#include "catalog.h"
#include "playbook.h"
#include "result.h"
#include "store.h"
#include "text.h"
#include "usagecsv.h"

#define PROG		"ftsuccess-sample-data"
#define DAY		86400
/*
 * History is written at noon UTC of each day: the calendar date is then the
 * same in every zone from UTC-11 to UTC+11, and one day later in the few
 * zones beyond, which the "no future dates" rules accept.
 */
#define NOON		(12 * 3600)
#define MAX_CUSTOMERS	1000000

/* Everything the generator carries from one customer to the next. */
struct gen {
	struct store	*st;
	struct playbook	 pb;
	int64_t		 end_now;	/* the present: history stops here */
	int32_t		 today;		/* last day history may be written at noon UTC */
	uint64_t	 rng;
	int		 quiet;
	long long	 calls;		/* playbook calls made (one transaction each) */
};

/* ---------------------------------------------------------------- helpers */

/* splitmix64: small, fast and the same on every platform for a given seed. */
static uint64_t
rnd_next(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform integer in [lo, hi]. */
static long long
rnd_range(struct gen *g, long long lo, long long hi)
{
	if (hi <= lo)
		return lo;
	return lo + (long long)(rnd_next(g) % (uint64_t)(hi - lo + 1));
}

/* Uniform double in [0, 1). */
static double
rnd_unit(struct gen *g)
{
	return (double)(rnd_next(g) >> 11) / 9007199254740992.0;
}

static const char *
rnd_pick(struct gen *g, const char *const *pool, size_t n)
{
	return pool[rnd_range(g, 0, (long long)n - 1)];
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(g, pool) rnd_pick((g), (pool), NELEM(pool))

/* Set the playbook clock to noon UTC of `day` plus `seq` seconds (keeps events of a day in order). */
static void
clock_at(struct gen *g, int32_t day, int seq)
{
	int64_t t = (int64_t)day * DAY + NOON + seq;

	g->pb.now = t < g->end_now ? t : g->end_now;
}

static void
date_of(int32_t day, char *buf, size_t size)
{
	text_date_format(day, buf, size);
}

/* Report a refused playbook call with what was being done; always -1. */
static int
failed(const char *customer, const char *what, const struct result *r)
{
	if (r->field[0])
		fprintf(stderr, "%s: %s: %s: %s (field %s)\n", PROG, customer, what, r->message,
		    r->field);
	else
		fprintf(stderr, "%s: %s: %s: %s\n", PROG, customer, what, r->message);
	return -1;
}

/*
 * AU percent of a service `x` of the way (0..1) from activation to the last
 * sample: an S-curve from start to end, as adoption typically goes (slow
 * pilot, a wave of users, a plateau).  Normalised so x = 0 gives start and
 * x = 1 gives end exactly.
 */
static double
au_curve(double start, double end, double x)
{
	double lo = 1.0 / (1.0 + exp(4.0)), hi = 1.0 / (1.0 + exp(-4.0));
	double s = 1.0 / (1.0 + exp(-8.0 * (x - 0.5)));

	return start + (end - start) * (s - lo) / (hi - lo);
}

/* Active users for a percentage of eligible, never above eligible. */
static long long
active_of(double pct, long long eligible)
{
	long long a;

	if (pct < 0)
		pct = 0;
	a = llround(pct * (double)eligible / 100.0);
	return a > eligible ? eligible : a;
}

/* ---------------------------------------------------------------- demo customers */

struct demo_service {
	const char	*key;
	int		 activated_ago;	/* days before today it went live; -1 = intended only */
	long long	 eligible;
	double		 start_pct;	/* AU at the first weekly sample */
	double		 end_pct;	/* AU at the latest sample */
	double		 target;	/* agreed AU target, 0 = the default 10 % */
	const char	*metric;	/* agreed success metric instead of AU, NULL = none */
	int		 metric_met;
	int		 target_ago;	/* when the target/metric was agreed */
};

struct demo_blocker {
	int		 opened_ago;
	int		 resolved_ago;	/* -1 = still open */
	const char	*service;	/* NULL = whole customer */
	const char	*l2;
	const char	*description;
	const char	*owner;
	const char	*resolution;
};

struct demo_task {
	int		 ftop_id;	/* 0 = end of list */
	int		 done_ago;
	const char	*note;
};

struct demo_customer {
	const char	*name;
	const char	*domain;
	const char	*tz;
	const char	*owner_fm;
	int		 pt;		/* notes in Portuguese */
	int		 cadence;	/* weeks */
	int		 created_ago;
	const char	*contacts[3][2];	/* name, e-mail; all receive invites */
	const char	*csm_name;
	const char	*csm_email;
	int		 csm_ago;	/* -1 = no CSM */
	struct demo_service services[5];
	int		 series_ago;	/* -1 = no check-in series */
	int		 first_checkin_ago;	/* -1 = none held */
	int		 last_checkin_ago;
	int		 sample_lag;	/* days from the latest sample to today */
	int		 adoption_ago;	/* OneDrive Adoption Program joined, -1 = no */
	int		 accelerator_ago;	/* Office ProPlus accelerator, -1 = no */
	struct demo_task tasks[4];
	struct demo_blocker blockers[3];
	int		 review_ago;	/* Success Review started, -1 = no */
	const char	*outcome;
	int		 outcome_ago;
	const char	*expect;	/* the readiness state the story ends in */
};

/*
 * A dozen customers, each in a situation the playbook names (see the
 * comment above each).  Addresses use reserved .example domains (RFC 2606)
 * so no invite can reach a real person.
 */
static const struct demo_customer demo[] = {
	/* Mixed: Teams/Yammer CSM-led, Exchange/SharePoint covered by the FM; a fresh blocker. */
	{
		.name = "Café Aurora Ltda.", .domain = "cafeaurora.onmicrosoft.com",
		.tz = "America/Sao_Paulo", .owner_fm = "demo", .pt = 1, .cadence = 2,
		.created_ago = 86,
		.contacts = {
			{ "João Conceição", "joao.conceicao@cafeaurora.example" },
			{ "Mariana Gonçalves", "mariana.goncalves@cafeaurora.example" },
			{ "Luís Araújo", "luis.araujo@cafeaurora.example" },
		},
		.csm_name = "Sérgio Antunes", .csm_email = "sergio.antunes@csm.example",
		.csm_ago = 72,
		.services = {
			{ .key = "exchange", .activated_ago = 80, .eligible = 1200,
			  .start_pct = 8.0, .end_pct = 31.4 },
			{ .key = "teams", .activated_ago = 75, .eligible = 1200, .start_pct = 3.0,
			  .end_pct = 22.6 },
			{ .key = "yammer", .activated_ago = 70, .eligible = 1200, .start_pct = 1.0,
			  .end_pct = 12.1 },
			{ .key = "sharepoint", .activated_ago = 26, .eligible = 1150,
			  .start_pct = 1.5, .end_pct = 7.8 },
		},
		.series_ago = 76, .first_checkin_ago = 74, .last_checkin_ago = 4, .sample_lag = 2,
		.adoption_ago = -1, .accelerator_ago = -1,
		.tasks = {
			{ .ftop_id = 3731, .done_ago = 60,
			  .note = "Handshake feito com o CSM; ele conduz a adoção do Teams." },
		},
		.blockers = {
			{ .opened_ago = 50, .resolved_ago = 36, .service = "teams",
			  .l2 = "customer_it_infrastructure",
			  .description = "Proxy da matriz bloqueava o tráfego de mídia do Teams",
			  .owner = "Luís Araújo",
			  .resolution = "Regras de proxy ajustadas para os intervalos do Microsoft 365." },
			{ .opened_ago = 10, .resolved_ago = -1, .service = "sharepoint",
			  .l2 = "it_change_management",
			  .description = "Migração dos file shares para o SharePoint aguardando a janela de mudança do CAB",
			  .owner = "Luís Araújo" },
		},
		.review_ago = -1, .outcome_ago = -1, .expect = "in_progress",
	},

	/* All CSM-led: the FM schedules no check-ins (rule 2). */
	{
		.name = "Nordlicht Logistik GmbH", .domain = "nordlicht-logistik.onmicrosoft.com",
		.tz = "Europe/Berlin", .owner_fm = "carlos.mendes", .cadence = 2, .created_ago = 90,
		.contacts = {
			{ "Jürgen Weiß", "juergen.weiss@nordlicht.example" },
			{ "Anke Brückner", "anke.brueckner@nordlicht.example" },
		},
		.csm_name = "Katrin Vogel", .csm_email = "katrin.vogel@csm.example", .csm_ago = 86,
		.services = {
			{ .key = "teams", .activated_ago = 82, .eligible = 3400, .start_pct = 2.0,
			  .end_pct = 19.3 },
			{ .key = "outlook_mobile", .activated_ago = 81, .eligible = 3400,
			  .start_pct = 5.0, .end_pct = 27.8 },
			{ .key = "yammer", .activated_ago = 21, .eligible = 3400, .start_pct = 0.8,
			  .end_pct = 4.2 },
		},
		.series_ago = -1, .first_checkin_ago = -1, .last_checkin_ago = -1, .sample_lag = 3,
		.adoption_ago = -1, .accelerator_ago = -1,
		.tasks = {
			{ .ftop_id = 3731, .done_ago = 70,
			  .note = "Katrin runs the Teams champions programme." },
			{ .ftop_id = 3733, .done_ago = 66 },
		},
		.review_ago = -1, .outcome_ago = -1, .expect = "in_progress",
	},

	/* OneDrive Adoption Program: introduction done, workshop still open. */
	{
		.name = "Maple Ridge Health", .domain = "mapleridgehealth.onmicrosoft.com",
		.tz = "America/New_York", .owner_fm = "carlos.mendes", .cadence = 2,
		.created_ago = 88,
		.contacts = {
			{ "Emily Carter", "emily.carter@mapleridge.example" },
			{ "Marcus O'Neill", "marcus.oneill@mapleridge.example" },
			{ "Priya Raman", "priya.raman@mapleridge.example" },
		},
		.csm_ago = -1,
		.services = {
			{ .key = "exchange", .activated_ago = 84, .eligible = 2600,
			  .start_pct = 12.0, .end_pct = 41.2 },
			{ .key = "onedrive", .activated_ago = 28, .eligible = 2600,
			  .start_pct = 1.0, .end_pct = 6.4 },
		},
		.series_ago = 82, .first_checkin_ago = 80, .last_checkin_ago = 6, .sample_lag = 2,
		.adoption_ago = 25, .accelerator_ago = -1,
		.tasks = {
			{ .ftop_id = 3740, .done_ago = 18,
			  .note = "Introduction held with the clinical IT team; 40 pilot users named." },
		},
		.blockers = {
			{ .opened_ago = 9, .resolved_ago = -1, .service = "onedrive",
			  .l2 = "security_privacy",
			  .description = "Privacy office reviewing external sharing defaults for patient documents",
			  .owner = "Priya Raman" },
		},
		.review_ago = -1, .outcome_ago = -1, .expect = "in_progress",
	},

	/* Ready for Success Review: every service above target, no open blocker, recent check-in. */
	{
		.name = "Sakura Denki K.K.", .domain = "sakura-denki.onmicrosoft.com",
		.tz = "Asia/Tokyo", .owner_fm = "demo", .cadence = 2, .created_ago = 80,
		.contacts = {
			{ "佐藤 陽翔 (Haruto Sato)", "haruto.sato@sakura-denki.example" },
			{ "田中 結衣 (Yui Tanaka)", "yui.tanaka@sakura-denki.example" },
		},
		.csm_ago = -1,
		.services = {
			{ .key = "exchange", .activated_ago = 77, .eligible = 5100,
			  .start_pct = 15.0, .end_pct = 38.0 },
			{ .key = "sharepoint", .activated_ago = 77, .eligible = 5100,
			  .start_pct = 3.0, .end_pct = 16.2 },
			{ .key = "onedrive", .activated_ago = 70, .eligible = 5100,
			  .start_pct = 2.0, .end_pct = 13.5 },
		},
		.series_ago = 75, .first_checkin_ago = 73, .last_checkin_ago = 3, .sample_lag = 1,
		.adoption_ago = -1, .accelerator_ago = -1,
		.blockers = {
			{ .opened_ago = 40, .resolved_ago = 25, .service = "exchange",
			  .l2 = "app_compatibility",
			  .description = "Legacy Outlook add-in for the ERP crashes on the new client",
			  .owner = "Yui Tanaka",
			  .resolution = "Vendor shipped version 4.2 of the add-in; rolled out to all users." },
		},
		.review_ago = -1, .outcome_ago = -1, .expect = "ready",
	},

	/* At risk: check-ins overdue, old open blockers, adoption stalling. */
	{
		.name = "Transportes Lusitânia S.A.",
		.domain = "transportes-lusitania.onmicrosoft.com", .tz = "Europe/Lisbon",
		.owner_fm = "demo", .pt = 1, .cadence = 2, .created_ago = 92,
		.contacts = {
			{ "Inês Magalhães", "ines.magalhaes@lusitania.example" },
			{ "Rui Sequeira", "rui.sequeira@lusitania.example" },
		},
		.csm_ago = -1,
		.services = {
			{ .key = "exchange", .activated_ago = 88, .eligible = 940, .start_pct = 6.0,
			  .end_pct = 19.0 },
			{ .key = "sharepoint", .activated_ago = 85, .eligible = 940,
			  .start_pct = 1.0, .end_pct = 4.3 },
			{ .key = "onedrive", .activated_ago = 85, .eligible = 940, .start_pct = 1.0,
			  .end_pct = 6.1 },
		},
		.series_ago = 86, .first_checkin_ago = 84, .last_checkin_ago = 38, .sample_lag = 5,
		.adoption_ago = -1, .accelerator_ago = -1,
		.blockers = {
			{ .opened_ago = 33, .resolved_ago = -1, .l2 = "legal_regulatory",
			  .description = "Parecer jurídico sobre armazenamento de dados fora de Portugal ainda pendente",
			  .owner = "Inês Magalhães" },
			{ .opened_ago = 20, .resolved_ago = -1, .service = "sharepoint",
			  .l2 = "billing_licensing",
			  .description = "Licenças E3 da segunda onda ainda não atribuídas pelo parceiro",
			  .owner = "Rui Sequeira" },
		},
		.review_ago = -1, .outcome_ago = -1, .expect = "at_risk",
	},

	/* Already in Success Review. */
	{
		.name = "Estúdio Ipê Design", .domain = "estudio-ipe.onmicrosoft.com",
		.tz = "America/Sao_Paulo", .owner_fm = "demo", .pt = 1, .cadence = 2,
		.created_ago = 88,
		.contacts = {
			{ "Luíza Câmara", "luiza.camara@estudioipe.example" },
			{ "Tomás Ribeiro", "tomas.ribeiro@estudioipe.example" },
		},
		.csm_ago = -1,
		.services = {
			{ .key = "exchange", .activated_ago = 84, .eligible = 180,
			  .start_pct = 20.0, .end_pct = 44.4 },
			{ .key = "teams", .activated_ago = 84, .eligible = 180, .start_pct = 5.0,
			  .end_pct = 23.3 },
			{ .key = "sharepoint", .activated_ago = 80, .eligible = 180,
			  .start_pct = 4.0, .end_pct = 12.8 },
		},
		.series_ago = 80, .first_checkin_ago = 78, .last_checkin_ago = 9, .sample_lag = 2,
		.adoption_ago = -1, .accelerator_ago = -1,
		.review_ago = 6, .outcome_ago = -1, .expect = "success_review",
	},

	/* Closed with an outcome; its series were cancelled. */
	{
		.name = "Harbor & Pine Outfitters", .domain = "harborpine.onmicrosoft.com",
		.tz = "America/Los_Angeles", .owner_fm = "demo", .cadence = 2, .created_ago = 96,
		.contacts = {
			{ "Dana Whitfield", "dana.whitfield@harborpine.example" },
			{ "Luis Ortega", "luis.ortega@harborpine.example" },
		},
		.csm_ago = -1,
		.services = {
			{ .key = "exchange", .activated_ago = 90, .eligible = 420,
			  .start_pct = 10.0, .end_pct = 52.0 },
			{ .key = "onedrive", .activated_ago = 90, .eligible = 420, .start_pct = 3.0,
			  .end_pct = 18.1 },
			{ .key = "sharepoint", .activated_ago = 88, .eligible = 420,
			  .start_pct = 2.0, .end_pct = 15.2 },
		},
		.series_ago = 88, .first_checkin_ago = 86, .last_checkin_ago = 24, .sample_lag = 2,
		.adoption_ago = -1, .accelerator_ago = -1,
		.review_ago = 22, .outcome = "additional_workloads", .outcome_ago = 14,
		.expect = "closed",
	},

	/* Office ProPlus accelerator requested (3650 open). */
	{
		.name = "Fábrica de Móveis São João", .domain = "moveis-saojoao.onmicrosoft.com",
		.tz = "America/Fortaleza", .owner_fm = "demo", .pt = 1, .cadence = 2,
		.created_ago = 74,
		.contacts = {
			{ "Antônio Brandão", "antonio.brandao@moveissaojoao.example" },
			{ "Conceição Paiva", "conceicao.paiva@moveissaojoao.example" },
		},
		.csm_ago = -1,
		.services = {
			{ .key = "exchange", .activated_ago = 70, .eligible = 310, .start_pct = 9.0,
			  .end_pct = 27.1 },
			{ .key = "office_proplus", .activated_ago = 25, .eligible = 310,
			  .start_pct = 2.5, .end_pct = 6.8 },
		},
		.series_ago = 68, .first_checkin_ago = 66, .last_checkin_ago = 8, .sample_lag = 2,
		.adoption_ago = -1, .accelerator_ago = 20,
		.review_ago = -1, .outcome_ago = -1, .expect = "in_progress",
	},

	/* Custom targets: Exchange at 30 %, SharePoint measured by an agreed metric (met). */
	{
		.name = "Kaffeehaus Müller & Söhne", .domain = "kaffeehaus-mueller.onmicrosoft.com",
		.tz = "Europe/Vienna", .owner_fm = "carlos.mendes", .cadence = 2, .created_ago = 66,
		.contacts = {
			{ "Lena Müller", "lena.mueller@kaffeehaus.example" },
			{ "Jörg Schäfer", "joerg.schaefer@kaffeehaus.example" },
		},
		.csm_ago = -1,
		.services = {
			{ .key = "exchange", .activated_ago = 63, .eligible = 260,
			  .start_pct = 12.0, .end_pct = 34.5, .target = 30.0, .target_ago = 55 },
			{ .key = "sharepoint", .activated_ago = 60, .eligible = 260,
			  .start_pct = 2.0, .end_pct = 21.0,
			  .metric = "Every store manager publishes the weekly menu on the SharePoint intranet",
			  .metric_met = 1, .target_ago = 40 },
			{ .key = "teams", .activated_ago = 20, .eligible = 260, .start_pct = 2.0,
			  .end_pct = 7.7 },
		},
		.series_ago = 62, .first_checkin_ago = 60, .last_checkin_ago = 5, .sample_lag = 2,
		.adoption_ago = -1, .accelerator_ago = -1,
		.review_ago = -1, .outcome_ago = -1, .expect = "in_progress",
	},

	/* Just activated: no usage yet, first check-in not due. */
	{
		.name = "Cooperativa Açores Pescas", .domain = "acorespescas.onmicrosoft.com",
		.tz = "Atlantic/Azores", .owner_fm = "demo", .pt = 1, .cadence = 2,
		.created_ago = 14,
		.contacts = {
			{ "Mafalda Furtado", "mafalda.furtado@acorespescas.example" },
			{ "Gonçalo Medeiros", "goncalo.medeiros@acorespescas.example" },
		},
		.csm_ago = -1,
		.services = {
			{ .key = "exchange", .activated_ago = 9, .eligible = 75, .start_pct = 3.0,
			  .end_pct = 5.3 },
			{ .key = "sharepoint", .activated_ago = -1, .eligible = 75 },
		},
		.series_ago = 8, .first_checkin_ago = -1, .last_checkin_ago = -1, .sample_lag = 2,
		.adoption_ago = -1, .accelerator_ago = -1,
		.review_ago = -1, .outcome_ago = -1, .expect = "in_progress",
	},

	/* CSM assigned after Teams went live: late handshake, series narrowed to Exchange. */
	{
		.name = "Mercado Bom Preço", .domain = "mercadobompreco.onmicrosoft.com",
		.tz = "America/Sao_Paulo", .owner_fm = "demo", .pt = 1, .cadence = 2,
		.created_ago = 66,
		.contacts = {
			{ "Sebastião Nóbrega", "sebastiao.nobrega@bompreco.example" },
			{ "Patrícia Lemos", "patricia.lemos@bompreco.example" },
			{ "Otávio Queiroz", "otavio.queiroz@bompreco.example" },
		},
		.csm_name = "Vânia Castelo", .csm_email = "vania.castelo@csm.example",
		.csm_ago = 30,
		.services = {
			{ .key = "exchange", .activated_ago = 62, .eligible = 1800,
			  .start_pct = 5.0, .end_pct = 16.0 },
			{ .key = "teams", .activated_ago = 60, .eligible = 1800, .start_pct = 3.0,
			  .end_pct = 11.2 },
		},
		.series_ago = 58, .first_checkin_ago = 56, .last_checkin_ago = 3, .sample_lag = 2,
		.adoption_ago = -1, .accelerator_ago = -1,
		.blockers = {
			{ .opened_ago = 5, .resolved_ago = -1, .service = "teams",
			  .l2 = "adoption_readiness",
			  .description = "Gerentes de loja ainda sem treinamento no Teams",
			  .owner = "Patrícia Lemos" },
		},
		.review_ago = -1, .outcome_ago = -1, .expect = "in_progress",
	},

	/* Weekly cadence, last check-in twelve days ago: overdue. */
	{
		.name = "Blue Harbour Dental Group", .domain = "blueharbourdental.onmicrosoft.com",
		.tz = "Australia/Sydney", .owner_fm = "carlos.mendes", .cadence = 1,
		.created_ago = 60,
		.contacts = {
			{ "Olivia Brennan", "olivia.brennan@blueharbour.example" },
			{ "Mehmet Yılmaz", "mehmet.yilmaz@blueharbour.example" },
		},
		.csm_ago = -1,
		.services = {
			{ .key = "exchange", .activated_ago = 56, .eligible = 140,
			  .start_pct = 18.0, .end_pct = 46.0 },
			{ .key = "onedrive", .activated_ago = 56, .eligible = 140, .start_pct = 4.0,
			  .end_pct = 15.0 },
		},
		.series_ago = -1, .first_checkin_ago = 54, .last_checkin_ago = 12, .sample_lag = 2,
		.adoption_ago = -1, .accelerator_ago = -1,
		.blockers = {
			{ .opened_ago = 4, .resolved_ago = -1, .l2 = "partner_engagement",
			  .description = "Partner has not confirmed the date of the device enrolment day",
			  .owner = "Olivia Brennan" },
		},
		.review_ago = -1, .outcome_ago = -1, .expect = "at_risk",
	},
};

static const char *const summary_en[] = {
	"Reviewed the AU trend per service; usage is growing since the pilot groups went live.",
	"Walked the IT lead through the usage dashboards of the adoption content pack.",
	"Agreed the training plan for the next wave of users.",
	"Went through the open blockers and confirmed an owner for each.",
	"Champions programme kicked off; the first lunch-and-learn sessions are booked.",
};
static const char *const summary_pt[] = {
	"Revisamos a evolução do uso ativo por serviço; a adoção cresce desde a ativação dos grupos piloto.",
	"Apresentamos ao líder de TI os painéis de uso do pacote de conteúdo de adoção.",
	"Combinamos o plano de treinamento da próxima onda de usuários.",
	"Revisamos os bloqueios em aberto e confirmamos um responsável para cada um.",
	"Programa de campeões iniciado; as primeiras sessões de almoço e aprendizado estão agendadas.",
};
static const char *const action_en[] = {
	"Send the usage dashboard link to the department heads",
	"Schedule training for the finance team",
	"Confirm licence assignment for the second wave",
	"Share the adoption kit with the champions",
	"Review the SharePoint site templates with the intranet team",
};
static const char *const action_pt[] = {
	"Enviar o link do painel de uso aos gerentes de área",
	"Agendar o treinamento da equipe financeira",
	"Confirmar a atribuição de licenças da segunda onda",
	"Compartilhar o kit de adoção com os campeões",
	"Revisar os modelos de site do SharePoint com a equipe da intranet",
};

/* One thing that happens to a demo customer on a day. */
enum ev_kind {
	EV_CREATE, EV_CONTACTS, EV_INTEND, EV_ACTIVATE, EV_CSM, EV_TARGET, EV_ADOPTION,
	EV_ACCELERATOR, EV_SAMPLE, EV_SERIES, EV_CHECKIN, EV_TASK, EV_BLOCKER_OPEN,
	EV_BLOCKER_RESOLVE, EV_REVIEW, EV_OUTCOME, EV__MAX
};

static const char *const ev_names[EV__MAX] = {
	[EV_CREATE] = "create customer", [EV_CONTACTS] = "add contacts",
	[EV_INTEND] = "add intended service", [EV_ACTIVATE] = "activate service",
	[EV_CSM] = "assign CSM", [EV_TARGET] = "agree target",
	[EV_ADOPTION] = "join adoption program", [EV_ACCELERATOR] = "request accelerator",
	[EV_SAMPLE] = "record AU sample", [EV_SERIES] = "schedule check-ins",
	[EV_CHECKIN] = "log check-in", [EV_TASK] = "complete task",
	[EV_BLOCKER_OPEN] = "open blocker", [EV_BLOCKER_RESOLVE] = "resolve blocker",
	[EV_REVIEW] = "start Success Review", [EV_OUTCOME] = "record review outcome",
};

struct event {
	int32_t		 day;
	enum ev_kind	 kind;	/* also the order of events within a day */
	int		 idx;	/* service, task or blocker index */
	int		 n;	/* ordinal (check-in number, sample day) */
};

struct events {
	struct event	*v;
	size_t		 n, cap;
};

static int
ev_add(struct events *e, int32_t day, enum ev_kind kind, int idx, int n)
{
	struct event *nv;

	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;

		if ((nv = realloc(e->v, cap * sizeof(*nv))) == NULL) {
			fprintf(stderr, "%s: out of memory\n", PROG);
			return -1;
		}
		e->v = nv;
		e->cap = cap;
	}
	e->v[e->n].day = day;
	e->v[e->n].kind = kind;
	e->v[e->n].idx = idx;
	e->v[e->n].n = n;
	e->n++;
	return 0;
}

static int
ev_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	return 0;
}

static size_t
n_services(const struct demo_customer *d)
{
	size_t n = 0;

	while (n < NELEM(d->services) && d->services[n].key != NULL)
		n++;
	return n;
}

/* Every event of a demo customer, in the order they happened. */
static int
demo_events(const struct gen *g, const struct demo_customer *d, struct events *e)
{
	int32_t	 t = g->today, day;
	size_t	 i, ns = n_services(d);
	int	 k, step = d->cadence * 7;

	if (ev_add(e, t - d->created_ago, EV_CREATE, 0, 0) == -1 ||
	    ev_add(e, t - d->created_ago, EV_CONTACTS, 0, 0) == -1)
		return -1;
	for (i = 0; i < ns; i++) {
		const struct demo_service *s = &d->services[i];

		if (ev_add(e, t - d->created_ago, EV_INTEND, (int)i, 0) == -1)
			return -1;
		if (s->target != 0 || s->metric != NULL)
			if (ev_add(e, t - s->target_ago, EV_TARGET, (int)i, 0) == -1)
				return -1;
		if (s->activated_ago < 0)
			continue;
		if (ev_add(e, t - s->activated_ago, EV_ACTIVATE, (int)i, 0) == -1)
			return -1;
		/* Weekly samples counted back from the latest, the first a week after go-live. */
		for (day = t - d->sample_lag; day >= t - s->activated_ago + 7; day -= 7)
			if (ev_add(e, day, EV_SAMPLE, (int)i, 0) == -1)
				return -1;
	}
	if (d->csm_ago >= 0 && ev_add(e, t - d->csm_ago, EV_CSM, 0, 0) == -1)
		return -1;
	if (d->series_ago >= 0 && ev_add(e, t - d->series_ago, EV_SERIES, 0, 0) == -1)
		return -1;
	if (d->first_checkin_ago >= 0)
		for (k = 0, day = t - d->last_checkin_ago; day >= t - d->first_checkin_ago;
		    day -= step, k++)
			if (ev_add(e, day, EV_CHECKIN, 0, k) == -1)
				return -1;
	if (d->adoption_ago >= 0 && ev_add(e, t - d->adoption_ago, EV_ADOPTION, 0, 0) == -1)
		return -1;
	if (d->accelerator_ago >= 0 &&
	    ev_add(e, t - d->accelerator_ago, EV_ACCELERATOR, 0, 0) == -1)
		return -1;
	for (i = 0; i < NELEM(d->tasks) && d->tasks[i].ftop_id; i++)
		if (ev_add(e, t - d->tasks[i].done_ago, EV_TASK, (int)i, 0) == -1)
			return -1;
	for (i = 0; i < NELEM(d->blockers) && d->blockers[i].description; i++) {
		if (ev_add(e, t - d->blockers[i].opened_ago, EV_BLOCKER_OPEN, (int)i, 0) == -1)
			return -1;
		if (d->blockers[i].resolved_ago >= 0 &&
		    ev_add(e, t - d->blockers[i].resolved_ago, EV_BLOCKER_RESOLVE, (int)i, 0) == -1)
			return -1;
	}
	if (d->review_ago >= 0 && ev_add(e, t - d->review_ago, EV_REVIEW, 0, 0) == -1)
		return -1;
	if (d->outcome != NULL && ev_add(e, t - d->outcome_ago, EV_OUTCOME, 0, 0) == -1)
		return -1;
	qsort(e->v, e->n, sizeof(*e->v), ev_cmp);
	return 0;
}

/* The services the FM covers right now (activated, not CSM-led): rule 2, read from the store. */
static int
covered_services(struct gen *g, int64_t id, char keys[][32], size_t max, size_t *n,
    struct result *r)
{
	struct store_service	*list;
	size_t			 nl, i;

	*n = 0;
	if (store_service_list(g->st, id, &list, &nl, r) == -1)
		return -1;
	for (i = 0; i < nl && *n < max; i++)
		if (list[i].intended && list[i].activated_on[0] && !list[i].csm_led)
			text_copy(keys[(*n)++], 32, list[i].service);
	free(list);
	return 0;
}

static int
demo_checkin(struct gen *g, const struct demo_customer *d, int64_t id, int32_t day, int k,
    struct result *r)
{
	struct playbook_checkin_input	 in;
	char				 keys[8][32], held[11], next[11];
	const char			*svc[8];
	size_t				 n, i;

	if (covered_services(g, id, keys, NELEM(keys), &n, r) == -1)
		return -1;
	for (i = 0; i < n; i++)
		svc[i] = keys[i];
	date_of(day, held, sizeof(held));
	date_of(day + (int32_t)rnd_range(g, 5, 14), next, sizeof(next));
	memset(&in, 0, sizeof(in));
	in.held_on = held;
	in.summary = d->pt ? summary_pt[(size_t)k % NELEM(summary_pt)] :
	    summary_en[(size_t)k % NELEM(summary_en)];
	in.next_action = d->pt ? PICK(g, action_pt) : PICK(g, action_en);
	in.next_action_on = next;
	in.next_action_owner = d->contacts[(size_t)k % 2][0];
	in.services = svc;
	in.n_services = n;
	g->calls++;
	return playbook_checkin_log(&g->pb, id, &in, NULL, r);
}

/* One AU sample on `day` on the service's curve, with a little week-to-week noise. */
static int
demo_sample(struct gen *g, const struct demo_customer *d, int64_t id, const struct demo_service *s,
    int32_t day, struct result *r)
{
	int32_t		 first = g->today - s->activated_ago + 7, last = g->today - d->sample_lag;
	double		 x = last > first ? (double)(day - first) / (double)(last - first) : 1.0;
	double		 pct = au_curve(s->start_pct, s->end_pct, x);
	long long	 eligible;
	char		 on[11];

	/* The latest sample is exactly on target for the story; earlier ones wobble. */
	if (day != last)
		pct += (rnd_unit(g) - 0.5) * 0.6;
	/* Licences are assigned in waves: eligible users grow towards the final count. */
	eligible = s->eligible - (long long)((1.0 - x) * (double)s->eligible * 0.08);
	date_of(day, on, sizeof(on));
	g->calls++;
	return playbook_usage_record(&g->pb, id, s->key, on, active_of(pct, eligible), eligible,
	    "manual", r);
}

/*
 * The story must end where the table says: judge the customer as the
 * dashboard will (at the present time) and refuse data that says otherwise.
 */
static int
demo_check(struct gen *g, const struct demo_customer *d, int64_t id)
{
	struct store_facts		 f;
	struct playbook_readiness	*rd;
	struct result			 r;
	size_t				 i;
	int				 rc = 0;

	result_clear(&r);
	if (store_facts_get(g->st, id, &f, &r) == -1)
		return failed(d->name, "read back", &r);
	if ((rd = malloc(sizeof(*rd))) == NULL) {
		store_facts_clear(&f);
		fprintf(stderr, "%s: out of memory\n", PROG);
		return -1;
	}
	playbook_readiness(&f, text_date_today(f.customer.timezone, (time_t)g->end_now), rd);
	if (strcmp(playbook_state_key(rd->state), d->expect) != 0) {
		fprintf(stderr, "%s: %s: state is %s, the story wants %s\n", PROG, d->name,
		    playbook_state_key(rd->state), d->expect);
		for (i = 0; i < rd->n_reasons; i++)
			fprintf(stderr, "%s:   reason: %s\n", PROG, rd->reasons[i].text);
		for (i = 0; i < rd->n_risks; i++)
			fprintf(stderr, "%s:   risk: %s\n", PROG, rd->risks[i].text);
		rc = -1;
	} else if (!g->quiet)
		printf("%s: %s (%s): %s\n", PROG, d->name, d->tz, playbook_state_key(rd->state));
	free(rd);
	store_facts_clear(&f);
	return rc;
}

/*
 * One event of a demo story: the playbook call it stands for (one per
 * contact, sample or check-in where there are several).  *id is set by
 * EV_CREATE; blocker_ids[] keeps what EV_BLOCKER_OPEN opened for its resolve.
 * Over 100 lines on purpose: one flat case per event kind, each a single
 * call, reads as the table of what each event does; split, it would not.
 */
static int
demo_step(struct gen *g, const struct demo_customer *d, const struct event *ev, int64_t *id,
    int64_t blocker_ids[3], struct result *r)
{
	const struct demo_service		*s = &d->services[ev->idx];
	struct playbook_customer_input		 ci;
	struct playbook_service_input		 si;
	struct playbook_blocker_input		 bi;
	size_t					 j;
	char					 on[11], starts[17];

	switch (ev->kind) {
	case EV_CREATE:
		memset(&ci, 0, sizeof(ci));
		ci.name = d->name;
		ci.tenant_domain = d->domain;
		ci.timezone = d->tz;
		ci.owner_fm = d->owner_fm;
		ci.cadence_weeks = d->cadence;
		g->calls++;
		if (playbook_customer_create(&g->pb, &ci, id, r) == -1)
			return -1;
		break;
	case EV_CONTACTS:
		for (j = 0; j < NELEM(d->contacts) && d->contacts[j][0]; j++) {
			g->calls++;
			if (playbook_contact_add(&g->pb, *id, d->contacts[j][0],
			    d->contacts[j][1], 1, NULL, r) == -1)
				return -1;
		}
		break;
	case EV_INTEND:
	case EV_ACTIVATE:
		memset(&si, 0, sizeof(si));
		si.service = s->key;
		si.licensed_users = s->eligible;
		if (ev->kind == EV_ACTIVATE) {
			date_of(ev->day, on, sizeof(on));
			si.activated_on = on;
		}
		g->calls++;
		if (playbook_service_activate(&g->pb, *id, &si, r) == -1)
			return -1;
		break;
	case EV_CSM:
		g->calls++;
		if (playbook_csm_assign(&g->pb, *id, d->csm_name, d->csm_email, r) == -1)
			return -1;
		break;
	case EV_TARGET:
		g->calls++;
		if (playbook_service_target(&g->pb, *id, s->key, s->target, s->metric,
		    s->metric_met, r) == -1)
			return -1;
		break;
	case EV_ADOPTION:
		g->calls++;
		if (playbook_adoption_join(&g->pb, *id, "onedrive", r) == -1)
			return -1;
		break;
	case EV_ACCELERATOR:
		g->calls++;
		if (playbook_accelerator_request(&g->pb, *id, "office_proplus", r) == -1)
			return -1;
		break;
	case EV_SAMPLE:
		if (demo_sample(g, d, *id, s, ev->day, r) == -1)
			return -1;
		break;
	case EV_SERIES:
		/* Two days later at 10:00 in the customer's zone, every cadence. */
		date_of(ev->day + 2, on, sizeof(on));
		snprintf(starts, sizeof(starts), "%sT10:00", on);
		g->calls++;
		if (playbook_meeting_schedule(&g->pb, *id, starts, 45, d->cadence, NULL, r) == -1)
			return -1;
		break;
	case EV_CHECKIN:
		if (demo_checkin(g, d, *id, ev->day, ev->n, r) == -1)
			return -1;
		break;
	case EV_TASK:
		g->calls++;
		if (playbook_task_complete(&g->pb, *id, d->tasks[ev->idx].ftop_id,
		    d->tasks[ev->idx].note, r) == -1)
			return -1;
		break;
	case EV_BLOCKER_OPEN:
		memset(&bi, 0, sizeof(bi));
		bi.description = d->blockers[ev->idx].description;
		bi.owner = d->blockers[ev->idx].owner;
		bi.l2_reason = d->blockers[ev->idx].l2;
		bi.service = d->blockers[ev->idx].service;
		g->calls++;
		if (playbook_blocker_open(&g->pb, *id, &bi, &blocker_ids[ev->idx], r) == -1)
			return -1;
		break;
	case EV_BLOCKER_RESOLVE:
		g->calls++;
		if (playbook_blocker_resolve(&g->pb, blocker_ids[ev->idx],
		    d->blockers[ev->idx].resolution, r) == -1)
			return -1;
		break;
	case EV_REVIEW:
		g->calls++;
		if (playbook_review_start(&g->pb, *id, r) == -1)
			return -1;
		break;
	case EV_OUTCOME:
		g->calls++;
		if (playbook_review_outcome(&g->pb, *id, d->outcome, r) == -1)
			return -1;
		break;
	case EV__MAX:
		break;
	}
	return 0;
}

static int
demo_customer(struct gen *g, const struct demo_customer *d)
{
	struct events				 e = { NULL, 0, 0 };
	struct result				 r;
	int64_t					 id = 0, blocker_ids[3] = { 0, 0, 0 };
	size_t					 i;
	int					 rc = -1;
	char					 on[11];

	result_clear(&r);
	g->pb.actor = d->owner_fm;
	if (demo_events(g, d, &e) == -1)
		goto out;
	for (i = 0; i < e.n; i++) {
		/* Walk the clock forward: the rules judge each step by its own day. */
		clock_at(g, e.v[i].day, (int)i);
		if (demo_step(g, d, &e.v[i], &id, blocker_ids, &r) == -1)
			goto fail;
	}
	rc = demo_check(g, d, id);
	goto out;
fail:
	{
		char what[96];

		date_of(e.v[i].day, on, sizeof(on));
		snprintf(what, sizeof(what), "%s on %s", ev_names[e.v[i].kind], on);
		failed(d->name, what, &r);
	}
out:
	free(e.v);
	return rc;
}

/* ---------------------------------------------------------------- synthetic customers */

static const char *const syn_first[] = {
	"Atlântica", "Boreal", "Cedro", "Delta", "Estrela", "Fjord", "Granito", "Horizonte",
	"Iris", "Jacarandá", "Kestrel", "Lumen", "Meridian", "Norte", "Orion", "Pinheiro",
	"Quasar", "Rio Claro", "Solar", "Tejo", "Umbra", "Vértice", "Weiden", "Zenit",
};
static const char *const syn_second[] = {
	"Logística", "Seguros", "Energia", "Foods", "Health", "Metalúrgica", "Retail",
	"Engenharia", "Pharma", "Telecom", "Têxtil", "Consulting", "Bank", "Agro", "Media",
};
static const char *const syn_suffix[] = {
	"Ltda.", "S.A.", "GmbH", "Inc.", "K.K.", "Lda.", "AG", "LLC", "B.V.",
};
static const char *const syn_tz[] = {
	"America/Sao_Paulo", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/Lisbon",
	"America/Chicago", "Europe/London", "Asia/Kolkata", "Australia/Sydney", "America/Bogota",
	"Africa/Johannesburg", "Asia/Singapore", "Europe/Madrid", "America/Mexico_City", "UTC",
};
static const char *const syn_people[] = {
	"Ana Souza", "Bruno Oliveira", "Camila Rocha", "Diego Fernandes", "Élodie Martin",
	"Felix Bauer", "Grace Kim", "Hiroshi Ito", "Isabela Duarte", "Jonas Weber",
	"Kavya Nair", "Lucas Pereira", "Marta Jiménez", "Nuno Cardoso", "Olga Petrova",
};
static const char *const syn_fm[] = { "demo", "carlos.mendes", "ana.fm", "li.wei" };
static const char *const syn_services[] = {
	"exchange", "sharepoint", "onedrive", "teams", "yammer", "outlook_mobile", "office_proplus",
};

/* The customer, its one or two contacts and (three times in ten) a CSM; *csm says which. */
static int
synthetic_create(struct gen *g, long long index, const char *domain, int64_t *id, int *csm,
    struct result *r)
{
	struct playbook_customer_input	 ci;
	char				 name[200], email[2][96];
	size_t				 i, n_contacts;

	g->pb.now = g->end_now;
	g->pb.actor = PICK(g, syn_fm);
	snprintf(name, sizeof(name), "%s %s %s", PICK(g, syn_first), PICK(g, syn_second),
	    PICK(g, syn_suffix));
	memset(&ci, 0, sizeof(ci));
	ci.name = name;
	ci.tenant_domain = domain;
	ci.timezone = PICK(g, syn_tz);
	ci.owner_fm = g->pb.actor;
	ci.cadence_weeks = rnd_unit(g) < 0.2 ? 1 : 2;
	g->calls++;
	if (playbook_customer_create(&g->pb, &ci, id, r) == -1)
		return failed(domain, "create", r);

	n_contacts = (size_t)rnd_range(g, 1, 2);
	for (i = 0; i < n_contacts; i++) {
		snprintf(email[i], sizeof(email[i]), "contact%zu@sample-%06lld.example", i + 1, index);
		g->calls++;
		if (playbook_contact_add(&g->pb, *id, PICK(g, syn_people), email[i], i == 0, NULL,
		    r) == -1)
			return failed(domain, "contact", r);
	}
	*csm = rnd_unit(g) < 0.3;
	if (*csm) {
		g->calls++;
		if (playbook_csm_assign(&g->pb, *id, PICK(g, syn_people), "csm@sample.example", r) == -1)
			return failed(domain, "csm", r);
	}
	return 0;
}

/*
 * Two to four distinct services, live 3 to 12 weeks ago, with weekly AU
 * samples imported in one transaction; covered[] gets those the FM's
 * check-ins cover (not the modern-comms ones a CSM leads).
 */
static int
synthetic_services(struct gen *g, int64_t id, int csm, const char *covered[4], size_t *nc,
    struct result *r)
{
	struct playbook_service_input	 si;
	struct usagecsv_sample		*samples = NULL;
	json_object			*report = NULL;
	const char			*picked[4];
	char				 on[11];
	size_t				 np = 0, ns = 0, want, imported, i, j;
	int32_t				 act[4];
	long long			 elig;
	int				 rc = -1;

	want = (size_t)rnd_range(g, 2, 4);
	while (np < want) {
		const char *k = PICK(g, syn_services);

		for (j = 0; j < np && strcmp(picked[j], k) != 0; j++)
			;
		if (j < np)
			continue;
		act[np] = g->today - (int32_t)rnd_range(g, 21, 84);
		picked[np++] = k;
	}
	if ((samples = calloc(np * 13, sizeof(*samples))) == NULL) {
		result_set(r, RESULT_IO, NULL, "out of memory for %zu AU samples", np * 13);
		return -1;
	}
	for (i = 0; i < np; i++) {
		const struct catalog_service *cs = catalog_service_find(picked[i]);
		double end = rnd_unit(g) * 30.0, start = end * rnd_unit(g) * 0.3;
		int32_t day, last = g->today - 1;

		memset(&si, 0, sizeof(si));
		si.service = picked[i];
		date_of(act[i], on, sizeof(on));
		si.activated_on = on;
		elig = rnd_range(g, 50, 20000);
		si.licensed_users = elig;
		g->calls++;
		if (playbook_service_activate(&g->pb, id, &si, r) == -1)
			goto out;
		if (!(cs->modern_comms && csm) && *nc < 4)
			covered[(*nc)++] = picked[i];
		for (day = last; day >= act[i] + 7; day -= 7) {
			long long a = active_of(au_curve(start, end,
			    (double)(day - act[i]) / (double)(last - act[i])), elig);

			text_copy(samples[ns].service, sizeof(samples[ns].service), picked[i]);
			date_of(day, samples[ns].measured_on, sizeof(samples[ns].measured_on));
			samples[ns].active = a;
			samples[ns].inactive = elig - a;
			ns++;
		}
	}
	/* All samples of a customer in one transaction, as a usage report import does. */
	if (ns > 0) {
		g->calls++;
		if (playbook_usage_import(&g->pb, id, samples, ns, 0, &report, &imported, r) == -1)
			goto out;
		json_object_put(report);
	}
	rc = 0;
out:
	free(samples);
	return rc;
}

/* What happens later, by chance: a check-in held, a series scheduled, a blocker opened. */
static int
synthetic_followups(struct gen *g, int64_t id, const char **covered, size_t nc,
    struct result *r)
{
	struct playbook_checkin_input	 ki;
	struct playbook_blocker_input	 bi;
	char				 on[11], next[11], starts[17];

	if (nc > 0 && rnd_unit(g) < 0.85) {
		int32_t held = g->today - (int32_t)rnd_range(g, 1, 25);

		date_of(held, on, sizeof(on));
		date_of(held + 14, next, sizeof(next));
		memset(&ki, 0, sizeof(ki));
		ki.held_on = on;
		ki.summary = PICK(g, summary_en);
		ki.next_action = PICK(g, action_en);
		ki.next_action_on = next;
		ki.next_action_owner = PICK(g, syn_people);
		ki.services = covered;
		ki.n_services = nc;
		g->calls++;
		if (playbook_checkin_log(&g->pb, id, &ki, NULL, r) == -1)
			return -1;
	}
	if (nc > 0 && rnd_unit(g) < 0.5) {
		/* Three days ahead: a date that is still in the future in every zone. */
		date_of(g->today + 3 + (int32_t)rnd_range(g, 0, 7), on, sizeof(on));
		snprintf(starts, sizeof(starts), "%sT%02d:%s", on, (int)rnd_range(g, 8, 16),
		    rnd_unit(g) < 0.5 ? "00" : "30");
		g->calls++;
		if (playbook_meeting_schedule(&g->pb, id, starts, 30, 2, NULL, r) == -1)
			return -1;
	}
	if (rnd_unit(g) < 0.25) {
		size_t nl2;
		const struct catalog_entry *l2 = catalog_l2(&nl2);

		memset(&bi, 0, sizeof(bi));
		bi.description = "Waiting on the customer's change advisory board";
		bi.owner = PICK(g, syn_people);
		bi.l2_reason = l2[rnd_range(g, 0, (long long)nl2 - 1)].key;
		g->calls++;
		if (playbook_blocker_open(&g->pb, id, &bi, NULL, r) == -1)
			return -1;
	}
	return 0;
}

/*
 * One synthetic customer with everything written at the present time: the
 * dates are in the past, which the rules accept, and a fixed handful of
 * transactions per customer keeps 10,000 customers fast.
 */
static int
synthetic_customer(struct gen *g, long long index)
{
	struct result	 r;
	const char	*covered[4];
	char		 domain[64];
	size_t		 nc = 0;
	int64_t		 id;
	int		 csm;

	result_clear(&r);
	snprintf(domain, sizeof(domain), "sample-%06lld.onmicrosoft.com", index);
	if (synthetic_create(g, index, domain, &id, &csm, &r) == -1)
		return -1;
	if (synthetic_services(g, id, csm, covered, &nc, &r) == -1 ||
	    synthetic_followups(g, id, covered, nc, &r) == -1)
		return failed(domain, "synthetic data", &r);
	return 0;
}

/* ---------------------------------------------------------------- scratch database */

/*
 * The store syncs every commit (synchronous=FULL), about 4 ms per playbook
 * call on a disk, so 10,000 customers (some 84,000 calls) would take minutes.
 * A new database is therefore built on a memory file system, where a sync
 * costs nothing, and copied into place once: temp file, fsync, rename, fsync
 * of the directory, so the database appears whole or not at all.
 */
static int
copy_into_place(const char *from, const char *to)
{
	struct result	r;
	mode_t		mask;

	/* Like a file the user creates: 0644 less the umask (atomicfile sets modes exactly). */
	mask = umask(0);
	umask(mask);
	if (atomicfile_copy(from, to, 0644 & ~mask, &r) == -1) {
		fprintf(stderr, "%s: %s\n", PROG, r.message);
		return -1;
	}
	return 0;
}

/* Remove a scratch database and the WAL/shared-memory files SQLite may leave beside it. */
static void
scratch_remove(const char *path)
{
	char side[4200];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

/* ---------------------------------------------------------------- main */

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: %s --database PATH [--demo] [--customers N] [--seed S]\n"
	    "       [--today DATE] [--quiet] [--scratch DIR | --direct]\n"
	    "  --demo          a dozen hand-written customers with 8-12 weeks of history\n"
	    "                  (the default when --customers is not given)\n"
	    "  --customers N   N synthetic customers (benchmarks), after the demo ones if\n"
	    "                  --demo is also given\n"
	    "  --seed S        pseudo-random seed (default 1): same seed, same data\n"
	    "  --today DATE    write history as if it were DATE (YYYY-MM-DD, 15:00 UTC,\n"
	    "                  or YYYY-MM-DDTHH:MM UTC) rather than now\n"
	    "  --quiet         print only the summary line\n"
	    "  --scratch DIR   build a new database in DIR (default /dev/shm, a memory\n"
	    "                  file system) and copy it into place at the end\n"
	    "  --direct        write to PATH directly (slow: every commit is synced)\n", PROG);
}

/* What the command line asked for. */
struct options {
	const char	*database, *today_arg, *scratch_dir;
	long long	 customers, seed;
	int		 want_demo, quiet, direct;
};

/* Read the command line into *o; -1 to go on, else the exit status (0 for --help, 2 if wrong). */
static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "database", required_argument, NULL, 'd' },
		{ "customers", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "today", required_argument, NULL, 't' },
		{ "demo", no_argument, NULL, 'D' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "scratch", required_argument, NULL, 'S' },
		{ "direct", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->scratch_dir = "/dev/shm";
	o->customers = -1;
	o->seed = 1;
	while ((ch = getopt_long(argc, argv, "d:n:s:t:DqS:xh", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			o->database = optarg;
			break;
		case 'n':
			if (text_int_parse(optarg, 0, MAX_CUSTOMERS, &o->customers) == -1) {
				fprintf(stderr, "%s: --customers \"%s\" is not a number 0..%d\n", PROG,
				    optarg, MAX_CUSTOMERS);
				return 2;
			}
			break;
		case 's':
			if (text_int_parse(optarg, 0, INT64_MAX, &o->seed) == -1) {
				fprintf(stderr, "%s: --seed \"%s\" is not a non-negative number\n",
				    PROG, optarg);
				return 2;
			}
			break;
		case 't':
			o->today_arg = optarg;
			break;
		case 'D':
			o->want_demo = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'S':
			o->scratch_dir = optarg;
			break;
		case 'x':
			o->direct = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || o->database == NULL) {
		usage(stderr);
		return 2;
	}
	if (o->customers < 0)
		o->want_demo = 1;
	return -1;
}

/* The generator's clock from --today (or now); -1 when --today is not a date. */
static int
clock_start(struct gen *g, const char *today_arg)
{
	int32_t	 day;

	if (today_arg != NULL) {
		int minute = 15 * 60;

		/* A date alone means 15:00 UTC; a time of day (UTC) tests other hours. */
		if (strlen(today_arg) == 10 ? text_date_parse(today_arg, &day) == -1 :
		    text_local_datetime_parse(today_arg, &day, &minute) == -1) {
			fprintf(stderr, "%s: --today \"%s\" is not YYYY-MM-DD or "
			    "YYYY-MM-DDTHH:MM (UTC)\n", PROG, today_arg);
			return -1;
		}
		g->end_now = (int64_t)day * DAY + (int64_t)minute * 60;
	} else
		g->end_now = (int64_t)time(NULL);
	/* The last day whose noon UTC is at least an hour in the past. */
	g->today = (int32_t)((g->end_now - NOON - 3600) / DAY);
	return 0;
}

/*
 * After the store is closed: move a scratch database into place when all
 * went well (rc 0), and remove the scratch file either way; the new rc.
 */
static int
scratch_finish(const char *scratch, const char *database, int rc)
{
	/* Closing the last connection checkpoints the WAL into the main file. */
	char wal[4210];

	snprintf(wal, sizeof(wal), "%s-wal", scratch);
	if (rc == 0 && access(wal, F_OK) == 0) {
		fprintf(stderr, "%s: %s-wal still exists after close; not copying\n", PROG, scratch);
		rc = 1;
	}
	if (rc == 0 && copy_into_place(scratch, database) == -1)
		rc = 1;
	scratch_remove(scratch);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options	 o;
	struct gen	 g;
	struct result	 r;
	struct timespec	 t0, t1;
	const char	*open_path;
	char		 scratch[4200] = "";
	struct stat	 sb;
	long long	 existing, i;
	int		 rc;
	size_t		 k;

	if ((rc = parse_options(argc, argv, &o)) != -1)
		return rc;
	rc = 1;
	memset(&g, 0, sizeof(g));
	g.quiet = o.quiet;
	if (clock_start(&g, o.today_arg) == -1)
		return 2;
	g.rng = (uint64_t)o.seed;

	/* A new database is built in scratch space and moved into place at the end. */
	open_path = o.database;
	if (!o.direct && stat(o.database, &sb) == -1 && errno == ENOENT &&
	    stat(o.scratch_dir, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    access(o.scratch_dir, W_OK) == 0) {
		snprintf(scratch, sizeof(scratch), "%s/%s.%ld.db", o.scratch_dir, PROG,
		    (long)getpid());
		scratch_remove(scratch);
		open_path = scratch;
	}
	result_clear(&r);
	if (store_open(&g.st, open_path, &r) == -1) {
		fprintf(stderr, "%s: %s\n", PROG, r.message);
		if (scratch[0])
			scratch_remove(scratch);
		return 1;
	}
	g.pb.st = g.st;
	g.pb.default_cadence_weeks = 2;
	existing = store_count(g.st, "customer");
	if (existing < 0) {
		fprintf(stderr, "%s: %s: cannot count customers\n", PROG, o.database);
		goto out;
	}
	if (o.want_demo && existing > 0) {
		fprintf(stderr, "%s: %s already has %lld customers; the demo customers go into a new "
		    "database\n", PROG, o.database, existing);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (o.want_demo)
		for (k = 0; k < NELEM(demo); k++)
			if (demo_customer(&g, &demo[k]) == -1)
				goto out;
	for (i = 0; i < o.customers; i++) {
		if (synthetic_customer(&g, existing + i + 1) == -1)
			goto out;
		if (!g.quiet && (i + 1) % 1000 == 0)
			printf("%s: %lld synthetic customers\n", PROG, i + 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s: %s: %lld customers, %lld playbook calls, %lld outbox messages, %.2f s\n",
	    PROG, o.database, store_count(g.st, "customer"), g.calls, store_count(g.st, "outbox"),
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = 0;
out:
	store_close(g.st);
	if (scratch[0])
		rc = scratch_finish(scratch, o.database, rc);
	return rc;
}
