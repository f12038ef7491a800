#!/usr/bin/env bash
# sample_data.sh -- ftsuccess-sample-data on real SQLite files: the demo
# customers end in the states their stories promise, history is written
# day by day (audit times spread over weeks, samples weekly), every write is
# audited, a seed gives the same data, a second demo run is refused, and
# synthetic customers are added with unique domains.  Needs the sqlite3 CLI.
set -u

top_builddir=${top_builddir:-.}
tool=$top_builddir/tools/ftsuccess-sample-data
[ -x "$tool" ] || { echo "Bail out! $tool not built"; exit 99; }
command -v sqlite3 > /dev/null || { echo "SKIP: sqlite3 CLI not installed (Debian package sqlite3)"; exit 77; }

fails=0
checks=0
pass() { checks=$((checks + 1)); echo "ok - $1"; }
fail() { checks=$((checks + 1)); fails=$((fails + 1)); echo "not ok - $1"; }
eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (got '$2', want '$3')"; fi; }
T=$(mktemp -d /tmp/sample_data.XXXXXX)
trap 'rm -rf "$T"' EXIT
q() { sqlite3 -batch -noheader "$1" "$2"; }

## 1. The demo customers at a fixed date.
day=2026-05-20
if "$tool" --database "$T/a.db" --today "$day" > "$T/a.out" 2>&1; then
	pass "demo data written"
else
	fail "demo data written"; sed 's/^/    /' "$T/a.out"
fi
eq "twelve customers" "$(q "$T/a.db" 'select count(*) from customer')" 12
eq "three users: two FMs and a manager" "$(q "$T/a.db" "select group_concat(login || ':' || role || ':' || active) from (select * from users order by login)")" \
    "carlos.mendes:fm:1,demo:fm:1,marina.costa:manager:1"
eq "every owner is a user" "$(q "$T/a.db" "select count(*) from customer where owner_fm not in (select login from users)")" 0
for state in ready at_risk in_progress success_review closed; do
	grep -q ": $state\$" "$T/a.out" && pass "a customer ends $state" || fail "no customer ends $state"
done
eq "phases" "$(q "$T/a.db" "select group_concat(phase || ':' || n) from (select phase, count(*) n from customer group by phase order by phase)")" \
    "closed:1,execution:10,success_review:1"
eq "review outcome recorded" "$(q "$T/a.db" "select review_outcome from customer where phase = 'closed'")" \
    additional_workloads
eq "time zones" "$(q "$T/a.db" "select count(distinct timezone) from customer")" 10
q "$T/a.db" "select name from customer" | grep -q "Lusitânia" && pass "accented names kept" ||
    fail "accented names lost"

## Every service with samples has 1..13 weekly ones, consecutive ones 7 days apart.
eq "samples are weekly" "$(q "$T/a.db" "select count(*) from usage_sample a join usage_sample b
    on a.customer_id = b.customer_id and a.service = b.service and b.measured_on > a.measured_on
    and not exists (select 1 from usage_sample c where c.customer_id = a.customer_id and
    c.service = a.service and c.measured_on > a.measured_on and c.measured_on < b.measured_on)
    where julianday(b.measured_on) - julianday(a.measured_on) != 7")" 0
eq "8-12 weeks of history for long-running services" "$(q "$T/a.db" "select count(*) from
    (select customer_id, service, count(*) n from usage_sample group by 1, 2)
    where n > 13")" 0
eq "no sample after today" "$(q "$T/a.db" "select count(*) from usage_sample where measured_on > '$day'")" 0
eq "AU never above eligible" "$(q "$T/a.db" "select count(*) from usage_sample where active_users > eligible_users")" 0

## History was written as it happened: audit times spread over ~3 months, in order per customer.
span=$(q "$T/a.db" "select (max(at) - min(at)) / 86400 from audit")
[ "$span" -ge 80 ] && [ "$span" -le 100 ] && pass "audit spans $span days" || fail "audit spans $span days"
eq "audit times grow with ids per customer" "$(q "$T/a.db" "select count(*) from audit a join audit b
    on a.customer_id = b.customer_id and b.id > a.id and b.at < a.at")" 0
eq "every customer audited" "$(q "$T/a.db" "select count(distinct customer_id) from audit")" 12
eq "every check-in audited" "$(q "$T/a.db" "select count(*) from checkin")" \
    "$(q "$T/a.db" "select count(*) from audit where action = 'checkin.log'")"
eq "check-ins name next action, date and owner" "$(q "$T/a.db" "select count(*) from checkin
    where next_action = '' or next_action_on < held_on or next_action_owner = ''")" 0
eq "no check-in for the all-CSM-led customer" "$(q "$T/a.db" "select count(*) from checkin
    join customer c on c.id = customer_id where c.name like 'Nordlicht%'")" 0
eq "handshakes queued once per customer, service and CSM" "$(q "$T/a.db" "select count(*) from outbox
    where kind = 'handshake'")" 6
eq "OneDrive Adoption Program tasks" "$(q "$T/a.db" "select group_concat(ftop_id || ':' || status)
    from (select ftop_id, status from task where ftop_id between 3740 and 3743 order by ftop_id)")" \
    "3740:done,3741:open,3743:open"
eq "accelerator task" "$(q "$T/a.db" "select count(*) from task where ftop_id = 3650 and status = 'open'")" 1
eq "L2 reasons on blockers" "$(q "$T/a.db" "select count(*) from blocker where l2_reason = ''")" 0
eq "closed customer's series cancelled" "$(q "$T/a.db" "select count(*) from outbox where kind = 'cancel'")" 1
summary=$(tail -n 1 "$T/a.out")
case "$summary" in
*" $(q "$T/a.db" 'select count(*) from outbox') outbox messages"*) pass "summary counts the outbox" ;;
*) fail "summary: $summary" ;;
esac

## 2. Same seed, same data (meeting UIDs are random by design and left out).
dump() {
	q "$1" "select name, tenant_domain, timezone, owner_fm, phase from customer order by id;
	    select customer_id, service, measured_on, active_users, eligible_users from usage_sample order by id;
	    select customer_id, held_on, summary, next_action, next_action_on, (select group_concat(service) from checkin_service where checkin_id = checkin.id) from checkin order by id;
	    select customer_id, ftop_id, status from task order by id;
	    select customer_id, opened_on, resolved_on, l2_reason from blocker order by id;"
}
"$tool" --database "$T/b.db" --today "$day" --quiet > /dev/null 2>&1
if cmp -s <(dump "$T/a.db") <(dump "$T/b.db"); then pass "same seed, same data"; else fail "same seed, different data"; fi
"$tool" --database "$T/c.db" --today "$day" --seed 99 --quiet > /dev/null 2>&1
if cmp -s <(dump "$T/a.db") <(dump "$T/c.db"); then fail "another seed gives other noise"; else pass "another seed gives other noise"; fi

## 3. Refusals.
"$tool" --database "$T/a.db" --today "$day" > "$T/again.out" 2>&1
eq "second demo run exits 1" "$?" 1
grep -q "already has 12 customers" "$T/again.out" && pass "and says why" || fail "second run message"
eq "and adds nothing" "$(q "$T/a.db" 'select count(*) from customer')" 12
"$tool" --database "$T/x.db" --customers many > /dev/null 2>&1
eq "--customers many is a usage error" "$?" 2
"$tool" > /dev/null 2>&1
eq "no --database is a usage error" "$?" 2
"$tool" --database "$T/x.db" --today 2026-02-30 > /dev/null 2>&1
eq "--today 2026-02-30 is refused" "$?" 2
[ -e "$T/x.db" ] && fail "refused runs created a database" || pass "refused runs create nothing"
# The demo data file (tools/sample_demo.txt): a broken copy is refused by line.
bad() { printf 'customer\tname=Bad Data Ltd\tdomain=bad.example\n%b' "$1" > "$T/bad.txt"
	FTS_SAMPLE_DEMO_DATA=$T/bad.txt "$tool" --database "$T/bad.db" --today "$day" > "$T/bad.out" 2>&1; }
bad 'service\tkey=exchange\tbogus=1\n'
eq "demo data with an unknown field exits 1" "$?" 1
grep -q 'bad.txt:2: a service has no field "bogus"' "$T/bad.out" && pass "and names the line and the field" ||
    fail "unknown field message: $(cat "$T/bad.out")"
bad 'contact\tname=A\ncontact\tname=B\ncontact\tname=C\ncontact\tname=D\n'
grep -q 'bad.txt:5: more than 3 contact records for one customer' "$T/bad.out" && pass "a fourth contact is refused" ||
    fail "fourth contact message: $(cat "$T/bad.out")"
bad 'service\tkey=exchange\tstart_pct=lots\n'
grep -q 'bad.txt:2: start_pct="lots" is not a percentage' "$T/bad.out" && pass "a percentage that is not a number is refused" ||
    fail "percentage message: $(cat "$T/bad.out")"
eq "and no demo customer was written" "$(q "$T/bad.db" 'select count(*) from customer' 2> /dev/null || echo 0)" 0

## 4. Synthetic customers, appended with unique domains.
if "$tool" --database "$T/s.db" --customers 150 --seed 3 --quiet > "$T/s.out" 2>&1; then
	pass "150 synthetic customers"
else
	fail "150 synthetic customers"; sed 's/^/    /' "$T/s.out"
fi
"$tool" --database "$T/s.db" --customers 25 --seed 4 --quiet > "$T/s2.out" 2>&1 ||
    { fail "appending"; sed 's/^/    /' "$T/s2.out"; }
eq "appended to 175" "$(q "$T/s.db" 'select count(*) from customer')" 175
eq "domains unique" "$(q "$T/s.db" 'select count(distinct tenant_domain) from customer')" 175
[ "$(q "$T/s.db" 'select count(*) from usage_sample')" -gt 500 ] && pass "synthetic AU samples" ||
    fail "few synthetic AU samples"
left=$(find "$T" -name '*.tmp*')
[ -z "$left" ] && pass "no temp files left" || fail "temp files left: $left"

echo "1..$checks"
[ "$fails" -eq 0 ]
