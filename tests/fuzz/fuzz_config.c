/* fuzz_config.c -- libFuzzer target: the ftsuccess.conf parser. */
/*
 * Built by ./configure --enable-fuzz (tests/fuzz/fuzz.am); in the normal
 * build the same file, linked with replay.c, replays corpus/config/ in make
 * check.  config_read_file() reads a path, so each input is written to one
 * temporary file first (made once per process, removed at exit).
 */
#include "autoconfig.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"
#include "result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_path[64];

static void
fuzz_cleanup(void)
{
	if (fuzz_path[0] != '\0')
		unlink(fuzz_path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config	 cfg;
	struct result	 err;
	FILE		*fp;
	int		 fd;

	if (fuzz_path[0] == '\0') {
		snprintf(fuzz_path, sizeof(fuzz_path), "/tmp/fuzz_config.XXXXXX");
		if ((fd = mkstemp(fuzz_path)) == -1) {
			perror("mkstemp");
			abort();
		}
		close(fd);
		atexit(fuzz_cleanup);
	}
	if ((fp = fopen(fuzz_path, "w")) == NULL) {
		perror(fuzz_path);
		abort();
	}
	if (fwrite(data, 1, size, fp) != size || fclose(fp) != 0) {
		perror(fuzz_path);
		abort();
	}
	config_defaults(&cfg);
	(void)config_read_file(&cfg, fuzz_path, &err);
	return 0;
}
