/* main.c -- ftsuccess-admin: what an operator does from a shell (users, database check and backup). */
#include "autoconfig.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "playbook.h"
#include "result.h"
#include "store.h"

#define PROGNAME	"ftsuccess-admin"

/* Exit statuses (ftsuccess-admin(8), EXIT STATUS). */
#define ADMIN_OK	0	/* done */
#define ADMIN_FAIL	1	/* refused or failed: configuration, database, a value, a check */
#define ADMIN_USAGE	2	/* a wrong command line */

static void
admin_usage(FILE *f)
{
	fprintf(f,
	    "usage: " PROGNAME " [--config PATH] COMMAND [ARGUMENTS] [OPTIONS]\n"
	    "\n"
	    "  user list                     every user: login, role, state, language, zone, ...\n"
	    "  user add LOGIN [options]      a new user (default: active fm, the browser's language, UTC)\n"
	    "  user edit LOGIN [options]     change the options given\n"
	    "  user disable LOGIN            the login can no longer sign in\n"
	    "  db check                      integrity check and schema version\n"
	    "  db backup FILE                an online, consistent copy into a new FILE\n"
	    "\n"
	    "  -c, --config PATH       configuration file (default: $FTSUCCESS_CONFIG, then\n"
	    "                          " SYSCONFDIR "/ftsuccess.conf)\n"
	    "  -n, --name TEXT         display name\n"
	    "  -e, --email ADDRESS     e-mail address (\"\" for none)\n"
	    "  -r, --role ROLE         fm, manager or admin\n"
	    "  -l, --language LANG     en, pt-BR, or \"\" (the browser's)\n"
	    "  -z, --timezone ZONE     IANA time zone, e.g. America/Sao_Paulo\n"
	    "  -m, --meeting-url URL   default online-meeting link (https://; \"\" for none)\n"
	    "  -a, --active yes|no     enable or disable (user edit)\n"
	    "  -h, --help              this help\n"
	    "  -V, --version           the version\n"
	    "\n"
	    "Exit status: 0 done, 1 refused or failed (configuration, database, a value,\n"
	    "a failed check), 2 bad usage.\n");
}

struct admin_args {
	const char			*cfgpath, *active;
	struct playbook_user_input	 in;
	char				*words[3];	/* e.g. "user" "add" "ana" */
	int				 nwords;
};

static int
admin_args_parse(int argc, char *argv[], struct admin_args *a)
{
	static const struct cli_program prog = {
		.name = PROGNAME, .version = PROGNAME " " PACKAGE_VERSION, .usage = admin_usage,
		.operands = 3,
	};
	const struct cli_option opts[] = {
		{ .name = "config", .letter = 'c', .kind = CLI_STRING, .target = &a->cfgpath },
		{ .name = "name", .letter = 'n', .kind = CLI_STRING, .target = &a->in.display_name },
		{ .name = "email", .letter = 'e', .kind = CLI_STRING, .target = &a->in.email },
		{ .name = "role", .letter = 'r', .kind = CLI_STRING, .target = &a->in.role },
		{ .name = "language", .letter = 'l', .kind = CLI_STRING, .target = &a->in.language },
		{ .name = "timezone", .letter = 'z', .kind = CLI_STRING, .target = &a->in.timezone },
		{ .name = "meeting-url", .letter = 'm', .kind = CLI_STRING,
		    .target = &a->in.meeting_url },
		{ .name = "active", .letter = 'a', .kind = CLI_STRING, .target = &a->active },
		{ .name = "help", .letter = 'h', .kind = CLI_HELP },
		{ .name = "version", .letter = 'V', .kind = CLI_VERSION },
	};
	int rc;

	memset(a, 0, sizeof(*a));
	a->in.active = -1;
	if ((rc = cli_parse(&prog, opts, sizeof(opts) / sizeof(opts[0]), argc, argv)) != -1)
		return rc;
	for (; optind < argc && a->nwords < 3; optind++)
		a->words[a->nwords++] = argv[optind];
	if (a->active != NULL) {
		if (strcmp(a->active, "yes") == 0)
			a->in.active = 1;
		else if (strcmp(a->active, "no") == 0)
			a->in.active = 0;
		else {
			fprintf(stderr, PROGNAME ": --active must be yes or no, not '%s'\n", a->active);
			return ADMIN_USAGE;
		}
	}
	return -1;
}

/* The command named by the words, with how many words it takes. */
enum admin_cmd { CMD_USER_LIST, CMD_USER_ADD, CMD_USER_EDIT, CMD_USER_DISABLE, CMD_DB_CHECK,
	CMD_DB_BACKUP, CMD__MAX };
static const struct admin_cmd_row {
	const char	*noun, *verb;
	int		 nwords;	/* noun, verb and the operand when it takes one */
} admin_cmds[CMD__MAX] = {
	[CMD_USER_LIST] = { .noun = "user", .verb = "list", .nwords = 2 },
	[CMD_USER_ADD] = { .noun = "user", .verb = "add", .nwords = 3 },
	[CMD_USER_EDIT] = { .noun = "user", .verb = "edit", .nwords = 3 },
	[CMD_USER_DISABLE] = { .noun = "user", .verb = "disable", .nwords = 3 },
	[CMD_DB_CHECK] = { .noun = "db", .verb = "check", .nwords = 2 },
	[CMD_DB_BACKUP] = { .noun = "db", .verb = "backup", .nwords = 3 },
};

/* The command, or -1 after saying what is wrong with the words. */
static int
admin_cmd_find(const struct admin_args *a)
{
	size_t i;

	if (a->nwords < 2) {
		fprintf(stderr, PROGNAME ": %s (try --help)\n", a->nwords == 0 ?
		    "no command given" : "a command is two words, e.g. 'user list'");
		return -1;
	}
	for (i = 0; i < CMD__MAX; i++) {
		if (strcmp(a->words[0], admin_cmds[i].noun) != 0 ||
		    strcmp(a->words[1], admin_cmds[i].verb) != 0)
			continue;
		if (a->nwords != admin_cmds[i].nwords) {
			fprintf(stderr, PROGNAME ": '%s %s' takes %s (try --help)\n", a->words[0],
			    a->words[1], admin_cmds[i].nwords == 3 ? "one argument" : "no argument");
			return -1;
		}
		return (int)i;
	}
	fprintf(stderr, PROGNAME ": unknown command '%s %s' (try --help)\n", a->words[0], a->words[1]);
	return -1;
}

static void
admin_user_print(const struct store_user *u)
{
	printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u->login, u->role,
	    u->active ? "active" : "disabled", u->language[0] ? u->language : "-", u->timezone,
	    u->email[0] ? u->email : "-", u->display_name, u->meeting_url[0] ? u->meeting_url : "-");
}

static int
admin_user_list(struct store *st, struct result *r)
{
	struct store_user	*list;
	size_t			 n, i;

	if (store_user_list(st, &list, &n, r) == -1)
		return -1;
	printf("login\trole\tstate\tlanguage\ttimezone\temail\tname\tmeeting_url\n");
	for (i = 0; i < n; i++)
		admin_user_print(&list[i]);
	free(list);
	return 0;
}

static int
admin_db_check(struct store *st, struct result *r)
{
	struct result	 nr;
	char		 why[256], note[512];
	int		 version = store_schema_version(st), rc;

	rc = store_integrity_check(st, why, sizeof(why), r);
	printf("integrity: %s\n", why[0] ? why : "not checked");
	printf("schema version: %d (this program: %d)\n", version, store_schema_latest());
	/* What migration 9 did with the owner_fm names it found. */
	if (store_audit_last(st, "users_from_owner_fm", note, sizeof(note), &nr) == 0)
		printf("migration 9 (users from owner_fm): %s\n", note);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct admin_args	 a;
	struct config		 cfg;
	struct store		*st = NULL;
	struct playbook		 pb;
	struct result		 r;
	struct passwd		*pw;
	char			 actor[160];
	int			 status, cmd;

	if ((status = admin_args_parse(argc, argv, &a)) != -1)
		return status;
	if ((cmd = admin_cmd_find(&a)) == -1)
		return ADMIN_USAGE;
	result_clear(&r);
	if (config_load(&cfg, a.cfgpath, &r) == -1) {
		fprintf(stderr, PROGNAME ": %s\n", r.message);
		return ADMIN_FAIL;
	}
	if (store_open(&st, cfg.database, &r) == -1) {
		fprintf(stderr, PROGNAME ": %s\n", r.message);
		return ADMIN_FAIL;
	}
	/* The audit trail names the operator: the program and the account that ran it. */
	pw = getpwuid(getuid());
	snprintf(actor, sizeof(actor), PROGNAME ":%s", pw != NULL ? pw->pw_name : "uid");
	memset(&pb, 0, sizeof(pb));
	pb.st = st;
	pb.actor = actor;
	pb.now = (int64_t)time(NULL);
	pb.role = PLAYBOOK_ROLE_ADMIN;
	a.in.login = cmd == CMD_USER_ADD ? a.words[2] : NULL;

	switch ((enum admin_cmd)cmd) {
	case CMD_USER_LIST:
		status = admin_user_list(st, &r);
		break;
	case CMD_USER_ADD:
		status = playbook_user_add(&pb, &a.in, NULL, &r);
		break;
	case CMD_USER_DISABLE:
		a.in.active = 0;
		/* FALLTHROUGH */
	case CMD_USER_EDIT:
		status = playbook_user_edit(&pb, a.words[2], &a.in, &r);
		break;
	case CMD_DB_CHECK:
		status = admin_db_check(st, &r);
		break;
	case CMD_DB_BACKUP:
		status = store_backup(st, a.words[2], &r);
		break;
	case CMD__MAX:
		break;
	}
	if (status == -1)
		fprintf(stderr, PROGNAME ": %s\n", r.message);
	else if (cmd == CMD_USER_ADD || cmd == CMD_USER_EDIT || cmd == CMD_USER_DISABLE)
		printf("user %s %s\n", a.words[2], cmd == CMD_USER_ADD ? "added" :
		    cmd == CMD_USER_EDIT ? "changed" : "disabled");
	else if (cmd == CMD_DB_BACKUP)
		printf("backup written to %s\n", a.words[2]);
	store_close(st);
	return status == -1 ? ADMIN_FAIL : ADMIN_OK;
}
