/* feed_from_payloads.c -- test tool: prints the calendar feed (feed.c) made of invite payload files and all-day days. */
#include "autoconfig.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "feed.h"
#include "notice.h"
#include "result.h"

static void
usage(void)
{
	fprintf(stderr, "usage: feed_from_payloads -t dtstamp [-d YYYY-MM-DD=summary]... "
	    "payload.json...\n");
	exit(2);
}

/* Add payload file path as a series of f. */
static int
add_payload(struct feed *f, const char *path, int64_t stamp, struct result *r)
{
	static const struct ical_person	 org = { "FastTrack Manager", "fm@ftsuccess.example" };
	struct notice			 notice = { 0 };
	json_object			*payload;
	int				 rc;

	if ((payload = json_object_from_file(path)) == NULL)
		return result_set(r, RESULT_IO, "payload", "%s: %s", path, json_util_get_last_err());
	rc = notice_decode_meeting_json(payload, &notice, r) == 0 &&
	    feed_add_series(f, &notice.meeting, &org, "https://fm.example", stamp, r) == 0 ? 0 : -1;
	notice_free(&notice);
	json_object_put(payload);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct feed	 f;
	struct feed_day	 days[16];
	struct result	 r;
	struct buf	 out;
	char		 uids[16][32], *end, *eq;
	long long	 stamp = -1;
	size_t		 ndays = 0, i;
	int		 ch, k;

	while ((ch = getopt(argc, argv, "d:t:")) != -1) {
		if (ch == 't') {
			errno = 0;
			stamp = strtoll(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0')
				usage();
		} else if (ch == 'd' && ndays < 16 && (eq = strchr(optarg, '=')) != NULL) {
			*eq = '\0';
			snprintf(uids[ndays], sizeof(uids[ndays]), "day-%zu@ftsuccess", ndays);
			days[ndays] = (struct feed_day){ .uid = uids[ndays], .on = optarg,
			    .summary = eq + 1, .description = "Owner: Ana\nline two",
			    .url = "https://fm.example/customers/1" };
			ndays++;
		} else
			usage();
	}
	if (stamp < 0 || optind == argc)
		usage();
	result_clear(&r);
	buf_init(&out);
	feed_begin(&f);
	for (k = optind; k < argc; k++)
		if (add_payload(&f, argv[k], (int64_t)stamp, &r) == -1)
			goto fail;
	for (i = 0; i < ndays; i++)
		if (feed_add_day(&f, &days[i], (int64_t)stamp, &r) == -1)
			goto fail;
	if (feed_end(&f, "ftsuccess \xe2\x80\x94 Ana, FM", &out, &r) == -1)
		goto fail;
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		fprintf(stderr, "feed_from_payloads: writing: %s\n", strerror(errno));
		buf_free(&out);
		return 1;
	}
	buf_free(&out);
	return 0;
fail:
	fprintf(stderr, "feed_from_payloads: %s (field %s): %s\n", result_code_name(r.code), r.field,
	    r.message);
	feed_free(&f);
	buf_free(&out);
	return 1;
}
