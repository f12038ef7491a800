/* routes.c -- the route table of ftsuccess.fcgi: add a row per page or API endpoint. */
#include "autoconfig.h"

#include <stddef.h>

#include "router.h"

const struct route routes_table[] = {
	{ HTTP_METHOD_GET,	"/healthz",	router_healthz,	ROUTE_PUBLIC },
	{ HTTP_METHOD_GET,	"/static/*",	router_static,	ROUTE_PUBLIC },
	{ HTTP_METHOD_OTHER,	NULL,		NULL,		0 }
};
