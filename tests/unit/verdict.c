/* verdict.c -- test helper for the readiness tests: where a reason code stands in a verdict. */
#include "autoconfig.h"

#include <string.h>

#include "playbook.h"
#include "verdict.h"

int
verdict_code_in(const struct playbook_readiness *rd, const char *code)
{
	size_t i;

	for (i = 0; i < rd->n_reasons; i++)
		if (strcmp(rd->reasons[i].code, code) == 0)
			return 1;
	for (i = 0; i < rd->n_risks; i++)
		if (strcmp(rd->risks[i].code, code) == 0)
			return 2;
	return 0;
}
