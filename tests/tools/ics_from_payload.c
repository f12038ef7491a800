/* ics_from_payload.c -- test tool: prints the .ics that ical_invite_build() makes from an outbox payload file. */
#include "autoconfig.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "i18n.h"
#include "ical.h"
#include "notice.h"
#include "result.h"

static void
usage(void)
{
	fprintf(stderr, "usage: ics_from_payload [-b base_url] [-n organizer_name] "
	    "[-e organizer_email] [-t dtstamp] [-L locale_dir] payload.json\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct ical_person	 organizer = { "FastTrack Manager", "fm@ftsuccess.example" };
	struct ical_invite	 inv = { 0 };
	struct notice		 notice = { 0 };
	struct result		 r;
	struct buf		 out;
	json_object		*payload;
	const char		*base_url = "https://ftsuccess.example";
	char			*end;
	long long		 stamp = (long long)time(NULL);
	int			 ch, rc = 1;

	while ((ch = getopt(argc, argv, "b:e:L:n:t:")) != -1) {
		switch (ch) {
		case 'L':
			/* A payload's customer language needs its catalog: the build's po/locale. */
			result_clear(&r);
			if (i18n_init(optarg, &r) == -1) {
				fprintf(stderr, "ics_from_payload: %s\n", r.message);
				return 2;
			}
			break;
		case 'b':
			base_url = optarg;
			break;
		case 'e':
			organizer.email = optarg;
			break;
		case 'n':
			organizer.name = optarg;
			break;
		case 't':
			errno = 0;
			stamp = strtoll(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0')
				usage();
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	if ((payload = json_object_from_file(argv[optind])) == NULL) {
		fprintf(stderr, "ics_from_payload: %s: %s\n", argv[optind],
		    json_util_get_last_err());
		return 2;
	}
	result_clear(&r);
	buf_init(&out);
	if (notice_decode_meeting_json(payload, &notice, &r) == -1 ||
	    ical_invite_from_notice(&notice.meeting, &organizer, base_url, &inv, &r) == -1 ||
	    ical_invite_build(&inv, (int64_t)stamp, &out, &r) == -1) {
		fprintf(stderr, "ics_from_payload: %s: %s (field %s): %s\n", argv[optind],
		    result_code_name(r.code), r.field, r.message);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		fprintf(stderr, "ics_from_payload: writing the calendar: %s\n", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	ical_invite_free(&inv);
	notice_free(&notice);
	buf_free(&out);
	json_object_put(payload);
	return rc;
}
