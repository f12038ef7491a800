#!/bin/bash
# storage_faults.sh -- ftsuccess.fcgi behind nginx with its database on a
# file system that fills up (a small tmpfs) and on one whose files become
# read-only while the program runs (ext4 on a loop device, chattr +i: a
# mounted file system cannot be remounted read-only while SQLite holds its
# files open for writing).  /healthz must say 503 and why, writes must answer
# a clear 503, nothing acknowledged may be lost, the database must stay
# intact, and the same processes must recover once the fault is gone
# (issue 9, defect 4).  Needs root for mount; exits 77 without it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init storage_faults
needs nginx curl jq sqlite3

MOUNTS=()
RO=
sf_cleanup() {
	local i m
	for ((i = ${#IT_PIDS[@]} - 1; i >= 0; i--)); do
		it_stop "${IT_PIDS[i]}"
	done
	[ -n "$RO" ] && chattr -i "$RO"/db.sqlite* 2> /dev/null
	for m in "${MOUNTS[@]}"; do
		umount "$m" 2> /dev/null || umount -l "$m" 2> /dev/null
	done
	it_cleanup
}
trap sf_cleanup EXIT

FULL="$T/full"
mkdir -p "$FULL"
mount -t tmpfs -o size=16m,mode=0755 tmpfs "$FULL" 2> "$T/mount.err" ||
    skip "cannot mount a tmpfs ($(cat "$T/mount.err")): needs root"
MOUNTS+=("$FULL")

# The read-only case needs a file system that honours chattr +i on files
# already open (tmpfs checks it only at open): ext4 on a loop device.
RO_OK=0
if command -v mkfs.ext4 > /dev/null && command -v chattr > /dev/null; then
	RO="$T/ro"
	mkdir -p "$RO"
	truncate -s 32M "$T/ro.img" &&
	    mkfs.ext4 -q -F "$T/ro.img" > "$T/mkfs.out" 2>&1 &&
	    mount -o loop "$T/ro.img" "$RO" 2>> "$T/mkfs.out" && { MOUNTS+=("$RO"); RO_OK=1; }
	[ "$RO_OK" = 1 ] || { echo "# no ext4 loop mount: $(cat "$T/mkfs.out")"; RO=; }
fi

head -c 32 /dev/urandom > "$T/secret" && chmod 600 "$T/secret"
FULL_PORT=$(free_port) || bail "no free port"
RO_PORT=$(free_port) || bail "no free port"
# stack NAME PORT: ftsuccess.fcgi with its database in $T/NAME, behind nginx on PORT.
stack() {
	write_conf "$T/$1.conf" <<CONF
base_url = http://127.0.0.1:$2
auth = none
health_min_free = 1M
CONF
	sed -i "s|^database = .*|database = $T/$1/db.sqlite|" "$T/$1.conf"
	fcgi_start "$T/$1.conf" "$T/$1.sock" "fcgi-$1"
	nginx_server "$2" "$T/$1.sock" none
}
stack full "$FULL_PORT"
PID_full=$FCGI_PID
PID_ro=
if [ "$RO_OK" = 1 ]; then
	stack ro "$RO_PORT"
	PID_ro=$FCGI_PID
fi
if [ "$RO_OK" = 1 ]; then nginx_start "$FULL_PORT" "$RO_PORT"; else nginx_start "$FULL_PORT"; fi

# wait_health URL WANT: until GET URL answers WANT (the probe is cached 1 s per worker).
wait_health() {
	local i
	for ((i = 0; i < 50; i++)); do
		req GET "$1"
		[ "$STATUS" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
# create BASE NAME: POST a customer (JSON); an id answered 201 is acknowledged.
create() {
	req POST "$1/api/customers" -H 'Content-Type: application/json' -H "Origin: $1" \
	    --data-binary '{"name":"'"$2"'","tenant_domain":"'"$2"'.onmicrosoft.com","timezone":"Europe/Berlin"}'
	[ "$STATUS" = 201 ] && echo "$(jget .id) $2" >> "$T/acked.$SCEN"
	return 0
}
# workers PID: the supervisor and its workers, to prove the same processes recover.
procs() { echo "$1 $(pgrep -P "$1" | sort -n | tr '\n' ' ')"; }

# fault NAME BASE SUPERVISOR DB BREAK-CMD MEND-CMD REASON: one scenario.
fault() {
	local name=$1 base=$2 sup=$3 db=$4 brk=$5 mend=$6 reason=$7 before i token
	SCEN=$name
	: > "$T/acked.$name"
	for i in 1 2 3 4 5; do create "$base" "$name-before-$i"; done
	eq "$name: writes acknowledged before the fault" "$(wc -l < "$T/acked.$name")" 5
	wait_health "$base/healthz" 200 && pass "$name: /healthz 200 before the fault" ||
	    fail "$name: /healthz $STATUS before the fault: $(body)"
	before=$(procs "$sup")

	eval "$brk"
	if wait_health "$base/healthz" 503; then
		pass "$name: /healthz 503 during the fault"
		expect_body "$name: /healthz says unavailable" "unavailable"
		expect_body "$name: /healthz says why ($reason)" "$reason"
		note "$(body)"
	else
		fail "$name: /healthz answers $STATUS during the fault"
		note "$(body)"
	fi
	wait_health "$base/api/healthz" 503
	expect_status 503 "$name: /api/healthz during the fault"
	expect_json "$name: JSON status" .status unavailable
	expect_json "$name: JSON names a reason" '.reasons | length > 0' true

	create "$base" "$name-during-1"
	expect_status 503 "$name: a JSON write during the fault"
	expect_body "$name: the JSON error says what to do" "cannot save changes right now"
	expect_hdr "$name: Retry-After on the refused write" Retry-After '^[0-9]+$'
	token=$(csrf_scrape "$base/customers/new")
	req POST "$base/customers" -H "Origin: $base" --data-urlencode "csrf=$token" \
	    --data-urlencode "name=$name-during-2" --data-urlencode "tenant_domain=$name-during-2.onmicrosoft.com" \
	    --data-urlencode "timezone=Europe/Berlin"
	expect_status 503 "$name: a form write during the fault"
	expect_body "$name: the error page says what to do" "cannot save changes right now"
	expect_hdr "$name: the error page is HTML" Content-Type '^text/html'
	req GET "$base/api/customers"
	expect_status 200 "$name: reads still work during the fault"

	eval "$mend"
	wait_health "$base/healthz" 200 && pass "$name: /healthz 200 again without a restart" ||
	    fail "$name: /healthz still $STATUS after the fault: $(body)"
	for i in 1 2 3; do create "$base" "$name-after-$i"; done
	expect_status 201 "$name: writes succeed again"
	eq "$name: the same supervisor and workers served throughout" "$(procs "$sup")" "$before"
	eq "$name: every write acknowledged (5 before, 3 after)" "$(wc -l < "$T/acked.$name")" 8

	it_stop "$sup"
	LC_ALL=C sort "$T/acked.$name" > "$T/acked.$name.s"
	sqlite3 "$db" "SELECT id || ' ' || name FROM customer" | LC_ALL=C sort > "$T/rows.$name"
	eq "$name: every acknowledged write is stored" \
	    "$(comm -12 "$T/acked.$name.s" "$T/rows.$name" | wc -l)" 8
	eq "$name: nothing refused was stored" "$(grep -c during "$T/rows.$name")" 0
	eq "$name: integrity_check" "$(sqlite3 "$db" 'PRAGMA integrity_check')" ok
	echo "# $name: $(comm -12 "$T/acked.$name.s" "$T/rows.$name" | wc -l) of $(wc -l < "$T/acked.$name") acknowledged writes stored"
}

# A full disk: fill the tmpfs, then free it.
# shellcheck disable=SC2016
fault full "http://127.0.0.1:$FULL_PORT" "$PID_full" "$FULL/db.sqlite" \
    'dd if=/dev/zero of="$FULL/filler" bs=64k > /dev/null 2>&1; dd if=/dev/zero of="$FULL/filler.tail" bs=512 > /dev/null 2>&1; df -k "$FULL" | tail -1 | sed "s/^/# full: /"' \
    'rm -f "$FULL/filler" "$FULL/filler.tail"' \
    'bytes free on its file system, under health_min_free'

# Files that refuse writes: the database and its WAL made immutable, then not.
if [ "$RO_OK" = 1 ]; then
	# shellcheck disable=SC2016
	fault ro "http://127.0.0.1:$RO_PORT" "$PID_ro" "$RO/db.sqlite" \
	    'chattr +i "$RO/db.sqlite" "$RO/db.sqlite-wal"' \
	    'chattr -i "$RO/db.sqlite" "$RO/db.sqlite-wal"' \
	    'database: cannot commit a write'
else
	echo "# SKIP read-only case: no ext4 loop mount"
fi
it_done
