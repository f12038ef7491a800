/* sample_demo.c -- the dozen demo customers of ftsuccess-sample-data: each a story of events played through the playbook on its own day. */
#include "autoconfig.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "playbook.h"
#include "result.h"
#include "store.h"
#include "text.h"
#include "usagecsv.h"
#include "sample_data.h"

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

const char *const sample_summary_en[SAMPLE_POOL] = {
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
const char *const sample_action_en[SAMPLE_POOL] = {
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

	if ((nv = buf_array_room(e->v, e->n, &e->cap, sizeof(*nv), 64)) == NULL) {
		fprintf(stderr, "%s: out of memory\n", PROG);
		return -1;
	}
	e->v = nv;
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
	sample_date_of(day, held, sizeof(held));
	sample_date_of(day + (int32_t)sample_rnd_range(g, 5, 14), next, sizeof(next));
	memset(&in, 0, sizeof(in));
	in.held_on = held;
	in.summary = d->pt ? summary_pt[(size_t)k % NELEM(summary_pt)] :
	    sample_summary_en[(size_t)k % NELEM(sample_summary_en)];
	in.next_action = d->pt ? PICK(g, action_pt) : PICK(g, sample_action_en);
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
	double		 pct = sample_au_curve(s->start_pct, s->end_pct, x);
	long long	 eligible;
	char		 on[11];

	/* The latest sample is exactly on target for the story; earlier ones wobble. */
	if (day != last)
		pct += (sample_rnd_unit(g) - 0.5) * 0.6;
	/* Licences are assigned in waves: eligible users grow towards the final count. */
	eligible = s->eligible - (long long)((1.0 - x) * (double)s->eligible * 0.08);
	sample_date_of(day, on, sizeof(on));
	g->calls++;
	return playbook_usage_record(&g->pb, id, s->key, on, sample_active_of(pct, eligible), eligible,
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
		return sample_failed(d->name, "read back", &r);
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
			sample_date_of(ev->day, on, sizeof(on));
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
		sample_date_of(ev->day + 2, on, sizeof(on));
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
		sample_clock_at(g, e.v[i].day, (int)i);
		if (demo_step(g, d, &e.v[i], &id, blocker_ids, &r) == -1)
			goto fail;
	}
	rc = demo_check(g, d, id);
	goto out;
fail:
	{
		char what[96];

		sample_date_of(e.v[i].day, on, sizeof(on));
		snprintf(what, sizeof(what), "%s on %s", ev_names[e.v[i].kind], on);
		sample_failed(d->name, what, &r);
	}
out:
	free(e.v);
	return rc;
}

/* Every demo customer in turn: 0, or -1 at the first refused call (said on stderr). */
int
sample_demo_customers(struct gen *g)
{
	size_t k;

	for (k = 0; k < NELEM(demo); k++)
		if (demo_customer(g, &demo[k]) == -1)
			return -1;
	return 0;
}
