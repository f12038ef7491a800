/* reply_tool.c -- test helper: applies raw reply messages to a database as the notifier does after fetching them (imap_apply_message), for tests without an IMAP server. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "imap.h"
#include "result.h"
#include "store.h"
#include "../unit/unit.h"

int
main(int argc, char *argv[])
{
	struct store		*st = NULL;
	struct result		 r;
	enum store_reply_outcome out;
	size_t			 len;
	char			*text;
	int			 i, status = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: reply_tool DB MESSAGE-FILE...\n");
		return 2;
	}
	result_clear(&r);
	if (store_open(&st, argv[1], &r) == -1) {
		fprintf(stderr, "reply_tool: %s\n", r.message);
		return 1;
	}
	for (i = 2; i < argc && status == 0; i++) {
		if ((text = unit_file_read(argv[i], &len, &r)) == NULL ||
		    imap_apply_message(st, text, len, (int64_t)time(NULL), &out, &r) == -1) {
			fprintf(stderr, "reply_tool: %s: %s\n", argv[i], r.message);
			status = 1;
		} else
			printf("%s %s\n", argv[i], store_reply_outcome_key(out));
		free(text);
	}
	store_close(st);
	return status;
}
