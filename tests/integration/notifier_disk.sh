#!/bin/bash
# notifier_disk.sh -- ftsuccess-notifier when its database cannot be written:
# on a 4 MB tmpfs filled up (the claim's COMMIT fails, then the "sent"
# commit while a message is in flight), and with the database files made
# immutable (chattr +i: every write fails, as on a read-only file) during a
# batch.  The notifier must log, back off, keep running and resume without
# losing or duplicating a copy.  Needs root for mount(8) and chattr(1): each
# part is skipped when not permitted (77 when both are).

. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

. "$top_srcdir/tests/integration/smtp/fault_lib.sh"
fault_init notifier_disk
MNT=$T/mnt
mkdir -p "$MNT"
cleanup_mount() { mountpoint -q "$MNT" 2> /dev/null && umount "$MNT"; chattr -i "$T"/ro.db* 2> /dev/null; it_cleanup; }
trap cleanup_mount EXIT

# Fill to the last byte: 64 KiB blocks leave up to 64 KiB free, room enough
# for a few WAL frames, and the commit that should fail then succeeds.
fill() {
	dd if=/dev/zero of="$MNT/fill$1" bs=64k > /dev/null 2>&1
	dd if=/dev/zero of="$MNT/fill$1.tail" bs=512 > /dev/null 2>&1
	dd if=/dev/zero of="$MNT/fill$1.byte" bs=1 > /dev/null 2>&1
	return 0
}
ran=0

# ---- the database on a full disk ----
if mount -t tmpfs -o size=4m,mode=0755 tmpfs "$MNT" 2> /dev/null; then
	ran=1
	DB=$MNT/full.db
	rows "$DB" 1 6
	# smtp_timeout above the 6 s hold of the in-flight part below.
	conf full "$DB" "smtp_timeout = 12"
	# Due in 3 s; the WAL emptied, so the next commit must grow a file.
	sql "$DB" "UPDATE outbox SET next_attempt_at = strftime('%s','now') + 3" > /dev/null
	sql "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	spawn_notifier full_a full
	wait_for 10 grep -q 'notifier: started' "$T/full_a.log"
	fill 1
	sleep 5
	check "disk full at the claim: the notifier is still running" kill -0 "$A"
	check "disk full at the claim: the failure is logged and backed off" \
	    grep -q 'drain failed (2 in a row), next try in 2 s' "$T/full_a.log"
	eq "disk full at the claim: nothing sent" "$(grep -c . "$SRV/delivered.jsonl" 2> /dev/null || echo 0)" 0
	rm -f "$MNT/fill1" "$MNT/fill1.tail" "$MNT/fill1.byte"
	wait_for 20 all_done "$DB"
	check "space back: every row sent" all_done "$DB"
	check "space back: the notifier says it works again" grep -q 'drain works again' "$T/full_a.log"
	report "disk full at the claim for 5 s, 6 rows" "$(counts "$DB" "$SRV")"
	# Full again while a message is in flight: the "sent" commit waits for space.
	# (The events of the first part go too: an old EOD must not start the fill.)
	fresh_log
	# The server holds its answer 6 s, so on a loaded machine the disk is
	# surely full before the "sent" commit (3 s was not always enough).
	script '{"rules": [{"id": "full", "at": "EOD", "action": "hang", "seconds": 6, "times": 1}]}'
	rows "$DB" 7 10
	sql "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	wait_for 10 event_seen '"at": "EOD", "arg": "<'
	fill 2
	# The server answers 6 s after the end of data; on a loaded machine the
	# failed "sent" commit is logged later than that, so wait for it.
	wait_for 20 grep -q 'recording sent failed, trying again' "$T/full_a.log" ||
	    { echo "# notifier log:"; tail -n 40 "$T/full_a.log" | sed 's/^/#   /'; }
	check "disk full in flight: the notifier is still running" kill -0 "$A"
	check "disk full in flight: recording sent is retried" grep -q 'recording sent failed, trying again' "$T/full_a.log"
	rm -f "$MNT/fill2" "$MNT/fill2.tail" "$MNT/fill2.byte"
	wait_for 20 all_done "$DB"
	check "space back: rows 7-10 sent" all_done "$DB"
	report "disk full for 4 s with a message in flight, 4 rows" "$(counts "$DB" "$SRV" --ids 7,8,9,10)"
	it_stop "$A"
	check "no crash (double free) on a full disk" sh -c "! grep -q 'double free\|Sanitizer' '$T/full_a.log'"
	umount "$MNT"
else
	echo "# mount -t tmpfs not permitted: the full-disk part is skipped"
fi

# ---- the database files read-only (immutable) during a batch ----
touch "$T/probe"
if chattr +i "$T/probe" 2> /dev/null; then
	chattr -i "$T/probe"
	ran=1
	scenario ro 5 '{"rules": [{"id": "ro", "at": "EOD", "action": "hang", "seconds": 1, "times": 1}]}'
	spawn_notifier ro_a ro
	wait_for 10 event_seen '"at": "EOD", "arg": "<'
	# Not the -shm file: it is mapped, and a refused write through a mapping is SIGBUS.
	chattr +i "$DB" "$DB-wal"
	wait_for 20 grep -q 'recording sent failed, trying again' "$T/ro_a.log" ||
	    { echo "# notifier log:"; tail -n 15 "$T/ro_a.log" | sed 's/^/#   /'; }
	check "read-only database: the notifier is still running" kill -0 "$A"
	check "read-only database: recording sent is retried" grep -q 'recording sent failed, trying again' "$T/ro_a.log"
	chattr -i "$DB" "$DB-wal"
	wait_for 20 all_done "$DB"
	check "writable again: every row sent" all_done "$DB"
	it_stop "$A"
	report "database read-only for 4 s with a message in flight, 5 rows" \
	    "$(counts "$DB" "$SRV")"
else
	echo "# chattr +i not supported here: the read-only part is skipped"
fi
[ "$ran" = 1 ] || skip "neither mount nor chattr permitted"
it_done
