/* verdict.h -- test helper for the readiness tests: where a reason code stands in a verdict. */
#ifndef FTS_TEST_VERDICT_H
#define FTS_TEST_VERDICT_H

struct playbook_readiness;

/* Where code is in rd: 0 nowhere, 1 among the reasons (not ready), 2 among the risks (at risk). */
int	verdict_code_in(const struct playbook_readiness *rd, const char *code);

#endif
