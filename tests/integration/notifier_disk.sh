#!/bin/bash
# notifier_disk.sh -- ftsuccess-notifier when its database cannot be written:
# on a 4 MB tmpfs filled up (the claim's COMMIT fails, then the "sent"
# commit while a message is in flight), and with the database files made
# immutable (chattr +i: every write fails, as on a read-only file) during a
# batch.  The notifier must log, back off, keep running and resume without
# losing or duplicating a copy.  Needs root for mount(8) and chattr(1): each
# part is skipped when not permitted (77 when both are).

. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

PY=/usr/bin/python3
NOTIFIER=$top_builddir/notifier/ftsuccess-notifier
TOOL=$top_builddir/tests/tools/outbox_tool
SMTPDIR=$top_srcdir/tests/integration/smtp

[ -x "$PY" ] && $PY -c 'import sqlite3, asyncio' 2> /dev/null || skip "no /usr/bin/python3 with sqlite3"
[ -x "$NOTIFIER" ] && [ -x "$TOOL" ] || bail "notifier or outbox_tool not built"
it_init notifier_disk
MNT=$T/mnt
mkdir -p "$MNT"
cleanup_mount() { mountpoint -q "$MNT" 2> /dev/null && umount "$MNT"; chattr -i "$T"/ro.db* 2> /dev/null; it_cleanup; }
trap cleanup_mount EXIT

SRV=$T/srv
mkdir -p "$SRV"
it_spawn fault_server "$PY" "$SMTPDIR/fault_server.py" --dir "$SRV" --port-file "$T/port"
for ((i = 0; i < 100; i++)); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || bail "fault server did not start: $(cat "$T/fault_server.log")"
PORT=$(cat "$T/port")
cat > "$T/handshake.json" << 'EOF'
{"version": 1,
 "customer": {"id": 1, "name": "Contoso", "tenant_domain": "contoso.onmicrosoft.com",
              "timezone": "UTC", "contacts": []},
 "csm": {"name": "Carla Mendes", "email": "carla@microsoft.example"},
 "services": [{"key": "teams", "title": "Microsoft Teams", "activated_on": "2026-11-01",
               "au_percent": null, "target_percent": 10, "custom_metric": null,
               "measured_on": null, "ftop_id": 3731}],
 "blockers": [],
 "next_action": {"text": "Send adoption kit", "on": "2026-12-03", "owner": "FM"},
 "url": "/customers/1"}
EOF
script() { printf '%s\n' "$1" > "$SRV/script.json.tmp" && mv "$SRV/script.json.tmp" "$SRV/script.json"; }
conf() {	# conf NAME DB
	cat > "$T/$1.conf" << EOF
database = $2
templates_dir = $top_srcdir/www/templates
smtp_url = smtp://127.0.0.1:$PORT
smtp_from = "FastTrack Bot" <bot@fm.example>
organizer_email = fm@fm.example
smtp_timeout = 4
smtp_connect_timeout = 2
poll_interval = 1
retry_backoff = 1
outbox_lease = 30
EOF
}
rows() {	# rows DB FROM TO: handshakes, one customer each
	local i
	for ((i = $2; i <= $3; i++)); do
		"$TOOL" "$1" customer "C$i" "c$i.example" > /dev/null || bail "customer"
		"$TOOL" "$1" insert "$i" handshake "k$i" "$T/handshake.json" \
		    '[{"name": "Ana", "email": "ana@contoso.example"}]' > /dev/null || bail "insert"
	done
}
sql() { $PY -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
for r in c.execute(sys.argv[2]): print("|".join(str(x) for x in r))' "$1" "$2"; }
wait_for() {
	local n=$(($1 * 10)) i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
all_done() { [ "$(sql "$1" "SELECT count(*) FROM outbox WHERE state IN ('queued','sending')")" = 0 ]; }
event_seen() { grep -q "$1" "$SRV/events.jsonl" 2> /dev/null; }
# Fill to the last byte: 64 KiB blocks leave up to 64 KiB free, room enough
# for a few WAL frames, and the commit that should fail then succeeds.
fill() {
	dd if=/dev/zero of="$MNT/fill$1" bs=64k > /dev/null 2>&1
	dd if=/dev/zero of="$MNT/fill$1.tail" bs=512 > /dev/null 2>&1
	dd if=/dev/zero of="$MNT/fill$1.byte" bs=1 > /dev/null 2>&1
	return 0
}
report() {
	echo "# figures: $1: $2"
	eq "$1: copies lost" "$(echo "$2" | sed 's/.*lost=\([0-9]*\).*/\1/')" 0
	eq "$1: copies duplicated" "$(echo "$2" | sed 's/.*duplicated=\([0-9]*\).*/\1/')" 0
}
ran=0

# ---- the database on a full disk ----
if mount -t tmpfs -o size=4m,mode=0755 tmpfs "$MNT" 2> /dev/null; then
	ran=1
	DB=$MNT/full.db
	rows "$DB" 1 6
	conf full "$DB"
	# Due in 3 s; the WAL emptied, so the next commit must grow a file.
	sql "$DB" "UPDATE outbox SET next_attempt_at = strftime('%s','now') + 3" > /dev/null
	sql "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	it_spawn full_a "$NOTIFIER" --config "$T/full.conf"
	A=$IT_LAST_PID
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
	report "disk full at the claim for 5 s, 6 rows" "$($PY "$SMTPDIR/count_copies.py" "$DB" "$SRV")"
	# Full again while a message is in flight: the "sent" commit waits for space.
	# (The events of the first part go too: an old EOD must not start the fill.)
	: > "$SRV/delivered.jsonl"
	: > "$SRV/events.jsonl"
	script '{"rules": [{"id": "full", "at": "EOD", "action": "hang", "seconds": 3, "times": 1}]}'
	rows "$DB" 7 10
	sql "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
	wait_for 10 event_seen '"at": "EOD", "arg": "<'
	fill 2
	# The server answers 3 s after the end of data; on a loaded machine the
	# failed "sent" commit is logged later than that, so wait for it.
	wait_for 20 grep -q 'recording sent failed, trying again' "$T/full_a.log" ||
	    { echo "# notifier log:"; tail -n 15 "$T/full_a.log" | sed 's/^/#   /'; }
	check "disk full in flight: the notifier is still running" kill -0 "$A"
	check "disk full in flight: recording sent is retried" grep -q 'recording sent failed, trying again' "$T/full_a.log"
	rm -f "$MNT/fill2" "$MNT/fill2.tail" "$MNT/fill2.byte"
	wait_for 20 all_done "$DB"
	check "space back: rows 7-10 sent" all_done "$DB"
	report "disk full for 4 s with a message in flight, 4 rows" "$($PY "$SMTPDIR/count_copies.py" "$DB" "$SRV" --ids 7,8,9,10)"
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
	: > "$SRV/delivered.jsonl"
	: > "$SRV/events.jsonl"
	DB=$T/ro.db
	rows "$DB" 1 5
	conf ro "$DB"
	script '{"rules": [{"id": "ro", "at": "EOD", "action": "hang", "seconds": 1, "times": 1}]}'
	it_spawn ro_a "$NOTIFIER" --config "$T/ro.conf"
	A=$IT_LAST_PID
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
	    "$($PY "$SMTPDIR/count_copies.py" "$DB" "$SRV")"
else
	echo "# chattr +i not supported here: the read-only part is skipped"
fi
[ "$ran" = 1 ] || skip "neither mount nor chattr permitted"
it_done
