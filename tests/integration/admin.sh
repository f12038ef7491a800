#!/bin/bash
# admin.sh -- ftsuccess-admin on a real database: users added, listed,
# changed and disabled (every refusal names its value, exits 1 and changes
# nothing; a wrong command line exits 2), the audit trail names the
# operator, db check reports integrity and schema version and what
# migration 9 did, db backup makes a whole copy and never overwrites.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/integration/lib.sh"

BIN="$top_builddir/admin/ftsuccess-admin"
it_init admin
need sqlite3 sqlite3
write_conf "$T/app.conf" < /dev/null
q() { sqlite3 -batch -noheader "$T/db.sqlite" "$1"; }

# run WANT NAME ARGS...: ftsuccess-admin exits WANT; stdout in $T/out, stderr in $T/err.
run() {
	local want=$1 name=$2 rc
	shift 2
	"$BIN" --config "$T/app.conf" "$@" > "$T/out" 2> "$T/err"
	rc=$?
	if [ "$rc" = "$want" ]; then pass "$name: exit $want"; else
		fail "$name: exit $rc, want $want"; note "$(cat "$T/out" "$T/err")"; fi
}
# says NAME FILE TEXT: FILE contains TEXT
says() {
	if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1 (no '$3' in:)"; note "$(cat "$2")"; fi
}

## Users.
run 0 "user add" user add ana --name "Ana Souza" --email ana@example.com --role fm \
    --language pt-BR --timezone America/Sao_Paulo --meeting-url https://teams.example/l/ana
says "add says so" "$T/out" "user ana added"
run 0 "user add with defaults" user add bia --role manager
run 0 "user list" user list
says "list header" "$T/out" "login	role	state"
says "list row" "$T/out" "ana	fm	active	pt-BR	America/Sao_Paulo	ana@example.com	Ana Souza	https://teams.example/l/ana"
says "defaults: the browser's language, UTC, login as name" "$T/out" "bia	manager	active	-	UTC	-	bia	-"
eq "audit names the operator" "$(q "select actor from audit where action = 'user.add' limit 1")" \
    "ftsuccess-admin:$(id -un)"

## Refusals: exit 1, the value named, nothing changed.
before=$(q "select count(*) || ':' || count(*) filter (where active = 1) from users")
audits=$(q "select count(*) from audit")
run 1 "login taken" user add ana
says "taken login named" "$T/err" '"ana" already exists'
run 1 "bad role" user add cid --role boss
says "bad role named" "$T/err" 'role "boss" is not fm, manager or admin'
run 1 "bad language" user add cid --language fr
says "bad language named" "$T/err" 'language "fr" is not en, pt-BR or empty'
run 1 "bad time zone" user add cid --timezone Mars/Olympus
says "bad zone named" "$T/err" 'timezone "Mars/Olympus"'
run 1 "http meeting link" user add cid --meeting-url http://teams.example/l/x
says "meeting link named" "$T/err" 'meeting_url "http://teams.example/l/x" is not an https:// link'
run 1 "meeting link with a quote" user add cid --meeting-url 'https://x.example/"onload'
run 1 "bad e-mail" user add cid --email not-an-address
says "e-mail named" "$T/err" '"not-an-address" is not a valid e-mail address'
run 1 "login with a space" user add "c d"
run 1 "edit unknown login" user edit zed --role admin
says "unknown login named" "$T/err" 'no user with login "zed"'
run 1 "edit with nothing to change" user edit ana
eq "refusals changed no user" "$(q "select count(*) || ':' || count(*) filter (where active = 1) from users")" "$before"
eq "refusals wrote no audit row" "$(q "select count(*) from audit")" "$audits"

## Command line: exit 2.
run 2 "no command" 
run 2 "one word" user
run 2 "unknown command" user rename ana
run 2 "missing login" user add
run 2 "extra argument" user list extra
run 2 "bad --active" user edit ana --active maybe
says "--active value named" "$T/err" "--active must be yes or no, not 'maybe'"

## Edit and disable.
run 0 "user edit" user edit ana --role manager --email ""
eq "edit kept the rest" "$(q "select role || '|' || email || '|' || language from users where login = 'ana'")" "manager||pt-BR"
run 0 "user disable" user disable ana
eq "disabled" "$(q "select active from users where login = 'ana'")" 0
run 0 "enable again" user edit ana --active yes
eq "enabled" "$(q "select active from users where login = 'ana'")" 1
eq "each change audited with its members" "$(q "select details from audit where action = 'user.edit' order by id limit 1")" \
    '{"email":"","role":"manager"}'

## db check.
run 0 "db check" db check
says "integrity" "$T/out" "integrity: ok"
latest=$(q "pragma user_version")
says "schema version" "$T/out" "schema version: $latest (this program: $latest)"

## Migration 9 on a database as version 8 left it (what migrations 10 to 15 add dropped too): owners become disabled users.
q "drop trigger customer_owner_insert; drop trigger customer_owner_update;
   drop trigger users_login_fixed; drop trigger users_keep_owner; drop table user_feed; drop table users;
   alter table meeting drop column meeting_url;
   drop table state_week; alter table customer drop column archived_at;
   drop table attendee_response; drop table reply_message; alter table customer drop column language;
   delete from audit; pragma user_version = 8;
   insert into customer (name, tenant_domain, timezone, owner_fm, created_at, updated_at)
     values ('A', 'a.example', 'UTC', 'fm.joao', 1, 1), ('B', 'b.example', 'UTC', 'fm.ana', 1, 1),
            ('C', 'c.example', 'UTC', 'fm.joao', 1, 1);"
run 0 "db check migrates" db check
says "the migration's note" "$T/out" 'migration 9 (users from owner_fm): {"created_disabled":["fm.ana","fm.joao"]}'
eq "owners are disabled FMs" "$(q "select group_concat(login || ':' || role || ':' || active) from users")" \
    "fm.ana:fm:0,fm.joao:fm:0"
run 0 "enable a migrated FM" user edit fm.joao --active yes
eq "unknown owner refused by the database" \
    "$(q "insert into customer (name, tenant_domain, timezone, owner_fm, created_at, updated_at)
      values ('D', 'd.example', 'UTC', 'ghost', 1, 1);" 2>&1 | grep -c 'owner_fm: not a user')" 1

## db backup.
run 0 "db backup" db backup "$T/copy.db"
says "backup says where" "$T/out" "backup written to $T/copy.db"
eq "the copy has the users" "$(sqlite3 -batch -noheader "$T/copy.db" "select count(*) from users")" \
    "$(q "select count(*) from users")"
eq "the copy is sound" "$(sqlite3 -batch -noheader "$T/copy.db" "pragma integrity_check")" ok
run 1 "backup over an existing file" db backup "$T/copy.db"
says "existing file named" "$T/err" "$T/copy.db already exists"
run 1 "backup into a missing directory" db backup "$T/none/copy.db"
[ -e "$T/none/copy.db" ] && fail "a failed backup left a file" || pass "a failed backup leaves no file"

## Configuration errors: exit 1.
printf 'database = %s/db.sqlite\nvisibility = mine\n' "$T" > "$T/bad.conf"
"$BIN" --config "$T/bad.conf" user list > "$T/out" 2> "$T/err"
eq "bad configuration exits 1" "$?" 1
says "bad key named" "$T/err" "visibility: \"mine\" is not team or own"

it_done
