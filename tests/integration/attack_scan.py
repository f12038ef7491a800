#!/usr/bin/python3
"""attack_scan.py -- the checks of tests/integration/attack.sh over what the stack answered.

  attack_scan.py responses DIR   every answer kept by lib.sh's req (DIR/N.h, DIR/N.b):
                                 HTML and SVG must hold no hostile markup unescaped,
                                 calendars must pass the calendar checks below
  attack_scan.py mails DIR       every DIR/*.eml the notifier wrote (--dry-run): headers
                                 must be the expected ones, ASCII only, no injected
                                 recipient; HTML parts as above; calendars as below

A calendar (RFC 5545) passes when its lines end in CRLF, each is at most 75
octets, no unfolded content line is an injected property (X-EVIL..., a second
ATTENDEE/ORGANIZER for the attacker) and TEXT values (SUMMARY, DESCRIPTION,
LOCATION, COMMENT) escape ';', ',' and '\\' (section 3.3.11).

Prints one "# ..." line of figures and one line per finding; exits 1 when
anything was found.
"""
import email
import email.policy
import os
import re
import sys

# Hostile markup as it would appear if a payload of attack.sh reached a page
# unescaped.  Escaped text shows "&lt;", "&quot;", "&#39;" instead.
XSS = [
    re.compile(r'<script>alert\(', re.I),
    re.compile(r'<img src=x onerror', re.I),
    re.compile(r'<svg/onload', re.I),
    re.compile(r'</style></title>', re.I),
    re.compile(r'"><img', re.I),
    re.compile(r"' onmouseover='", re.I),
    re.compile(r'" onmouseover="', re.I),
    re.compile(r'<iframe srcdoc', re.I),
    # A hostile URL is harmless as text, not as a link target.
    re.compile(r'''(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*javascript:''', re.I),
]
INJECTED_PROPS = re.compile(r'^(X-EVIL|BEGIN:VALARM|ATTACH|ATTENDEE[^:]*:mailto:evil@|ORGANIZER[^:]*:mailto:evil@)', re.I)
TEXT_PROPS = {'SUMMARY', 'DESCRIPTION', 'LOCATION', 'COMMENT'}
TEXT_VALUE = re.compile(r'^(?:[^\\;,]|\\[\\;,nN])*$')
HEADERS_OK = {'date', 'from', 'to', 'cc', 'subject', 'message-id', 'mime-version',
              'content-type', 'content-transfer-encoding', 'content-disposition'}

# The same payloads escaped: proof that a page did show them.
ESCAPED = re.compile(r'&lt;(script&gt;alert\(|img src=x onerror|svg/onload)', re.I)

findings = []


def xss_check(what, text):
    for rx in XSS:
        m = rx.search(text)
        if m:
            start = max(0, m.start() - 60)
            findings.append('%s: unescaped %r near: %s' % (what, m.group(0), text[start:m.end() + 60]))


def ics_check(what, data):
    if isinstance(data, str):
        data = data.encode('utf-8', 'surrogateescape')
    if not data.endswith(b'\r\n'):
        findings.append('%s: calendar does not end in CRLF' % what)
    raw = data.split(b'\r\n')[:-1]
    for i, line in enumerate(raw):
        if b'\r' in line or b'\n' in line or b'\0' in line:
            findings.append('%s: bare CR/LF/NUL in calendar line %d: %r' % (what, i + 1, line[:80]))
        if len(line) > 75:
            findings.append('%s: calendar line %d is %d octets' % (what, i + 1, len(line)))
    lines = []
    for line in raw:
        if line[:1] in (b' ', b'\t') and lines:
            lines[-1] += line[1:]
        else:
            lines.append(line)
    vevents = 0
    for line in lines:
        text = line.decode('utf-8', 'replace')
        if INJECTED_PROPS.match(text):
            findings.append('%s: injected calendar property: %s' % (what, text[:120]))
        m = re.match(r'^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$', text)
        if not m:
            findings.append('%s: calendar line is not NAME[;params]:value: %s' % (what, text[:120]))
            continue
        name, value = m.group(1).upper(), m.group(3)
        if name == 'BEGIN' and value == 'VEVENT':
            vevents += 1
        if name in TEXT_PROPS and not TEXT_VALUE.match(value):
            findings.append('%s: %s value not escaped as RFC 5545 TEXT: %s' % (what, name, value[:120]))
    if vevents != 1:
        findings.append('%s: %d VEVENTs, want 1' % (what, vevents))


def responses(d):
    views = {'html': 0, 'svg': 0, 'ics': 0, 'trends': 0, 'escaped': 0}
    names = sorted((f for f in os.listdir(d) if f.endswith('.h')), key=lambda f: int(f[:-2]))
    for h in names:
        n = h[:-2]
        with open(os.path.join(d, h), 'rb') as f:
            head = f.read().decode('latin-1')
        with open(os.path.join(d, n + '.b'), 'rb') as f:
            body = f.read()
        m = re.search(r'^content-type:\s*([^;\r\n]*)', head, re.I | re.M)
        ctype = m.group(1).strip().lower() if m else ''
        what = 'response %s (%s)' % (n, ctype or 'no type')
        if ctype in ('text/html', 'image/svg+xml'):
            views['html' if ctype == 'text/html' else 'svg'] += 1
            text = body.decode('utf-8', 'replace')
            views['trends'] += text.count('<svg class="trend"')
            views['escaped'] += 1 if ESCAPED.search(text) else 0
            xss_check(what, text)
        elif ctype == 'text/calendar':
            views['ics'] += 1
            ics_check(what, body)
    print('# responses: %d HTML pages, %d SVG files, %d inline SVG trends, %d calendars scanned;'
          ' %d pages show a payload escaped'
          % (views['html'], views['svg'], views['trends'], views['ics'], views['escaped']))


def mails(d):
    n = parts = cals = escaped = 0
    for name in sorted(os.listdir(d)):
        if not name.endswith('.eml'):
            continue
        n += 1
        with open(os.path.join(d, name), 'rb') as f:
            raw = f.read()
        head = raw.split(b'\r\n\r\n', 1)[0]
        if any(b > 0x7e or (b < 0x20 and b not in (9, 10, 13)) for b in head):
            findings.append('%s: header block holds a non-ASCII or control byte' % name)
        for line in re.split(rb'\r\n(?![ \t])', head):
            if re.search(rb'(?<!\r)\n|\r(?!\n)', line):
                findings.append('%s: bare CR or LF in a header: %r' % (name, line[:100]))
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        for key in msg.keys():
            if key.lower() not in HEADERS_OK:
                findings.append('%s: unexpected header %s: %s' % (name, key, str(msg[key])[:100]))
        # A display name may say anything once encoded; an address must not be the attacker's.
        for key in ('to', 'cc', 'from'):
            for v in msg.get_all(key) or []:
                for a in getattr(v, 'addresses', ()):
                    if 'attacker' in a.addr_spec.lower():
                        findings.append('%s: %s sends to the attacker: %s' % (name, key, a.addr_spec))
        for part in msg.walk():
            if part.is_multipart():
                continue
            parts += 1
            ctype = part.get_content_type()
            payload = part.get_payload(decode=True) or b''
            if ctype == 'text/html':
                text = payload.decode('utf-8', 'replace')
                xss_check('%s (text/html)' % name, text)
                escaped += 1 if ESCAPED.search(text) else 0
            elif ctype in ('text/calendar', 'application/ics'):
                cals += 1
                ics_check('%s (%s)' % (name, ctype), payload)
    print('# mails: %d messages, %d parts, %d calendar parts scanned; %d HTML parts show a payload escaped'
          % (n, parts, cals, escaped))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ('responses', 'mails'):
        sys.stderr.write('usage: attack_scan.py responses|mails DIR\n')
        return 2
    (responses if sys.argv[1] == 'responses' else mails)(sys.argv[2])
    for f in findings:
        print('FOUND: ' + f)
    return 1 if findings else 0


if __name__ == '__main__':
    sys.exit(main())
