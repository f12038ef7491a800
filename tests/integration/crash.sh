#!/bin/bash
# crash.sh -- kill -9 of workers and of the supervisor of ftsuccess.fcgi
# under concurrent POST load through nginx: every acknowledged write is
# stored exactly once, and no worker outlives a killed supervisor (issue 9,
# defect 5).  Prints "N of N acknowledged writes stored, 0 duplicates over
# K kills".  CRASH_CYCLES (default 20) and CRASH_CLIENTS (default 4) tune it.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

it_init crash
needs nginx curl jq sqlite3 python3

CYCLES=${CRASH_CYCLES:-20}
CLIENTS=${CRASH_CLIENTS:-4}
PORT=$(free_port) || bail "no free port"
BASE="http://127.0.0.1:$PORT"
SOCK="$T/fcgi.sock"
DB="$T/db.sqlite"

write_conf "$T/app.conf" <<CONF
base_url = $BASE
auth = none
CONF
head -c 32 /dev/urandom > "$T/secret" && chmod 600 "$T/secret"

# The supervisor, started again after each kill as systemd would.
SUP=
SUP_N=0
sup_start() {
	SUP_N=$((SUP_N + 1))
	it_spawn "fcgi$SUP_N" "$BIN" --config "$T/app.conf" --listen "unix:$SOCK" --workers 2
	SUP=$IT_LAST_PID
}
# healthy [SECONDS]: until /healthz answers 200 through nginx.
healthy() {
	local i n=$((${1:-15} * 10))
	for ((i = 0; i < n; i++)); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz")" = 200 ] && return 0
		sleep 0.1
	done
	return 1
}
# gone PIDS...: until none of PIDS is alive (5 s); prints the survivors.
gone() {
	local i pid alive
	for ((i = 0; i < 50; i++)); do
		alive=
		for pid in "$@"; do
			kill -0 "$pid" 2> /dev/null && alive="$alive $pid"
		done
		[ -z "$alive" ] && return 0
		sleep 0.1
	done
	echo "$alive"
	return 1
}

sup_start
wait_sock "$SOCK" 10 || { cat "$T/fcgi1.log"; bail "ftsuccess.fcgi did not create $SOCK"; }
nginx_server "$PORT" "$SOCK" none
nginx_start "$PORT"
healthy 15 || bail "the stack did not become healthy"

# A second instance on the same socket must not take it from the live one
# (it waits for the owner to let go, then refuses): checked in the background.
INODE=$(stat -c %i "$SOCK")
"$BIN" --config "$T/app.conf" --listen "unix:$SOCK" --workers 1 > "$T/second.log" 2>&1 &
SECOND=$!
IT_PIDS+=("$SECOND")

# One customer per client, so no customer page grows past a few hundred blockers.
for ((c = 0; c < CLIENTS; c++)); do
	req POST "$BASE/api/customers" -H 'Content-Type: application/json' -H "Origin: $BASE" \
	    --data-binary '{"name":"Crash '"$c"'","tenant_domain":"crash'"$c"'.onmicrosoft.com","timezone":"Europe/Berlin"}'
	[ "$STATUS" = 201 ] || { cat "$T/resp.b"; bail "creating customer $c answered $STATUS"; }
	echo "$(jget .id)" >> "$T/customers"
done

# The load: CLIENTS threads, each POSTing blockers with a unique description
# one after the other, writing "id description" for every 201.  Anything
# else (502 while no worker listens, a reset connection) is not acknowledged.
cat > "$T/load.py" <<'PY'
import http.client, json, os, sys, threading, time
port, clients, tdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
customers = open(os.path.join(tdir, "customers")).read().split()
stop = os.path.join(tdir, "stop")
counts = {}
lock = threading.Lock()
def client(k):
    out = open(os.path.join(tdir, "acked.%d" % k), "w")
    conn, n = None, 0
    while not os.path.exists(stop):
        n += 1
        desc = "crash-%d-%d" % (k, n)
        body = json.dumps({"description": desc, "owner": "Crash test",
                           "l2_reason": "customer_it_infrastructure"})
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            conn.request("POST", "/api/customers/%s/blockers" % customers[k], body,
                         {"Content-Type": "application/json",
                          "Origin": "http://127.0.0.1:%d" % port})
            r = conn.getresponse()
            data = r.read()
            status = str(r.status)
            if r.status == 201:
                out.write("%d %s\n" % (json.loads(data)["id"], desc))
                out.flush()
            if r.getheader("Connection", "").lower() == "close":
                conn.close(); conn = None
        except Exception as e:
            status = type(e).__name__
            if conn is not None:
                conn.close()
            conn = None
        with lock:
            counts[status] = counts.get(status, 0) + 1
        if status != "201":
            time.sleep(0.02)	# no worker yet: do not spin
    out.close()
ts = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
for t in ts: t.start()
for t in ts: t.join()
print(" ".join("%s=%d" % kv for kv in sorted(counts.items())))
PY
wait "$SECOND"
eq "a second instance refuses a socket another process serves (exit status)" "$?" 1
check "the second instance says why" grep -q 'served by another running process' "$T/second.log"
eq "the live socket was not replaced" "$(stat -c %i "$SOCK")" "$INODE"
healthy 2 && pass "the first instance still serves" || fail "the first instance no longer serves"

python3 "$T/load.py" "$PORT" "$CLIENTS" "$T" > "$T/load.out" 2>&1 &
LOAD=$!
IT_PIDS+=("$LOAD")

KILLS=0
ORPHANS=0
RESTART_FAIL=0
for ((cycle = 1; cycle <= CYCLES; cycle++)); do
	sleep 0.5
	workers=$(pgrep -P "$SUP" | tr '\n' ' ')
	if ((cycle % 2)); then
		# A worker: the supervisor replaces it.
		w=${workers%% *}
		[ -n "$w" ] || { RESTART_FAIL=$((RESTART_FAIL + 1)); continue; }
		kill -KILL "$w" && KILLS=$((KILLS + 1))
		healthy 10 || RESTART_FAIL=$((RESTART_FAIL + 1))
	else
		# The supervisor: its workers must exit by themselves, then a new one starts.
		kill -KILL "$SUP" && KILLS=$((KILLS + 1))
		wait "$SUP" 2> /dev/null
		# shellcheck disable=SC2086
		if ! left=$(gone $workers); then
			ORPHANS=$((ORPHANS + 1))
			echo "# cycle $cycle: workers$left outlived their supervisor"
			# shellcheck disable=SC2086
			kill -KILL $left 2> /dev/null
		fi
		sup_start
		healthy 15 || { RESTART_FAIL=$((RESTART_FAIL + 1)); echo "# cycle $cycle: no healthy restart"; }
	fi
done
sleep 0.5
touch "$T/stop"
wait "$LOAD"
eq "no worker outlived a killed supervisor ($((CYCLES / 2)) supervisor kills)" "$ORPHANS" 0
eq "the stack served again after every kill" "$RESTART_FAIL" 0
# Stop gracefully, so the count below sees every commit.
it_stop "$SUP"
note "load: $(cat "$T/load.out")"

cat "$T"/acked.* | LC_ALL=C sort > "$T/acked"
sqlite3 "$DB" "SELECT id || ' ' || description FROM blocker WHERE description LIKE 'crash-%' " | LC_ALL=C sort > "$T/rows"
ACKED=$(wc -l < "$T/acked")
STORED=$(comm -12 "$T/acked" "$T/rows" | wc -l)
DUPS=$(sqlite3 "$DB" "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM blocker WHERE description LIKE 'crash-%' GROUP BY description)")
echo "# $STORED of $ACKED acknowledged writes stored, $DUPS duplicates over $KILLS kills ($(wc -l < "$T/rows") rows)"
[ "$ACKED" -gt 0 ] && pass "writes were acknowledged under load ($ACKED)" || fail "no write was acknowledged"
eq "every acknowledged write is stored with its id" "$STORED" "$ACKED"
eq "no write stored twice" "$DUPS" 0
eq "kills done" "$KILLS" "$CYCLES"
eq "integrity_check" "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok
it_done
