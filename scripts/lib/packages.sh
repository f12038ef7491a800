# shellcheck shell=bash
# scripts/lib/packages.sh -- install missing Debian packages non-interactively
# (sourced by bash; the same logic as scripts/test step 1).
#
#   pkg_installed NAME          0 when dpkg has NAME installed
#   pkg_missing ENTRY...        print the entries none of whose "a|b"
#                               alternatives is installed (first alternative)
#   pkg_install LOG ENTRY...    apt-get install what pkg_missing names, output
#                               to LOG; returns apt's status (0 when nothing
#                               was missing).  Needs root or sudo.  Services
#                               the packages ship (nginx, postfix) are not
#                               started, and postfix is preseeded to configure
#                               no MTA.

pkg_installed() {
	dpkg -s "$1" 2> /dev/null | grep -q '^Status: install ok installed'
}

pkg_missing() {
	local entry alt have
	local -a alts
	for entry in "$@"; do
		have=0
		IFS='|' read -r -a alts <<< "$entry"
		for alt in "${alts[@]}"; do
			if pkg_installed "$alt"; then
				have=1
				break
			fi
		done
		[ "$have" = 1 ] || echo "${alts[0]}"
	done
}

pkg_install() {
	local log=$1 sudo="" rc=0 policy=/usr/sbin/policy-rc.d made_policy=0
	local -a missing
	shift
	mapfile -t missing < <(pkg_missing "$@")
	[ ${#missing[@]} -gt 0 ] || return 0
	echo "installing Debian packages: ${missing[*]} (log: $log)" >&2
	if [ "$(id -u)" != 0 ]; then
		command -v sudo > /dev/null ||
		    { echo "need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
		sudo=sudo
	fi
	# postfix is only ever wanted for smtp-sink: "No configuration" leaves no MTA.
	echo "postfix postfix/main_mailer_type select No configuration" |
	    $sudo debconf-set-selections 2> /dev/null || true
	# Keep apt from starting nginx or apache2 services
	# (policy-rc.d exit 101 = "action forbidden", see invoke-rc.d(8)).
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" > /dev/null
		$sudo chmod 755 "$policy"
		made_policy=1
	fi
	# Wait for another apt run rather than fail on its lock.
	$sudo apt-get -o DPkg::Lock::Timeout=300 update -qq > "$log" 2>&1 || rc=$?
	if [ "$rc" = 0 ]; then
		$sudo env DEBIAN_FRONTEND=noninteractive \
		    apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
		    --no-install-recommends "${missing[@]}" >> "$log" 2>&1 || rc=$?
	fi
	[ "$made_policy" = 0 ] || $sudo rm -f "$policy"
	return "$rc"
}
