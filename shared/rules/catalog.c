/* catalog.c -- the playbook's reference data as tables (PLAYBOOK.md; seed/related for L1/L2 and outcomes). */
#include "autoconfig.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "i18n.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Services.  Modern Comms (Outlook Mobile, Teams, Yammer) hand over to the CSM
 * with tasks 3731-3733.  OneDrive has the Adoption Service Program; Office
 * ProPlus the accelerator 3650.  report_name is the prefix of the
 * "<name> Active" / "<name> Inactive" columns of the Microsoft 365
 * "Active users - services" export (Graph getOffice365ServicesUserCounts).
 */
static const struct catalog_service services[] = {
	{ "exchange", { "Exchange Online", "Exchange Online" }, 0, 0, 0, 0, "Exchange" },
	{ "sharepoint", { "SharePoint Online", "SharePoint Online" }, 0, 0, 0, 0, "SharePoint" },
	{ "onedrive", { "OneDrive for Business", "OneDrive for Business" }, 0, 0, 0, 1, "OneDrive" },
	{ "teams", { "Microsoft Teams", "Microsoft Teams" }, 1, 3731, 0, 0, "Teams" },
	{ "yammer", { "Yammer", "Yammer" }, 1, 3732, 0, 0, "Yammer" },
	{ "outlook_mobile", { "Outlook Mobile", "Outlook Mobile" }, 1, 3733, 0, 0, NULL },
	{ "office_proplus", { "Office ProPlus", "Office ProPlus" }, 0, 0, 3650, 0, "Office 365" },
	{ "skype", { "Skype for Business Online", "Skype for Business Online" }, 0, 0, 0, 0, "Skype For Business" },
};

static const struct catalog_task tasks[] = {
	{ 3731, "teams", 0, CATALOG_ACT_HANDSHAKE,
	  { "Teams – post-activation field handshake",
	    "Teams – handshake de campo pós-ativação" } },
	{ 3732, "yammer", 0, CATALOG_ACT_HANDSHAKE,
	  { "Yammer – post-activation field handshake",
	    "Yammer – handshake de campo pós-ativação" } },
	{ 3733, "outlook_mobile", 0, CATALOG_ACT_HANDSHAKE,
	  { "Outlook Mobile – post-activation field handshake",
	    "Outlook Mobile – handshake de campo pós-ativação" } },
	{ 3740, "onedrive", 1, CATALOG_ACT_ADOPTION,
	  { "OneDrive – run the OneDrive Adoption Program introduction",
	    "OneDrive – realizar a introdução ao Programa de Adoção do OneDrive" } },
	{ 3741, "onedrive", 1, CATALOG_ACT_ADOPTION,
	  { "OneDrive – run the OneDrive Adoption workshop",
	    "OneDrive – realizar o workshop de Adoção do OneDrive" } },
	{ 3743, "onedrive", 0, CATALOG_ACT_ADOPTION,
	  { "OneDrive – track OneDrive Adoption Program progress",
	    "OneDrive – acompanhar o progresso do Programa de Adoção do OneDrive" } },
	{ 3650, "office_proplus", 0, CATALOG_ACT_ACCELERATOR,
	  { "Office ProPlus – OPP acceleration",
	    "Office ProPlus – aceleração do OPP" } },
	{ 3735, NULL, 1, CATALOG_ACT_REVIEW,
	  { "Conduct Success Review Meeting",
	    "Realizar a Reunião de Análise do Sucesso" } },
};

static const struct {
	const char *key;
	const char *title[2];
} activities[CATALOG_ACT__MAX] = {
	{ "handshake", { "CSM Handshake for Modern Comms", "Handshake do CSM para Comunicações Modernas" } },
	{ "adoption", { "Microsoft Adoption Service Program", "Programa de Serviço de Adoção da Microsoft" } },
	{ "accelerator", { "Service Accelerator Programs", "Programas Aceleradores de Serviço" } },
	{ "review", { "Conduct Success Review", "Conduzir a Análise do Sucesso" } },
};

static const struct catalog_entry l1[] = {
	{ "status_unknown", { "Status Unknown", "Status Desconhecido" } },
	{ "in_progress", { "In Progress", "Em Andamento" } },
	{ "no_intent", { "No Intent", "Sem Intenção" } },
	{ "blocked", { "Blocked", "Bloqueado" } },
	{ "duplicate_invalid", { "Duplicate/Invalid", "Duplicado/Inválido" } },
};

static const struct catalog_entry l2[] = {
	{ "customer_it_infrastructure", { "Customer IT Infrastructure and Remediation",
	    "Infraestrutura de TI do Cliente e Correção" } },
	{ "it_change_management", { "IT Change Management and Resourcing",
	    "Gerenciamento de Mudanças de TI e Recursos" } },
	{ "legal_regulatory", { "Legal/Regulatory", "Jurídico/Regulatório" } },
	{ "security_privacy", { "Security/Privacy (non-product)", "Segurança/Privacidade (não relacionado ao produto)" } },
	{ "adoption_readiness", { "Adoption Readiness", "Preparação para Adoção" } },
	{ "product_feature", { "Product Feature/Capability", "Recurso/Funcionalidade do Produto" } },
	{ "service_reliability", { "Service Reliability", "Confiabilidade do Serviço" } },
	{ "app_compatibility", { "App Compatibility", "Compatibilidade de Aplicativos" } },
	{ "partner_engagement", { "Partner Engagement", "Envolvimento do Parceiro" } },
	{ "billing_licensing", { "Billing, Licensing and Subscription", "Cobrança, Licenciamento e Assinatura" } },
};

static const struct catalog_entry outcomes[] = {
	{ "business_value", { "Continue with business value discussions",
	    "Continuar com as discussões sobre valor comercial" } },
	{ "additional_workloads", { "Enable additional workloads",
	    "Habilitar cargas de trabalho adicionais" } },
	{ "transition_to_csm", { "Transition ongoing adoption to the CSM",
	    "Fazer a transição da adoção contínua para o CSM" } },
	{ "disengage", { "Disengage from FastTrack", "Desligar-se do FastTrack" } },
};

const struct catalog_service *
catalog_services(size_t *n)
{
	*n = NELEM(services);
	return services;
}

const struct catalog_service *
catalog_service_find(const char *key)
{
	size_t i;

	if (key == NULL)
		return NULL;
	for (i = 0; i < NELEM(services); i++)
		if (strcmp(services[i].key, key) == 0)
			return &services[i];
	return NULL;
}

const struct catalog_service *
catalog_service_by_report_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NELEM(services); i++)
		if (services[i].report_name != NULL &&
		    strcasecmp(services[i].report_name, name) == 0)
			return &services[i];
	return NULL;
}

const struct catalog_task *
catalog_task_find(int ftop_id)
{
	size_t i;

	for (i = 0; i < NELEM(tasks); i++)
		if (tasks[i].ftop_id == ftop_id)
			return &tasks[i];
	return NULL;
}

size_t
catalog_tasks_of(enum catalog_activity act, const char *service,
    const struct catalog_task **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < NELEM(tasks) && n < max; i++) {
		if (tasks[i].activity != act)
			continue;
		if (service != NULL && (tasks[i].service == NULL ||
		    strcmp(tasks[i].service, service) != 0))
			continue;
		out[n++] = &tasks[i];
	}
	return n;
}

const char *
catalog_activity_title(enum catalog_activity act, enum catalog_lang lang)
{
	if ((unsigned)act >= CATALOG_ACT__MAX || (unsigned)lang > CATALOG_PT)
		return "";
	return activities[act].title[lang];
}

const char *
catalog_activity_key(enum catalog_activity act)
{
	if ((unsigned)act >= CATALOG_ACT__MAX)
		return "";
	return activities[act].key;
}

/* The keyed lists by enum catalog_list. */
static const struct {
	const struct catalog_entry	*entries;
	size_t				 n;
} lists[CATALOG_LIST__MAX] = {
	[CATALOG_L1] = { .entries = l1, .n = NELEM(l1) },
	[CATALOG_L2] = { .entries = l2, .n = NELEM(l2) },
	[CATALOG_OUTCOMES] = { .entries = outcomes, .n = NELEM(outcomes) },
};

const struct catalog_entry *
catalog_list(enum catalog_list list, size_t *n)
{
	if ((unsigned)list >= CATALOG_LIST__MAX) {
		*n = 0;
		return NULL;
	}
	*n = lists[list].n;
	return lists[list].entries;
}

const struct catalog_entry *
catalog_find(enum catalog_list list, const char *key)
{
	const struct catalog_entry	*e;
	size_t				 i, n;

	e = catalog_list(list, &n);
	if (key == NULL || e == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (strcmp(e[i].key, key) == 0)
			return &e[i];
	return NULL;
}

enum catalog_lang
catalog_lang_now(void)
{
	return strcmp(i18n_current(), "pt-BR") == 0 ? CATALOG_PT : CATALOG_EN;
}
