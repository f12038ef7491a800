/* net.h -- facts about network address text that more than one program needs. */
#ifndef FTS_NET_H
#define FTS_NET_H

/*
 * 1 when addr is the text of a loopback address: IPv4 127.0.0.0/8, IPv6 ::1,
 * or an IPv4-mapped IPv6 address ::ffff:127.x.y.z (what a dual-stack socket
 * reports for an IPv4 loopback peer); 0 for anything else, including NULL,
 * names ("localhost") and bracketed forms ("[::1]").
 */
int net_addr_loopback(const char *addr);

#endif
