/* replay.c -- main() for the fuzz targets outside libFuzzer: runs every file of their corpus once, as a make check test. */
/*
 * In the normal build (gcc, ASan/UBSan with --enable-sanitizers) each
 * tests/fuzz/fuzz_*.c is linked with this file instead of libFuzzer, so the
 * seeds and every input that once crashed (kept in corpus/<target>/ as
 * crash-*) are replayed by make check: a fixed crash cannot come back
 * unnoticed.  Without arguments it replays FUZZ_CORPUS_ROOT/<name>, where
 * the program is called fuzz_<name> (FUZZ_CORPUS_ROOT is set in
 * tests/fuzz/fuzz.am); with arguments, those files or directories.
 * Exit status 0 when every input ran, 1 when a file could not be read, 99
 * when there was nothing to replay (a corpus that went missing must fail).
 */
#include "autoconfig.h"

#ifndef FUZZ_CORPUS_ROOT
#error "FUZZ_CORPUS_ROOT (the tests/fuzz/corpus directory) must be defined"
#endif

#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../unit/unit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	struct result	 r;
	char		*data;
	uint8_t		*p;
	size_t		 len;

	result_clear(&r);
	if ((data = unit_file_read(path, &len, &r)) == NULL) {
		fprintf(stderr, "replay: %s\n", r.message);
		return -1;
	}
	/* An exact-size copy, so ASan sees a read past the input's end. */
	if ((p = malloc(len > 0 ? len : 1)) == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		free(data);
		return -1;
	}
	memcpy(p, data, len);
	free(data);
	printf("replay %s (%zu bytes)\n", path, len);
	fflush(stdout);
	LLVMFuzzerTestOneInput(p, len);
	free(p);
	return 0;
}

static int
replay_name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Replay path (a file, or every regular file of a directory, sorted); returns inputs run or -1. */
static int
replay_path(const char *path)
{
	struct dirent	**names;
	struct stat	 st;
	char		 file[4096];
	int		 i, n, ran = 0, bad = 0;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) == 0 ? 1 : -1;
	if ((n = scandir(path, &names, NULL, replay_name_cmp)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' &&
		    snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name) < (int)sizeof(file) &&
		    stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(file) == 0)
				ran++;
			else
				bad = 1;
		}
		free(names[i]);
	}
	free(names);
	return bad ? -1 : ran;
}

int
main(int argc, char *argv[])
{
	int	 i, n, total = 0, bad = 0;

	if (argc < 2) {
		const char	*base = strrchr(argv[0], '/');
		char		 dir[4096];

		base = base != NULL ? base + 1 : argv[0];
		if (strncmp(base, "fuzz_", 5) != 0) {
			fprintf(stderr, "usage: %s FILE|DIR... (or call it fuzz_NAME)\n", argv[0]);
			return 2;
		}
		snprintf(dir, sizeof(dir), "%s/%s", FUZZ_CORPUS_ROOT, base + 5);
		if ((n = replay_path(dir)) < 0)
			bad = 1;
		else
			total = n;
	}
	for (i = 1; i < argc; i++) {
		if ((n = replay_path(argv[i])) < 0)
			bad = 1;
		else
			total += n;
	}
	printf("replayed %d inputs\n", total);
	if (bad)
		return 1;
	return total > 0 ? 0 : 99;
}
