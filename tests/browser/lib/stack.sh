# stack.sh -- start the real ftsuccess stack for the browser journeys (sourced
# by tests/browser/run, bash): nginx in front of ftsuccess.fcgi on a unix
# socket, an SMTP capture server writing a Maildir, and the notifier daemon
# polling every second.  Everything lives in $STACK_DIR, listens on free
# loopback ports, and is stopped by stack_stop (run it from an EXIT trap).
#
#   stack_start BUILD_DIR SRC_DIR    # sets STACK_DIR, STACK_BASE_URL, STACK_MAILDIR
#   stack_stop                       # stops every process group started here

STACK_DIR=
STACK_PIDS=()
STACK_BASE_URL=
STACK_MAILDIR=

stack_log() { echo "stack: $*" >&2; }

# stack_free_port: a random TCP port on 127.0.0.1 nothing listens on, below
# the kernel's ephemeral range (an outgoing connection's local port there
# would make our bind fail).
stack_free_port() {
	local p i lo=32768
	read -r lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || lo=32768
	[ "$lo" -gt 12000 ] || lo=32768
	for ((i = 0; i < 200; i++)); do
		p=$((10000 + RANDOM % (lo - 10000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# stack_wait WHAT SECONDS TEST...: until the command succeeds, or fail naming
# WHAT; gives up at once when the process started last has exited.
stack_wait() {
	local what=$1 n=$(($2 * 10)) i last
	shift 2
	for ((i = 0; i < n; i++)); do
		"$@" 2>/dev/null && return 0
		last=${STACK_PIDS[${#STACK_PIDS[@]} - 1]:-}
		if [ -n "$last" ] && ! kill -0 "$last" 2>/dev/null; then
			stack_log "$what: the process exited"
			return 1
		fi
		sleep 0.1
	done
	stack_log "$what did not come up in $((n / 10)) s"
	return 1
}

stack_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# stack_spawn NAME CMD...: run in its own process group (set -m), output to NAME.log.
stack_spawn() {
	local name=$1
	shift
	set -m
	"$@" >"$STACK_DIR/$name.log" 2>&1 &
	STACK_PIDS+=("$!")
	set +m
	echo "$!" >"$STACK_DIR/pids/$name.pid"
}

# stack_kill_group PGID: TERM the group, KILL it after 5 s if still there.
stack_kill_group() {
	local g=$1 i
	kill -TERM -- "-$g" 2>/dev/null || return 0
	for ((i = 0; i < 50; i++)); do
		kill -0 -- "-$g" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL -- "-$g" 2>/dev/null
	return 0
}

stack_stop() {
	local i f pid
	[ -n "$STACK_DIR" ] || return 0
	# Browsers the journeys launched put their own process group id here
	# (Playwright starts Chromium detached); normally already gone.
	for f in "$STACK_DIR"/pids/browser-*.pid; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		[ -n "$pid" ] && stack_kill_group "$pid"
	done
	# Newest first: the notifier and nginx before the FastCGI server.
	for ((i = ${#STACK_PIDS[@]} - 1; i >= 0; i--)); do
		stack_kill_group "${STACK_PIDS[i]}"
		wait "${STACK_PIDS[i]}" 2>/dev/null
	done
	STACK_PIDS=()
}

# stack_alive NAME: the process started as NAME still runs.
stack_alive() { kill -0 "$(cat "$STACK_DIR/pids/$1.pid")" 2>/dev/null; }

# stack_unspawn: stop the process started last (a failed start).
stack_unspawn() {
	local n=${#STACK_PIDS[@]}
	[ "$n" -gt 0 ] || return 0
	stack_kill_group "${STACK_PIDS[n - 1]}"
	wait "${STACK_PIDS[n - 1]}" 2>/dev/null
	unset "STACK_PIDS[n - 1]"
	STACK_PIDS=("${STACK_PIDS[@]}")
}

# stack_nginx_conf PORT USER_LINE: nginx.conf in front of the FastCGI socket,
# with Debian's fastcgi_params as a real site would include them.
stack_nginx_conf() {
	cat >"$STACK_DIR/nginx.conf" <<NGINX
$2
daemon off;
worker_processes 1;
pid $STACK_DIR/nginx.pid;
error_log $STACK_DIR/nginx-error.log warn;
events { worker_connections 128; }
http {
	access_log $STACK_DIR/nginx-access.log;
	client_body_temp_path $STACK_DIR/nginx-tmp/body;
	fastcgi_temp_path $STACK_DIR/nginx-tmp/fastcgi;
	proxy_temp_path $STACK_DIR/nginx-tmp/proxy;
	uwsgi_temp_path $STACK_DIR/nginx-tmp/uwsgi;
	scgi_temp_path $STACK_DIR/nginx-tmp/scgi;
	client_max_body_size 4m;
	server {
		listen 127.0.0.1:$1;
		server_name 127.0.0.1;
		location / {
			include /etc/nginx/fastcgi_params;
			fastcgi_pass unix:$STACK_DIR/fcgi.sock;
		}
	}
}
NGINX
}

# stack_start BUILD_DIR SRC_DIR
stack_start() {
	local build=$1 src=$2 http_port smtp_port fcgi notifier user_line="" try

	fcgi="$build/cgi/ftsuccess.fcgi"
	notifier="$build/notifier/ftsuccess-notifier"
	for f in "$fcgi" "$notifier"; do
		[ -x "$f" ] || { stack_log "$f is not built (make -C $build first)"; return 1; }
	done
	STACK_DIR=$(mktemp -d /tmp/fts-browser.XXXXXX) || return 1
	chmod 755 "$STACK_DIR"
	mkdir -p "$STACK_DIR/pids" "$STACK_DIR/maildir/tmp" "$STACK_DIR/maildir/new" \
	    "$STACK_DIR/maildir/cur" "$STACK_DIR/mailcopy" \
	    "$STACK_DIR/nginx-tmp" "$STACK_DIR/artifacts"
	STACK_MAILDIR="$STACK_DIR/maildir"
	http_port=$(stack_free_port) || return 1
	smtp_port=$(stack_free_port) || return 1
	[ "$smtp_port" != "$http_port" ] || smtp_port=$(stack_free_port) || return 1

	# SMTP capture: every message lands in a Maildir (Debian python3-aiosmtpd;
	# /usr/bin/python3 because another python3 may come first on PATH).
	# Another test may take a probed port before we bind it: try a few.
	for try in 1 2 3 4 5; do
		stack_spawn smtp /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" \
		    -c aiosmtpd.handlers.Mailbox "$STACK_MAILDIR"
		stack_wait "SMTP capture on port $smtp_port" 10 stack_port_open "$smtp_port" &&
		    sleep 0.3 && stack_alive smtp && break
		stack_unspawn
		[ "$try" != 5 ] || return 1
		smtp_port=$(stack_free_port) || return 1
	done

	# Started as root, nginx workers would run as nobody and could not
	# reach the socket (see the notes on nginx in tests).
	[ "$(id -u)" != 0 ] || user_line="user root;"
	for try in 1 2 3 4 5; do
		stack_nginx_conf "$http_port" "$user_line"
		# nginx writes its pid file once it has bound the port.
		rm -f "$STACK_DIR/nginx.pid"
		stack_spawn nginx nginx -p "$STACK_DIR" -c "$STACK_DIR/nginx.conf" -e "$STACK_DIR/nginx-error.log"
		stack_wait "nginx on port $http_port" 10 test -s "$STACK_DIR/nginx.pid" &&
		    stack_alive nginx && break
		stack_unspawn
		[ "$try" != 5 ] || return 1
		http_port=$(stack_free_port) || return 1
	done
	# base_url names the port nginx got (form posts are checked against
	# it), so the FastCGI server starts after nginx: nginx only connects to
	# its socket per request.
	STACK_BASE_URL="http://127.0.0.1:$http_port"

	cat >"$STACK_DIR/ftsuccess.conf" <<CONF
database = $STACK_DIR/ftsuccess.db
base_url = $STACK_BASE_URL
auth = none
templates_dir = $src/www/templates
static_dir = $src/www/static
secret_file = $STACK_DIR/secret
smtp_url = smtp://127.0.0.1:$smtp_port
smtp_from = FastTrack Success <ftsuccess@fasttrack.example>
organizer_name = Fiona Manager
organizer_email = fiona.manager@fasttrack.example
poll_interval = 1
smtp_timeout = 10
smtp_connect_timeout = 5
mail_copy_dir = $STACK_DIR/mailcopy
locale_dir = $build/po/locale
CONF

	stack_spawn fcgi "$fcgi" --config "$STACK_DIR/ftsuccess.conf" \
	    --listen "unix:$STACK_DIR/fcgi.sock" --workers 2 --socket-mode 0660
	stack_wait "ftsuccess.fcgi socket" 10 test -S "$STACK_DIR/fcgi.sock" || return 1

	stack_wait "GET /healthz through nginx" 10 \
	    curl -fsS -o /dev/null "$STACK_BASE_URL/healthz" || return 1

	stack_spawn notifier "$notifier" --config "$STACK_DIR/ftsuccess.conf" --verbose
	sleep 0.3
	kill -0 "${STACK_PIDS[${#STACK_PIDS[@]} - 1]}" 2>/dev/null ||
	    { stack_log "the notifier exited at once:"; cat "$STACK_DIR/notifier.log" >&2; return 1; }
	return 0
}
