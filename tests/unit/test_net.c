/* test_net.c -- table-driven checks of shared/core/net.c: which address texts are loopback. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "net.h"
#include "unit.h"

static void
test_loopback(void **state)
{
	static const struct { const char *addr; int want; } cases[] = {
		{ .addr = "127.0.0.1", .want = 1 },
		{ .addr = "127.255.3.9", .want = 1 },
		{ .addr = "127.0.0.0", .want = 1 },
		{ .addr = "::1", .want = 1 },
		{ .addr = "0:0:0:0:0:0:0:1", .want = 1 },
		{ .addr = "::ffff:127.0.0.1", .want = 1 },
		{ .addr = "::FFFF:127.1.2.3", .want = 1 },
		{ .addr = "::ffff:7f00:1", .want = 1 },
		{ .addr = "128.0.0.1", .want = 0 },
		{ .addr = "126.255.255.255", .want = 0 },
		{ .addr = "10.0.0.1", .want = 0 },
		{ .addr = "0.0.0.0", .want = 0 },
		{ .addr = "::", .want = 0 },
		{ .addr = "::2", .want = 0 },
		{ .addr = "::ffff:10.0.0.1", .want = 0 },
		{ .addr = "::127.0.0.1", .want = 0 },	/* IPv4-compatible, deprecated: not mapped */
		{ .addr = "64:ff9b::127.0.0.1", .want = 0 },
		{ .addr = "[::1]", .want = 0 },
		{ .addr = "localhost", .want = 0 },
		{ .addr = "127.0.0.1.example.com", .want = 0 },
		{ .addr = " 127.0.0.1", .want = 0 },
		{ .addr = "", .want = 0 },
		{ .addr = NULL, .want = 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (net_addr_loopback(cases[i].addr) != cases[i].want)
			fail_msg("%s: want %d", cases[i].addr ? cases[i].addr : "(null)",
			    cases[i].want);
}

UNIT_MAIN("net",
	cmocka_unit_test(test_loopback),
)
