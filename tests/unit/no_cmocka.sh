#!/bin/sh
# no_cmocka.sh -- stands in for the cmocka unit tests when configure did not
# find cmocka: names each test that was not built and why, then skips (77).
echo "cmocka was not found by configure, so these unit tests were not built:"
for t in $FTS_UNIT_TESTS; do
	echo "SKIP: $t (needs cmocka)"
done
echo "install the Debian package libcmocka-dev and run configure again to build and run them"
exit 77
