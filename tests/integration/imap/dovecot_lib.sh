# dovecot_lib.sh -- a throwaway Dovecot IMAP server for the tests (sourced
# after lib.sh): its own configuration under a directory, a Maildir, one
# passwd-file user, plain IMAP on a free loopback port; no system service.
#
#   dovecot_start DIR USER PASSWORD   # sets IMAP_PORT, MAILDIR; stopped on exit
#   maildir_deliver FILE              # the message into MAILDIR/new
#   dovecot_stop
#
# Pitfalls (docs: /work/shared/NOTES.md): the login process refuses root
# (default_login_user = dovenull); a mail uid below 500 is refused unless
# first_valid_uid is lowered; "chroot =" must stand on its own line.

IMAP_DONE=FtsuccessDone
DOVECOT_DIR=

dovecot_start() {
	local d=$1 user=$2 pw=$3 uid gid i
	DOVECOT_DIR=$d
	IMAP_PORT=$(free_port)
	uid=$(id -u dovecot)
	gid=$(id -g dovecot)
	mkdir -p "$d/run" "$d/state" "$d/mail/$user/Maildir/new" "$d/mail/$user/Maildir/cur" \
	    "$d/mail/$user/Maildir/tmp"
	chmod 755 "$d"
	MAILDIR=$d/mail/$user/Maildir
	printf '%s:{PLAIN}%s:%s:%s::%s\n' "$user" "$pw" "$uid" "$gid" "$d/mail/$user" > "$d/passwd"
	cat > "$d/dovecot.conf" << CONF
protocols = imap
listen = 127.0.0.1
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = 100
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $d/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
CONF
	chown -R "$uid:$gid" "$d/mail"
	# dovecot forks into the background: its own stop command ends it.
	/usr/sbin/dovecot -c "$d/dovecot.conf" > "$d/start.log" 2>&1 ||
	    bail "dovecot did not start: $(cat "$d/start.log" "$d/dovecot.log" 2> /dev/null)"
	trap 'dovecot_stop; it_cleanup' EXIT
	wait_port "$IMAP_PORT" 10 || bail "dovecot not listening on $IMAP_PORT: $(cat "$d/dovecot.log")"
}

# The message as a new Maildir file (unique name: time, counter, host), owned by the mail user.
MAILDIR_N=0
maildir_deliver() {
	local f
	MAILDIR_N=$((MAILDIR_N + 1))
	f="$MAILDIR/new/$(date +%s).M${MAILDIR_N}P$$.ftsuccess-test"
	cp "$1" "$MAILDIR/tmp/${f##*/}" && mv "$MAILDIR/tmp/${f##*/}" "$f" &&
	    chown "$(id -u dovecot):$(id -g dovecot)" "$f"
}

dovecot_stop() {
	[ -n "$DOVECOT_DIR" ] || return 0
	/usr/sbin/dovecot -c "$DOVECOT_DIR/dovecot.conf" stop > /dev/null 2>&1
	DOVECOT_DIR=
}
