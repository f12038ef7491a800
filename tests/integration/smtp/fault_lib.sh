# fault_lib.sh -- what notifier_faults.sh and notifier_disk.sh share: the
# programs they drive and the checks that they are there, the scriptable
# SMTP server (fault_server.py) started on loopback, a notifier
# configuration with short leases and backoffs, outbox rows written by
# outbox_tool, one scenario's start, and the copy counts (count_copies.py)
# checked per scenario.  Sourced after lib.sh:
#
#   . "$top_srcdir/tests/integration/smtp/fault_lib.sh"
#   fault_init notifier_faults   # skip/bail, it_init, server up: T, SRV, PORT

PY=/usr/bin/python3
NOTIFIER=$top_builddir/notifier/ftsuccess-notifier
TOOL=$top_builddir/tests/tools/outbox_tool
SMTPDIR=$top_srcdir/tests/integration/smtp
# The servers import smtp_common.py: no __pycache__ left in the source tree.
export PYTHONDONTWRITEBYTECODE=1

# fault_init NAME: check the programs, it_init NAME, start the server, write $T/handshake.json
fault_init() {
	local i
	[ -x "$PY" ] && $PY -c 'import sqlite3, asyncio' 2> /dev/null || skip "no /usr/bin/python3 with sqlite3"
	[ -x "$NOTIFIER" ] && [ -x "$TOOL" ] || bail "notifier or outbox_tool not built"
	it_init "$1"
	SRV=$T/srv
	mkdir -p "$SRV"
	it_spawn fault_server "$PY" "$SMTPDIR/fault_server.py" --dir "$SRV" --port-file "$T/port"
	for ((i = 0; i < 100; i++)); do [ -s "$T/port" ] && break; sleep 0.1; done
	[ -s "$T/port" ] || bail "fault server did not start: $(cat "$T/fault_server.log")"
	PORT=$(cat "$T/port")
	fault_payload
}

# The handshake payload every row carries.
fault_payload() {
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
}

# script JSON: the server's rules from now on (counts of "times" are kept per id)
script() { printf '%s\n' "$1" > "$SRV/script.json.tmp" && mv "$SRV/script.json.tmp" "$SRV/script.json"; }
# conf NAME DB [key = value]...: a notifier configuration, defaults overridden
conf() {
	local f=$T/$1.conf db=$2 l
	shift 2
	cat > "$f" << EOF
database = $db
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
	for l in "$@"; do
		sed -i "/^${l%% =*} =/d" "$f"
		echo "$l" >> "$f"
	done
}
# rows DB FROM TO [RECIPIENTS_JSON]: handshakes FROM..TO, one customer each
rows() {
	local db=$1 rc=${4:-'[{"name": "Ana", "email": "ana@contoso.example"}]'} i
	for ((i = $2; i <= $3; i++)); do
		"$TOOL" "$db" customer "C$i" "c$i.$(basename "$db").example" > /dev/null || bail "customer"
		"$TOOL" "$db" insert "$i" handshake "k$i" "$T/handshake.json" "$rc" > /dev/null || bail "insert"
	done
}
# fresh_log: forget what the server delivered and saw, and its rules
fresh_log() { : > "$SRV/delivered.jsonl"; : > "$SRV/events.jsonl"; script '{"rules": []}'; }
# scenario NAME ROWS RULES [key = value]...: fresh logs, DB=$T/NAME.db with
# handshakes 1..ROWS, the configuration NAME (see conf), the server's RULES
scenario() {
	local name=$1 n=$2 rules=$3
	shift 3
	fresh_log
	DB=$T/$name.db
	rows "$DB" 1 "$n"
	conf "$name" "$DB" "$@"
	script "$rules"
}
# spawn_notifier NAME CONF [VAR]: a notifier daemon on $T/CONF.conf (it_spawn NAME), its pid in VAR (A)
spawn_notifier() { it_spawn "$1" "$NOTIFIER" --config "$T/$2.conf"; printf -v "${3:-A}" '%s' "$IT_LAST_PID"; }
# sql DB SQL: rows as a|b|c lines (Python's sqlite3: no sqlite3 CLI needed)
sql() { $PY -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
for r in c.execute(sys.argv[2]): print("|".join(str(x) for x in r))' "$1" "$2"; }
state() { sql "$1" "SELECT state FROM outbox WHERE id = $2"; }
counts() { $PY "$SMTPDIR/count_copies.py" "$@"; }
# wait_for SECONDS CMD...: until CMD succeeds
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
# report SCENARIO COUNTS-LINE [WANT_LOST] [WANT_DUP]: print the figures, check them (0 and 0)
report() {
	echo "# figures: $1: $2"
	local lost dup
	lost=$(echo "$2" | sed 's/.*lost=\([0-9]*\).*/\1/')
	dup=$(echo "$2" | sed 's/.*duplicated=\([0-9]*\).*/\1/')
	eq "$1: copies lost" "$lost" "${3:-0}"
	eq "$1: copies duplicated" "$dup" "${4:-0}"
}
