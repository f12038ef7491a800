/* sample_data.c -- ftsuccess-sample-data: fills a database with demo (sample_demo.c) or synthetic customers through the playbook rules. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "atomicfile.h"
#include "catalog.h"
#include "cli.h"
#include "playbook.h"
#include "result.h"
#include "store.h"
#include "text.h"
#include "usagecsv.h"
#include "sample_data.h"

/* ---------------------------------------------------------------- helpers */

/* splitmix64: small, fast and the same on every platform for a given seed. */
static uint64_t
rnd_next(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform integer in [lo, hi]. */
long long
sample_rnd_range(struct gen *g, long long lo, long long hi)
{
	if (hi <= lo)
		return lo;
	return lo + (long long)(rnd_next(g) % (uint64_t)(hi - lo + 1));
}

/* Uniform double in [0, 1). */
double
sample_rnd_unit(struct gen *g)
{
	return (double)(rnd_next(g) >> 11) / 9007199254740992.0;
}

const char *
sample_rnd_pick(struct gen *g, const char *const *pool, size_t n)
{
	return pool[sample_rnd_range(g, 0, (long long)n - 1)];
}

/* Set the playbook clock to noon UTC of `day` plus `seq` seconds (keeps events of a day in order). */
void
sample_clock_at(struct gen *g, int32_t day, int seq)
{
	int64_t t = (int64_t)day * DAY + NOON + seq;

	g->pb.now = t < g->end_now ? t : g->end_now;
}

void
sample_date_of(int32_t day, char *buf, size_t size)
{
	text_date_format(day, buf, size);
}

/* Report a refused playbook call with what was being done; always -1. */
int
sample_failed(const char *customer, const char *what, const struct result *r)
{
	if (r->field[0])
		fprintf(stderr, "%s: %s: %s: %s (field %s)\n", PROG, customer, what, r->message,
		    r->field);
	else
		fprintf(stderr, "%s: %s: %s: %s\n", PROG, customer, what, r->message);
	return -1;
}

/*
 * AU percent of a service `x` of the way (0..1) from activation to the last
 * sample: an S-curve from start to end, as adoption typically goes (slow
 * pilot, a wave of users, a plateau).  Normalised so x = 0 gives start and
 * x = 1 gives end exactly.
 */
double
sample_au_curve(double start, double end, double x)
{
	double lo = 1.0 / (1.0 + exp(4.0)), hi = 1.0 / (1.0 + exp(-4.0));
	double s = 1.0 / (1.0 + exp(-8.0 * (x - 0.5)));

	return start + (end - start) * (s - lo) / (hi - lo);
}

/* Active users for a percentage of eligible, never above eligible. */
long long
sample_active_of(double pct, long long eligible)
{
	long long a;

	if (pct < 0)
		pct = 0;
	a = llround(pct * (double)eligible / 100.0);
	return a > eligible ? eligible : a;
}

/* ---------------------------------------------------------------- synthetic customers */

static const char *const syn_first[] = {
	"Atlântica", "Boreal", "Cedro", "Delta", "Estrela", "Fjord", "Granito", "Horizonte",
	"Iris", "Jacarandá", "Kestrel", "Lumen", "Meridian", "Norte", "Orion", "Pinheiro",
	"Quasar", "Rio Claro", "Solar", "Tejo", "Umbra", "Vértice", "Weiden", "Zenit",
};
static const char *const syn_second[] = {
	"Logística", "Seguros", "Energia", "Foods", "Health", "Metalúrgica", "Retail",
	"Engenharia", "Pharma", "Telecom", "Têxtil", "Consulting", "Bank", "Agro", "Media",
};
static const char *const syn_suffix[] = {
	"Ltda.", "S.A.", "GmbH", "Inc.", "K.K.", "Lda.", "AG", "LLC", "B.V.",
};
static const char *const syn_tz[] = {
	"America/Sao_Paulo", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/Lisbon",
	"America/Chicago", "Europe/London", "Asia/Kolkata", "Australia/Sydney", "America/Bogota",
	"Africa/Johannesburg", "Asia/Singapore", "Europe/Madrid", "America/Mexico_City", "UTC",
};
static const char *const syn_people[] = {
	"Ana Souza", "Bruno Oliveira", "Camila Rocha", "Diego Fernandes", "Élodie Martin",
	"Felix Bauer", "Grace Kim", "Hiroshi Ito", "Isabela Duarte", "Jonas Weber",
	"Kavya Nair", "Lucas Pereira", "Marta Jiménez", "Nuno Cardoso", "Olga Petrova",
};
static const char *const syn_fm[] = { "demo", "carlos.mendes", "ana.fm", "li.wei" };
/*
 * The people (issue 11): the demo's two FMs and their manager, and two more
 * FMs the synthetic customers are spread over (syn_fm).  demo is the FM
 * scripts/demo acts as by default (config demo_user).
 */
static const struct sample_user {
	const char	*login, *name, *email, *role, *language, *timezone, *meeting_url;
	int		 synthetic;	/* only when synthetic customers are made */
} sample_users[] = {
	/* No language of her own: the demo speaks the visitor's browser's (Accept-Language). */
	{ .login = "demo", .name = "Beatriz Lima", .email = "beatriz.lima@fasttrack.example",
	    .role = "fm", .language = "", .timezone = "America/Sao_Paulo",
	    .meeting_url = "https://teams.example/l/meetup-join/beatriz.lima" },
	{ .login = "carlos.mendes", .name = "Carlos Mendes", .email = "carlos.mendes@fasttrack.example",
	    .role = "fm", .language = "en", .timezone = "Europe/Lisbon",
	    .meeting_url = "https://teams.example/l/meetup-join/carlos.mendes" },
	{ .login = "marina.costa", .name = "Marina Costa", .email = "marina.costa@fasttrack.example",
	    .role = "manager", .language = "pt-BR", .timezone = "America/Sao_Paulo" },
	{ .login = "ana.fm", .name = "Ana Ferreira", .email = "ana.fm@fasttrack.example",
	    .role = "fm", .language = "pt-BR", .timezone = "America/Sao_Paulo", .synthetic = 1 },
	{ .login = "li.wei", .name = "Li Wei", .email = "li.wei@fasttrack.example",
	    .role = "fm", .language = "en", .timezone = "Asia/Singapore", .synthetic = 1 },
};

/* Add the users the customers need (those already there are kept as they are). */
static int
sample_users_add(struct gen *g, int synthetic)
{
	struct playbook			 admin = g->pb;
	struct playbook_user_input	 in;
	struct store_user		 u;
	struct result			 r;
	size_t				 i;

	admin.actor = PROG;
	admin.role = PLAYBOOK_ROLE_ADMIN;
	admin.now = g->end_now;
	for (i = 0; i < sizeof(sample_users) / sizeof(sample_users[0]); i++) {
		const struct sample_user *su = &sample_users[i];

		if ((su->synthetic && !synthetic) ||
		    store_user_get_login(g->st, su->login, &u, &r) == 0)
			continue;
		in = (struct playbook_user_input){ .login = su->login, .display_name = su->name,
		    .email = su->email, .role = su->role, .language = su->language,
		    .timezone = su->timezone, .meeting_url = su->meeting_url, .active = 1 };
		g->calls++;
		if (playbook_user_add(&admin, &in, NULL, &r) == -1)
			return sample_failed(su->login, "add user", &r);
	}
	return 0;
}

static const char *const syn_services[] = {
	"exchange", "sharepoint", "onedrive", "teams", "yammer", "outlook_mobile", "office_proplus",
};

/* The customer, its one or two contacts and (three times in ten) a CSM; *csm says which. */
static int
synthetic_create(struct gen *g, long long index, const char *domain, int64_t *id, int *csm,
    struct result *r)
{
	struct playbook_customer_input	 ci;
	char				 name[200], email[2][96];
	size_t				 i, n_contacts;

	g->pb.now = g->end_now;
	g->pb.actor = PICK(g, syn_fm);
	snprintf(name, sizeof(name), "%s %s %s", PICK(g, syn_first), PICK(g, syn_second),
	    PICK(g, syn_suffix));
	memset(&ci, 0, sizeof(ci));
	ci.name = name;
	ci.tenant_domain = domain;
	ci.timezone = PICK(g, syn_tz);
	ci.owner_fm = g->pb.actor;
	ci.cadence_weeks = sample_rnd_unit(g) < 0.2 ? 1 : 2;
	g->calls++;
	if (playbook_customer_create(&g->pb, &ci, id, r) == -1)
		return sample_failed(domain, "create", r);

	n_contacts = (size_t)sample_rnd_range(g, 1, 2);
	for (i = 0; i < n_contacts; i++) {
		snprintf(email[i], sizeof(email[i]), "contact%zu@sample-%06lld.example", i + 1, index);
		g->calls++;
		if (playbook_contact_add(&g->pb, *id, PICK(g, syn_people), email[i], i == 0, NULL,
		    r) == -1)
			return sample_failed(domain, "contact", r);
	}
	*csm = sample_rnd_unit(g) < 0.3;
	if (*csm) {
		g->calls++;
		if (playbook_csm_assign(&g->pb, *id, PICK(g, syn_people), "csm@sample.example", NULL, r) == -1)
			return sample_failed(domain, "csm", r);
	}
	return 0;
}

/*
 * Two to four distinct services, live 3 to 12 weeks ago, with weekly AU
 * samples imported in one transaction; covered[] gets those the FM's
 * check-ins cover (not the modern-comms ones a CSM leads).
 */
static int
synthetic_services(struct gen *g, int64_t id, int csm, const char *covered[4], size_t *nc,
    struct result *r)
{
	struct playbook_service_input	 si;
	struct usagecsv_sample		*samples = NULL;
	json_object			*report = NULL;
	const char			*picked[4];
	char				 on[11];
	size_t				 np = 0, ns = 0, want, imported, i, j;
	int32_t				 act[4];
	long long			 elig;
	int				 rc = -1;

	want = (size_t)sample_rnd_range(g, 2, 4);
	while (np < want) {
		const char *k = PICK(g, syn_services);

		for (j = 0; j < np && strcmp(picked[j], k) != 0; j++)
			;
		if (j < np)
			continue;
		act[np] = g->today - (int32_t)sample_rnd_range(g, 21, 84);
		picked[np++] = k;
	}
	if ((samples = calloc(np * 13, sizeof(*samples))) == NULL) {
		result_set(r, RESULT_IO, NULL, "out of memory for %zu AU samples", np * 13);
		return -1;
	}
	for (i = 0; i < np; i++) {
		const struct catalog_service *cs = catalog_service_find(picked[i]);
		double end = sample_rnd_unit(g) * 30.0, start = end * sample_rnd_unit(g) * 0.3;
		int32_t day, last = g->today - 1;

		memset(&si, 0, sizeof(si));
		si.service = picked[i];
		sample_date_of(act[i], on, sizeof(on));
		si.activated_on = on;
		elig = sample_rnd_range(g, 50, 20000);
		si.licensed_users = elig;
		g->calls++;
		if (playbook_service_activate(&g->pb, id, &si, r) == -1)
			goto out;
		if (!(cs->modern_comms && csm) && *nc < 4)
			covered[(*nc)++] = picked[i];
		for (day = last; day >= act[i] + 7; day -= 7) {
			long long a = sample_active_of(sample_au_curve(start, end,
			    (double)(day - act[i]) / (double)(last - act[i])), elig);

			text_copy(samples[ns].service, sizeof(samples[ns].service), picked[i]);
			sample_date_of(day, samples[ns].measured_on, sizeof(samples[ns].measured_on));
			samples[ns].active = a;
			samples[ns].inactive = elig - a;
			ns++;
		}
	}
	/* All samples of a customer in one transaction, as a usage report import does. */
	if (ns > 0) {
		g->calls++;
		if (playbook_usage_import(&g->pb, id, samples, ns, 0, &report, &imported, r) == -1)
			goto out;
		json_object_put(report);
	}
	rc = 0;
out:
	free(samples);
	return rc;
}

/* What happens later, by chance: a check-in held, a series scheduled, a blocker opened. */
static int
synthetic_followups(struct gen *g, int64_t id, const char **covered, size_t nc,
    struct result *r)
{
	struct playbook_checkin_input	 ki;
	struct playbook_blocker_input	 bi;
	char				 on[11], next[11], starts[17];

	if (nc > 0 && sample_rnd_unit(g) < 0.85) {
		int32_t held = g->today - (int32_t)sample_rnd_range(g, 1, 25);

		sample_date_of(held, on, sizeof(on));
		sample_date_of(held + 14, next, sizeof(next));
		memset(&ki, 0, sizeof(ki));
		ki.held_on = on;
		ki.summary = PICK(g, sample_summary_en);
		ki.next_action = PICK(g, sample_action_en);
		ki.next_action_on = next;
		ki.next_action_owner = PICK(g, syn_people);
		ki.services = covered;
		ki.n_services = nc;
		g->calls++;
		if (playbook_checkin_log(&g->pb, id, &ki, NULL, r) == -1)
			return -1;
	}
	if (nc > 0 && sample_rnd_unit(g) < 0.5) {
		/* Three days ahead: a date that is still in the future in every zone. */
		sample_date_of(g->today + 3 + (int32_t)sample_rnd_range(g, 0, 7), on, sizeof(on));
		snprintf(starts, sizeof(starts), "%sT%02d:%s", on, (int)sample_rnd_range(g, 8, 16),
		    sample_rnd_unit(g) < 0.5 ? "00" : "30");
		g->calls++;
		if (playbook_meeting_schedule(&g->pb, id, starts, 30, 2, NULL, r) == -1)
			return -1;
	}
	if (sample_rnd_unit(g) < 0.25) {
		size_t nl2;
		const struct catalog_entry *l2 = catalog_list(CATALOG_L2, &nl2);

		memset(&bi, 0, sizeof(bi));
		bi.description = "Waiting on the customer's change advisory board";
		bi.owner = PICK(g, syn_people);
		bi.l2_reason = l2[sample_rnd_range(g, 0, (long long)nl2 - 1)].key;
		g->calls++;
		if (playbook_blocker_open(&g->pb, id, &bi, NULL, r) == -1)
			return -1;
	}
	return 0;
}

/*
 * One synthetic customer with everything written at the present time: the
 * dates are in the past, which the rules accept, and a fixed handful of
 * transactions per customer keeps 10,000 customers fast.
 */
static int
synthetic_customer(struct gen *g, long long index)
{
	struct result	 r;
	const char	*covered[4];
	char		 domain[64];
	size_t		 nc = 0;
	int64_t		 id;
	int		 csm;

	result_clear(&r);
	snprintf(domain, sizeof(domain), "sample-%06lld.onmicrosoft.com", index);
	if (synthetic_create(g, index, domain, &id, &csm, &r) == -1)
		return -1;
	if (synthetic_services(g, id, csm, covered, &nc, &r) == -1 ||
	    synthetic_followups(g, id, covered, nc, &r) == -1)
		return sample_failed(domain, "synthetic data", &r);
	return 0;
}

/* ---------------------------------------------------------------- scratch database */

/*
 * The store syncs every commit (synchronous=FULL), about 4 ms per playbook
 * call on a disk, so 10,000 customers (some 84,000 calls) would take minutes.
 * A new database is therefore built on a memory file system, where a sync
 * costs nothing, and copied into place once: temp file, fsync, rename, fsync
 * of the directory, so the database appears whole or not at all.
 */
static int
copy_into_place(const char *from, const char *to)
{
	struct result	r;
	mode_t		mask;

	/* Like a file the user creates: 0644 less the umask (atomicfile sets modes exactly). */
	mask = umask(0);
	umask(mask);
	if (atomicfile_copy(from, to, 0644 & ~mask, &r) == -1) {
		fprintf(stderr, "%s: %s\n", PROG, r.message);
		return -1;
	}
	return 0;
}

/* Remove a scratch database and the WAL/shared-memory files SQLite may leave beside it. */
static void
scratch_remove(const char *path)
{
	char side[4200];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

/* ---------------------------------------------------------------- main */

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: %s --database PATH [--demo] [--customers N] [--seed S]\n"
	    "       [--today DATE] [--quiet] [--scratch DIR | --direct]\n"
	    "  --demo          a dozen hand-written customers with 8-12 weeks of history\n"
	    "                  (the default when --customers is not given)\n"
	    "  --customers N   N synthetic customers (benchmarks), after the demo ones if\n"
	    "                  --demo is also given\n"
	    "  --seed S        pseudo-random seed (default 1): same seed, same data\n"
	    "  --today DATE    write history as if it were DATE (YYYY-MM-DD, 15:00 UTC,\n"
	    "                  or YYYY-MM-DDTHH:MM UTC) rather than now\n"
	    "  --quiet         print only the summary line\n"
	    "  --scratch DIR   build a new database in DIR (default /dev/shm, a memory\n"
	    "                  file system) and copy it into place at the end\n"
	    "  --direct        write to PATH directly (slow: every commit is synced)\n", PROG);
}

/* What the command line asked for. */
struct options {
	const char	*database, *today_arg, *scratch_dir;
	long long	 customers, seed;
	int		 want_demo, quiet, direct;
};

/* Read the command line into *o; -1 to go on, else the exit status (0 for --help, 2 if wrong). */
static int
parse_options(int argc, char **argv, struct options *o)
{
	static const struct cli_program prog = { .name = PROG, .usage = usage };
	const struct cli_option opts[] = {
		{ .name = "database", .letter = 'd', .kind = CLI_STRING, .target = &o->database },
		{ .name = "customers", .letter = 'n', .kind = CLI_INT, .target = &o->customers,
		    .min = 0, .max = MAX_CUSTOMERS },
		{ .name = "seed", .letter = 's', .kind = CLI_INT, .target = &o->seed,
		    .min = 0, .max = INT64_MAX },
		{ .name = "today", .letter = 't', .kind = CLI_STRING, .target = &o->today_arg },
		{ .name = "demo", .letter = 'D', .kind = CLI_FLAG, .target = &o->want_demo },
		{ .name = "quiet", .letter = 'q', .kind = CLI_FLAG, .target = &o->quiet },
		{ .name = "scratch", .letter = 'S', .kind = CLI_STRING, .target = &o->scratch_dir },
		{ .name = "direct", .letter = 'x', .kind = CLI_FLAG, .target = &o->direct },
		{ .name = "help", .letter = 'h', .kind = CLI_HELP },
	};
	int	 rc;

	memset(o, 0, sizeof(*o));
	o->scratch_dir = "/dev/shm";
	o->customers = -1;
	o->seed = 1;
	if ((rc = cli_parse(&prog, opts, sizeof(opts) / sizeof(opts[0]), argc, argv)) != -1)
		return rc;
	if (o->database == NULL) {
		usage(stderr);
		return 2;
	}
	if (o->customers < 0)
		o->want_demo = 1;
	return -1;
}

/* The generator's clock from --today (or now); -1 when --today is not a date. */
static int
clock_start(struct gen *g, const char *today_arg)
{
	int32_t	 day;

	if (today_arg != NULL) {
		int minute = 15 * 60;

		/* A date alone means 15:00 UTC; a time of day (UTC) tests other hours. */
		if (strlen(today_arg) == 10 ? text_date_parse(today_arg, &day) == -1 :
		    text_local_datetime_parse(today_arg, &day, &minute) == -1) {
			fprintf(stderr, "%s: --today \"%s\" is not YYYY-MM-DD or "
			    "YYYY-MM-DDTHH:MM (UTC)\n", PROG, today_arg);
			return -1;
		}
		g->end_now = (int64_t)day * DAY + (int64_t)minute * 60;
	} else
		g->end_now = (int64_t)time(NULL);
	/* The last day whose noon UTC is at least an hour in the past. */
	g->today = (int32_t)((g->end_now - NOON - 3600) / DAY);
	return 0;
}

/*
 * After the store is closed: move a scratch database into place when all
 * went well (rc 0), and remove the scratch file either way; the new rc.
 */
static int
scratch_finish(const char *scratch, const char *database, int rc)
{
	/* Closing the last connection checkpoints the WAL into the main file. */
	char wal[4210];

	snprintf(wal, sizeof(wal), "%s-wal", scratch);
	if (rc == 0 && access(wal, F_OK) == 0) {
		fprintf(stderr, "%s: %s-wal still exists after close; not copying\n", PROG, scratch);
		rc = 1;
	}
	if (rc == 0 && copy_into_place(scratch, database) == -1)
		rc = 1;
	scratch_remove(scratch);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options	 o;
	struct gen	 g;
	struct result	 r;
	struct timespec	 t0, t1;
	const char	*open_path;
	char		 scratch[4200] = "";
	struct stat	 sb;
	long long	 existing, i;
	int		 rc;

	if ((rc = parse_options(argc, argv, &o)) != -1)
		return rc;
	rc = 1;
	memset(&g, 0, sizeof(g));
	g.quiet = o.quiet;
	if (clock_start(&g, o.today_arg) == -1)
		return 2;
	g.rng = (uint64_t)o.seed;

	/* A new database is built in scratch space and moved into place at the end. */
	open_path = o.database;
	if (!o.direct && stat(o.database, &sb) == -1 && errno == ENOENT &&
	    stat(o.scratch_dir, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	    access(o.scratch_dir, W_OK) == 0) {
		snprintf(scratch, sizeof(scratch), "%s/%s.%ld.db", o.scratch_dir, PROG,
		    (long)getpid());
		scratch_remove(scratch);
		open_path = scratch;
	}
	result_clear(&r);
	if (store_open(&g.st, open_path, &r) == -1) {
		fprintf(stderr, "%s: %s\n", PROG, r.message);
		if (scratch[0])
			scratch_remove(scratch);
		return 1;
	}
	g.pb.st = g.st;
	g.pb.default_cadence_weeks = 2;
	existing = store_count(g.st, "customer");
	if (existing < 0) {
		fprintf(stderr, "%s: %s: cannot count customers\n", PROG, o.database);
		goto out;
	}
	if (o.want_demo && existing > 0) {
		fprintf(stderr, "%s: %s already has %lld customers; the demo customers go into a new "
		    "database\n", PROG, o.database, existing);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sample_users_add(&g, o.customers > 0) == -1)
		goto out;
	if (o.want_demo && sample_demo_customers(&g) == -1)
		goto out;
	for (i = 0; i < o.customers; i++) {
		if (synthetic_customer(&g, existing + i + 1) == -1)
			goto out;
		if (!g.quiet && (i + 1) % 1000 == 0)
			printf("%s: %lld synthetic customers\n", PROG, i + 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s: %s: %lld customers, %lld playbook calls, %lld outbox messages, %.2f s\n",
	    PROG, o.database, store_count(g.st, "customer"), g.calls, store_count(g.st, "outbox"),
	    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = 0;
out:
	store_close(g.st);
	if (scratch[0])
		rc = scratch_finish(scratch, o.database, rc);
	return rc;
}
