/* unit.h -- small helpers the unit tests, fuzz targets and test tools share (no cmocka: fuzz builds link it too). */
#ifndef FTS_UNIT_H
#define FTS_UNIT_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"
#include "result.h"

/* How unit_b64_decode() reads its input. */
enum unit_b64_mode {
	UNIT_B64_LOOSE,		/* skips CR/LF (a folded MIME body), stops at the first '=' */
	UNIT_B64_STRICT,	/* one RFC 4648 text: length a multiple of 4, '=' only as final padding */
	UNIT_B64__MAX
};

/*
 * Appends the bytes that base64 s[0..len) stands for to out.  Written apart
 * from the encoders under test, so a test can decode what they wrote.
 * Returns 0, or -1 on a character outside the alphabet, on a length or
 * padding fault in UNIT_B64_STRICT, or when out ran out of memory.
 */
int unit_b64_decode(const char *s, size_t len, enum unit_b64_mode mode, struct buf *out);

/*
 * The whole file at path, malloc'd and NUL-terminated, its length in *len
 * (len may be NULL).  NULL with r set (RESULT_IO, naming the path and the
 * cause) when it cannot be opened or read.
 */
char *unit_file_read(const char *path, size_t *len, struct result *r);

/*
 * A malloc'd copy of text with its folds (CRLF then one space or tab,
 * RFC 5545 3.1) removed, so a whole content line can be matched; NULL
 * when memory ran out.
 */
char *unit_unfolded(const char *text);

/* 1 when r refuses input (RESULT_INVALID) naming field, both as r->field and in its message. */
int unit_refused_naming(const struct result *r, const char *field);

/*
 * out (reset first) is text with its first from replaced by to, or text
 * itself when from is NULL.  0, or -1 when from is not in text or out ran
 * out of memory.
 */
int unit_replaced(const char *text, const char *from, const char *to, struct buf *out);

/*
 * The JSON text parsed, then edited: in the object at parent ("" the root,
 * else a path of member names and array indexes such as "agenda/services/0"),
 * member key set to value (JSON text, "null" included) or, when value is
 * NULL, removed.  A new object for json_object_put(); NULL with r set when
 * text or value does not parse or parent names no object.
 */
json_object *unit_json_edited(const char *text, const char *parent, const char *key,
    const char *value, struct result *r);

/* One row of a refusal table: the edit unit_json_edited makes, and the field the refusal must name. */
struct unit_json_edit {
	const char	*parent;
	const char	*key;
	const char	*value;		/* JSON text, or NULL to remove key */
	const char	*field;
};

/* Edits of an invite payload that every decoder of one must refuse, naming the member. */
extern const struct unit_json_edit unit_invite_refusals[];
extern const size_t unit_invite_refusals_n;

/* A decoder under test: 0 when it takes doc, -1 with r when it refuses it. */
typedef int unit_decode_fn(json_object *doc, void *arg, struct result *r);

/*
 * Makes each edit of e[0..n) to text and hands the document to decode,
 * which must refuse it naming e[i].field (unit_refused_naming).  0 when
 * every edit was refused so, else -1 with r naming the first that was not
 * and what the decoder did with it.
 */
int unit_json_edits_refused(const char *text, const struct unit_json_edit *e, size_t n,
    unit_decode_fn *decode, void *arg, struct result *r);

/*
 * In a cmocka test list: test f run on the including file's own fixture,
 * its static setup() and teardown() (a fresh directory, database, ...).
 */
#define UNIT_TEST_FIXTURE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/*
 * The main() of a cmocka unit test program: runs the tests listed
 * (cmocka_unit_test(f), UNIT_TEST_FIXTURE(f), TMPDB_TEST(f), a trailing
 * comma allowed) as one group called name, and exits with cmocka's count
 * of failures.  Written once so each test file lists only its tests.
 */
#define UNIT_MAIN(name, ...)						\
	int								\
	main(void)							\
	{								\
		const struct CMUnitTest unit_main_tests[] = { __VA_ARGS__ }; \
									\
		return cmocka_run_group_tests_name(name, unit_main_tests, NULL, NULL); \
	}

#endif
