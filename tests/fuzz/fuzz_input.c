/* fuzz_input.c -- libFuzzer target: the usage-report CSV, the configuration file and the text checks. */
/*
 * Not part of the default build.  With Debian's clang-14 and libfuzzer-14-dev,
 * from the top of the source tree after ./configure has made autoconfig.h in
 * BUILD:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I BUILD -I shared \
 *       -DSYSCONFDIR=\"/etc\" -DLOCALSTATEDIR=\"/var\" -DPKGDATADIR=\"/usr/share/ftsuccess\" \
 *       $(pkg-config --cflags json-c) tests/fuzz/fuzz_input.c \
 *       shared/usagecsv.c shared/config.c shared/text.c shared/catalog.c \
 *       shared/log.c shared/buf.c shared/result.c $(pkg-config --libs json-c) -o fuzz_input
 *   mkdir -p corpus && ./fuzz_input -max_total_time=60 corpus
 *
 * The first byte picks the parser; the rest is its input.  The configuration
 * parser reads a file, so the input is written to one temporary file first.
 */
#include "autoconfig.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "text.h"
#include "usagecsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		 path[64];
	struct usagecsv_sample	*samples;
	struct result		 r;
	struct config		 cfg;
	char			 err[512], *s;
	size_t			 n;
	int32_t			 day;
	int			 minute;
	long long		 num;
	FILE			*fp;

	if (size < 1)
		return 0;
	/* The text checks take C strings: a NUL-terminated copy of the input. */
	if ((s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 3) {
	case 0:
		if (usagecsv_parse(s, size - 1, &samples, &n, &r) == 0)
			free(samples);
		break;
	case 1:
		if (path[0] == '\0') {
			int fd;

			snprintf(path, sizeof(path), "/tmp/fuzz_input.XXXXXX");
			if ((fd = mkstemp(path)) == -1)
				break;
			close(fd);
		}
		if ((fp = fopen(path, "w")) == NULL)
			break;
		fwrite(data + 1, 1, size - 1, fp);
		fclose(fp);
		config_defaults(&cfg);
		(void)config_read_file(&cfg, path, err, sizeof(err));
		break;
	default:
		(void)text_utf8_valid(s, size - 1);
		(void)text_header_safe(s, size - 1);
		(void)text_email_valid(s);
		(void)text_timezone_valid(s);
		(void)text_date_parse(s, &day);
		(void)text_local_datetime_parse(s, &day, &minute);
		(void)text_int_parse(s, -1000, 1000, &num);
		break;
	}
	free(s);
	return 0;
}
