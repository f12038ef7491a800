#!/bin/bash
# notifier_faults.sh -- ftsuccess-notifier against a scriptable SMTP server
# (smtp/fault_server.py) and a database that stalls: per-recipient 4xx/5xx,
# 421/451/554 per command, a connection dropped mid-DATA or after the end
# of data, a hanging server, two notifiers at once, one frozen (SIGSTOP)
# past its lease, one killed (-9) mid-batch, a write lock held 15 s.  Each
# scenario prints how many copies were lost and duplicated (counted per
# Message-ID per recipient by smtp/count_copies.py).  Short leases and
# backoffs (outbox_lease, retry_backoff) keep it well under 90 s.
# Needs: /usr/bin/python3 (with its sqlite3 module).

. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

. "$top_srcdir/tests/integration/smtp/fault_lib.sh"
fault_init notifier_faults

# ---- helpers ----
once() { "$NOTIFIER" --config "$T/$1.conf" --once >> "$T/$1.log" 2>&1; }

# ---- 1. one recipient greylisted (451), one over quota (452), one refused (550) ----
fresh_log
DB=$T/rcpt.db
rows "$DB" 1 1 '[{"name": "Ana", "email": "ana@contoso.example"}, {"name": "Bob", "email": "bob@contoso.example"},
  {"name": "Dee", "email": "dee@contoso.example"}, {"name": "Carol", "email": "carol@contoso.example"}]'
conf rcpt "$DB"
script '{"rules": [{"id": "g", "at": "RCPT", "match": "bob@", "reply": "451 4.7.1 greylisted, try again", "times": 1},
  {"id": "q", "at": "RCPT", "match": "dee@", "reply": "452 4.2.2 mailbox over quota", "times": 2},
  {"id": "c", "at": "RCPT", "match": "carol@", "reply": "550 5.1.1 no such user"}]}'
once rcpt
eq "451/452 to two recipients: the row waits for them" "$(state "$DB" 1)" queued
eq "recipient states after the first attempt" \
    "$(sql "$DB" "SELECT email || '=' || state FROM outbox_rcpt ORDER BY email" | tr '\n' ' ')" \
    "ana@contoso.example=sent bob@contoso.example=pending carol@contoso.example=dead dee@contoso.example=pending fm@fm.example=sent "
"$TOOL" "$DB" get 1 | $PY -c '
import json, sys
s = {x["email"]: x["state"] for x in json.load(sys.stdin)["recipient_states"]}
sys.exit(0 if s.get("bob@contoso.example") == "pending" and s.get("carol@contoso.example") == "dead" else 1)'
check "the row's JSON shows each recipient's state" test $? -eq 0
sleep 1.1
once rcpt
sleep 2.1
once rcpt
eq "after the retries the row is sent" "$(state "$DB" 1)" sent
eq "bob and dee got it on retries, carol is dead" \
    "$(sql "$DB" "SELECT email || '=' || state || '/' || attempts FROM outbox_rcpt ORDER BY email" | tr '\n' ' ')" \
    "ana@contoso.example=sent/1 bob@contoso.example=sent/2 carol@contoso.example=dead/1 dee@contoso.example=sent/3 fm@fm.example=sent/1 "
eq "the retries went to the pending recipients only (same Message-ID)" \
    "$($PY -c 'import json,sys; print(" ".join(",".join(json.loads(l)["rcpt"]) for l in open(sys.argv[1])))' "$SRV/delivered.jsonl")" \
    "ana@contoso.example,fm@fm.example bob@contoso.example dee@contoso.example"
eq "one Message-ID on every copy" \
    "$($PY -c 'import json,sys; print(len({json.loads(l)["message_id"] for l in open(sys.argv[1])}))' "$SRV/delivered.jsonl")" 1
report "451 to one of four recipients, 452 twice to another, 550 to a third" \
    "$(counts "$DB" "$SRV" --skip carol@contoso.example)" 0 0
# The person retries the row with a dead recipient: only carol is tried again.
script '{"rules": []}'
"$TOOL" "$DB" retry 1
eq "manual retry of a sent row with a dead recipient is accepted" "$?" 0
eq "the retried row is queued" "$(state "$DB" 1)" queued
once rcpt
eq "after the manual retry carol got it" "$(sql "$DB" "SELECT state FROM outbox_rcpt WHERE email = 'carol@contoso.example'")/$(state "$DB" 1)" sent/sent
report "manual retry after carol's mailbox was fixed" "$(counts "$DB" "$SRV")" 0 0
"$TOOL" "$DB" retry 1 2> /dev/null
eq "a row sent to everyone cannot be retried (409)" "$?" 3

# ---- 2. faults per SMTP command: each row ends retried, dead or sent as documented ----
scenario cmd 7 '{"rules": []}' "smtp_timeout = 2"
# row: the fault it meets on its first attempt, and its state after it
faults=(
	'{"at": "CONNECT", "reply": "421 4.3.2 service not available"}|queued'
	'{"at": "MAIL", "reply": "451 4.3.0 local error"}|queued'
	'{"at": "RCPT", "reply": "452 4.3.1 insufficient system storage"}|queued'
	'{"at": "DATA", "reply": "554 5.7.1 transaction failed"}|dead'
	'{"at": "BODY", "action": "drop"}|queued'
	'{"at": "EOD", "action": "drop"}|queued'
	'{"at": "MAIL", "action": "hang", "seconds": 4}|queued'
)
for ((i = 1; i <= 7; i++)); do
	rule=${faults[i - 1]%|*}
	want=${faults[i - 1]#*|}
	# Only row i is due while its fault is scripted.
	sql "$DB" "UPDATE outbox SET next_attempt_at = CASE WHEN id = $i THEN 0 ELSE 4000000000 END WHERE state = 'queued'" > /dev/null
	script "{\"rules\": [$(echo "$rule" | sed "s/^{/{\"id\": \"f$i\", \"times\": 1, /")]}"
	once cmd
	eq "$(echo "$rule" | tr -d '"{}'): row $i is $want" "$(state "$DB" $i)" "$want"
done
script '{"rules": []}'
sql "$DB" "UPDATE outbox SET next_attempt_at = 0 WHERE state = 'queued'" > /dev/null
once cmd
eq "after the faults every row but the 554 one is sent" \
    "$(sql "$DB" "SELECT group_concat(state, ' ') FROM (SELECT state FROM outbox ORDER BY id)")" \
    "sent sent sent dead sent sent sent"
c=$(counts "$DB" "$SRV" --ids 1,2,3,5,7)
report "421 at connect, 451 at MAIL, 452 at RCPT, drop mid-DATA, hang at MAIL" "$c" 0 0
c=$(counts "$DB" "$SRV" --ids 6)
# The documented unavoidable case: one message again, to both of its recipients.
report "connection dropped after the end of data (before the 250)" "$c" 0 2
echo "$c" | grep -q 'unacked=1' && pass "the one duplicate is the copy the server kept without a 250" ||
    fail "drop after end of data: $c"

# ---- 3. two notifiers at once ----
scenario two 30 '{"rules": [{"at": "EOD", "action": "hang", "seconds": 0.1}]}'
spawn_notifier two_a two
spawn_notifier two_b two B
wait_for 40 all_done "$DB"
check "two notifiers sent all 30 rows" all_done "$DB"
it_stop "$A"
it_stop "$B"
report "two notifiers draining 30 rows at once" "$(counts "$DB" "$SRV")" 0 0
eq "both notifiers sent some" "$(grep -c 'result=sent' "$T/two_a.log" | tr -d ' ' | sed 's/^0$/none/;s/^[0-9]*$/some/')/$(grep -c 'result=sent' "$T/two_b.log" | sed 's/^0$/none/;s/^[0-9]*$/some/')" some/some

# ---- 4. one notifier frozen (SIGSTOP) past its 2 s lease while a message is in flight ----
scenario stop 1 '{"rules": [{"id": "stop", "at": "DATA", "action": "hang", "seconds": 4, "times": 1}]}' \
    "outbox_lease = 2" "smtp_timeout = 20"
spawn_notifier stop_a stop
wait_for 10 event_seen '"at": "DATA", "arg": "", "reply": "(hang)"'
kill -STOP "$A"
sleep 3
once stop	# the second notifier takes the row over once the lease ended
eq "the second notifier sent the row of the frozen one" "$(state "$DB" 1)" sent
kill -CONT "$A"
wait_for 10 grep -q 'lease lost' "$T/stop_a.log"
check "the frozen notifier, thawed, saw its lease lost" grep -q 'lease lost' "$T/stop_a.log"
sleep 1
it_stop "$A"
report "a notifier frozen 3 s past its 2 s lease" "$(counts "$DB" "$SRV")" 0 0

# ---- 5. kill -9 mid-batch, another notifier takes over after the lease ----
scenario kill 6 '{"rules": [{"id": "kill", "at": "DATA", "action": "hang", "seconds": 3, "times": 1}]}' \
    "outbox_lease = 2"
"$NOTIFIER" --config "$T/kill.conf" > "$T/kill_a.log" 2>&1 &
A=$!
wait_for 10 event_seen '"reply": "(hang)"'
kill -KILL "$A"
wait "$A" 2> /dev/null
inflight=$(sql "$DB" "SELECT count(*) FROM outbox WHERE state = 'sending'")
eq "kill -9 left one row leased" "$inflight" 1
spawn_notifier kill_b kill B
wait_for 20 all_done "$DB"
check "the second notifier sent every row, the killed one's after its lease" all_done "$DB"
it_stop "$B"
report "kill -9 in flight, 6 rows, 2 s lease" "$(counts "$DB" "$SRV")" 0 0

# ---- 6. the write lock held 15 s while a message is in flight ----
# The server holds end-of-data 3 s so the lock is taken (a Python start, slow
# on a loaded machine) before the notifier records the result.
scenario lock 4 '{"rules": [{"id": "lock", "at": "EOD", "action": "hang", "seconds": 3, "times": 1}]}' \
    "outbox_lease = 40"
spawn_notifier lock_a lock
wait_for 10 event_seen '"at": "EOD", "arg": "<'
$PY -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(15)
c.execute("ROLLBACK")' "$DB" "$T/locked" &
L=$!
wait_for 5 test -e "$T/locked"
wait "$L"
wait_for 20 all_done "$DB"
check "all rows sent after the lock was released" all_done "$DB"
check "the notifier kept trying to record the result" grep -q 'recorded after' "$T/lock_a.log"
it_stop "$A"
report "write lock held 15 s with a message in flight" "$(counts "$DB" "$SRV")" 0 0

grep -l 'double free\|AddressSanitizer' "$T"/*.log > /dev/null 2>&1 && fail "a notifier crashed" || pass "no notifier crashed"
it_done
