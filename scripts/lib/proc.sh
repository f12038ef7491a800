# shellcheck shell=bash
# scripts/lib/proc.sh -- process and port helpers shared by scripts/demo and
# the integration tests (sourced by bash; defines functions only).
#
#   port_busy PORT              0 when something accepts on 127.0.0.1:PORT
#   free_port [FIRST]           a free loopback port (FIRST and up, else random)
#   wait_port PORT [SECONDS]    until something accepts on 127.0.0.1:PORT
#   wait_sock PATH [SECONDS]    until PATH is a unix socket
#   pid_alive PID               0 when PID is a running process (not a zombie)
#   pidfile_read FILE           the PID in FILE when that process runs, else nothing
#                               (the file also holds its start time: a recycled
#                               pid does not count)
#   spawn_group PIDFILE LOG CMD...  run CMD in a session (and process group)
#                               of its own, output appended to LOG, pid in PIDFILE
#   stop_group PIDFILE [SECONDS]    TERM the process group of PIDFILE, KILL it
#                               after SECONDS (default 10), remove PIDFILE
#   group_alive PID             0 while any process of group PID is left

port_busy() {
	(exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null
}

free_port() {
	local p=${1:-} i
	if [ -n "$p" ]; then
		for ((i = 0; i < 50; i++, p++)); do
			port_busy "$p" || { echo "$p"; return 0; }
		done
	fi
	# Below the ephemeral range, where an outgoing connection may take it.
	local lo=32768
	read -r lo _ < /proc/sys/net/ipv4/ip_local_port_range 2> /dev/null || lo=32768
	[ "$lo" -gt 21000 ] || lo=32768
	for ((i = 0; i < 200; i++)); do
		p=$((20000 + RANDOM % (lo - 20000)))
		port_busy "$p" || { echo "$p"; return 0; }
	done
	return 1
}

wait_port() {
	local i n=$((${2:-10} * 10))
	for ((i = 0; i < n; i++)); do
		port_busy "$1" && return 0
		sleep 0.1
	done
	return 1
}

wait_sock() {
	local i n=$((${2:-10} * 10))
	for ((i = 0; i < n; i++)); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

pid_alive() {
	local state
	[ -n "$1" ] && kill -0 "$1" 2> /dev/null || return 1
	# A zombie answers kill -0 but is gone for every purpose here.
	state=$(ps -o stat= -p "$1" 2> /dev/null) || return 1
	[ "${state#Z}" = "$state" ]
}

# Start time of a process in clock ticks since boot (field 22 of
# /proc/PID/stat, counted after the parenthesised command name).
proc_start() {
	sed 's/^.*) //' "/proc/$1/stat" 2> /dev/null | awk '{ print $20 }'
}

# pid of a pid file written by spawn_group ("PID STARTTIME"), unless that
# pid now belongs to another process (other start time).  When the process
# is gone its pid is still printed: its group may have members left, and
# Linux reuses no pid while a process group of that id exists.
pidfile_pid() {
	local pid="" start="" now
	[ -f "$1" ] || return 0
	read -r pid start < "$1" 2> /dev/null || true
	case "$pid" in
	'' | *[!0-9]*) return 0 ;;
	esac
	now=$(proc_start "$pid")
	[ -z "$now" ] || [ -z "$start" ] || [ "$now" = "$start" ] || return 0
	echo "$pid"
}

pidfile_read() {
	local pid
	pid=$(pidfile_pid "$1")
	[ -n "$pid" ] && pid_alive "$pid" && echo "$pid"
	return 0
}

# Every live process whose process group is $1 (ps prints nothing when none).
group_pids() {
	ps -e -o pid=,pgid=,stat= | awk -v g="$1" '$2 == g && $3 !~ /^Z/ { print $1 }'
}

group_alive() {
	[ -n "$(group_pids "$1")" ]
}

spawn_group() {
	local pidfile=$1 log=$2
	shift 2
	# setsid execs without forking (a background job of a script is not a
	# group leader), so $! is the program and its pid is its group's id.
	setsid "$@" < /dev/null >> "$log" 2>&1 &
	SPAWNED_PID=$!
	echo "$SPAWNED_PID $(proc_start "$SPAWNED_PID")" > "$pidfile"
}

stop_group() {
	local pidfile=$1 secs=${2:-10} pid i
	pid=$(pidfile_pid "$pidfile")
	[ -n "$pid" ] || { rm -f "$pidfile"; return 0; }
	# The group outlives its leader when children are left: stop by group.
	if group_alive "$pid"; then
		kill -TERM -- "-$pid" 2> /dev/null || true
		for ((i = 0; i < secs * 10; i++)); do
			group_alive "$pid" || break
			sleep 0.1
		done
		if group_alive "$pid"; then
			echo "process group $pid still running after ${secs}s: killing it" >&2
			kill -KILL -- "-$pid" 2> /dev/null || true
			for ((i = 0; i < 20; i++)); do
				group_alive "$pid" || break
				sleep 0.1
			done
		fi
	fi
	# Reap it when it is our child (foreground mode); harmless otherwise.
	wait "$pid" 2> /dev/null || true
	rm -f "$pidfile"
}
