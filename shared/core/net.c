/* net.c -- the one answer to "is this address loopback", shared by the web program and the notifier. */
#include "autoconfig.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "net.h"

int
net_addr_loopback(const char *addr)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (addr == NULL)
		return 0;
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) != 1)
		return 0;
	if (IN6_IS_ADDR_LOOPBACK(&a6))
		return 1;
	/* RFC 4291 2.5.5.2: ::ffff:a.b.c.d is the IPv4 host a.b.c.d. */
	return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}
