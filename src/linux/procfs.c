/* linux/procfs.c - parsers for the text of Linux /proc files */
#include "config.h"

#include "linux/procfs.h"

#include <stddef.h>
#include <string.h>

/* Read an unsigned decimal at *p (bounded by end), skipping leading blanks.
 * Saturates instead of overflowing: /proc never holds such values, and
 * a fuzzer must not find undefined behaviour. */
static bool read_u64(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	bool any = false;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
		any = true;
	}
	*p = s;
	*out = v;
	return any;
}

static bool read_i64(const char **p, const char *end, int64_t *out)
{
	const char *s = *p;
	bool neg = false;
	uint64_t v;

	while (s < end && *s == ' ')
		s++;
	if (s < end && *s == '-') {
		neg = true;
		s++;
	}
	if (!read_u64(&s, end, &v))
		return false;
	if (v > INT64_MAX)
		v = INT64_MAX;
	*out = neg ? -(int64_t)v : (int64_t)v;
	*p = s;
	return true;
}

static pid_t clamp_pid(uint64_t v)
{
	return v > (uint64_t)INT32_MAX ? INT32_MAX : (pid_t)v;
}

bool procfs_parse_statm(const char *buf, size_t len, struct procfs_statm *out)
{
	const char *p = buf, *end = buf + len;

	return read_u64(&p, end, &out->size_pages) &&
	       read_u64(&p, end, &out->resident_pages) &&
	       read_u64(&p, end, &out->shared_pages) &&
	       read_u64(&p, end, &out->text_pages);
}

bool procfs_parse_stat(const char *buf, size_t len, struct procfs_stat *out)
{
	const char *end = buf + len, *p = buf, *open, *close = NULL, *q;
	uint64_t v, pid;
	int64_t sv;
	int field;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->exit_code = -1;
	if (!read_u64(&p, end, &pid))
		return false;
	out->pid = clamp_pid(pid);
	open = memchr(p, '(', (size_t)(end - p));
	if (!open)
		return false;
	/* comm may itself hold ") (": the real end is the last ')'. */
	for (q = end; q > open; q--)
		if (q[-1] == ')') {
			close = q - 1;
			break;
		}
	if (!close)
		return false;
	n = (size_t)(close - open - 1);
	if (n > sizeof(out->comm) - 1)
		n = sizeof(out->comm) - 1;
	memcpy(out->comm, open + 1, n);
	out->comm[n] = '\0';
	p = close + 1;
	while (p < end && *p == ' ')
		p++;
	if (p >= end)
		return false;
	out->state = *p++;
	/* Fields from 4 on are numbers; some (priority, nice) may be negative. */
	for (field = 4; field <= 52; field++) {
		if (!read_i64(&p, end, &sv)) {
			if (field <= 22)
				return false;
			break;
		}
		v = sv < 0 ? 0 : (uint64_t)sv;
		switch (field) {
		case 4: out->ppid = clamp_pid(v); break;
		case 5: out->pgrp = clamp_pid(v); break;
		case 14: out->utime_ticks = v; break;
		case 15: out->stime_ticks = v; break;
		case 20: out->num_threads = v; break;
		case 22: out->start_ticks = v; break;
		case 52: out->exit_code = sv > INT32_MAX || sv < 0 ? -1 : (int)sv; break;
		default: break;
		}
	}
	return true;
}

/* If line starts with key (which includes its ':'), return the value part. */
static const char *match_key(const char *line, const char *eol, const char *key,
			     size_t keylen)
{
	if ((size_t)(eol - line) < keylen || memcmp(line, key, keylen) != 0)
		return NULL;
	return line + keylen;
}

/* A "  1234 kB" value, as bytes. */
static bool read_kb(const char *p, const char *eol, uint64_t *out)
{
	uint64_t kb;

	if (!read_u64(&p, eol, &kb))
		return false;
	*out = kb > UINT64_MAX / 1024 ? UINT64_MAX : kb * 1024;
	return true;
}

#define KEY(s) s, sizeof(s) - 1

bool procfs_parse_status(const char *buf, size_t len, struct procfs_status *out)
{
	const char *p = buf, *end = buf + len;
	bool have_name = false, have_rss = false;
	unsigned split = 0;	/* a bit for each of RssAnon, RssFile, RssShmem */

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *v;
		uint64_t n;

		if (!eol)
			eol = end;
		if ((v = match_key(p, eol, KEY("Name:")))) {
			size_t len_name;

			while (v < eol && (*v == '\t' || *v == ' '))
				v++;
			len_name = (size_t)(eol - v);
			if (len_name > sizeof(out->name) - 1)
				len_name = sizeof(out->name) - 1;
			memcpy(out->name, v, len_name);
			out->name[len_name] = '\0';
			have_name = true;
		} else if ((v = match_key(p, eol, KEY("Tgid:")))) {
			if (read_u64(&v, eol, &n))
				out->tgid = clamp_pid(n);
		} else if ((v = match_key(p, eol, KEY("PPid:")))) {
			if (read_u64(&v, eol, &n))
				out->ppid = clamp_pid(n);
		} else if ((v = match_key(p, eol, KEY("Threads:")))) {
			read_u64(&v, eol, &out->threads);
		} else if ((v = match_key(p, eol, KEY("VmHWM:")))) {
			read_kb(v, eol, &out->vm_hwm_bytes);
		} else if ((v = match_key(p, eol, KEY("VmRSS:")))) {
			have_rss = read_kb(v, eol, &out->vm_rss_bytes);
		} else if ((v = match_key(p, eol, KEY("RssAnon:")))) {
			split |= read_kb(v, eol, &out->rss_anon_bytes) ? 1u : 0;
		} else if ((v = match_key(p, eol, KEY("RssFile:")))) {
			split |= read_kb(v, eol, &out->rss_file_bytes) ? 2u : 0;
		} else if ((v = match_key(p, eol, KEY("RssShmem:")))) {
			split |= read_kb(v, eol, &out->rss_shmem_bytes) ? 4u : 0;
		} else if ((v = match_key(p, eol, KEY("VmSwap:")))) {
			read_kb(v, eol, &out->vm_swap_bytes);
		}
		p = eol + 1;
	}
	/* Each line once, not one line three times. */
	out->has_rss_split = split == 7u;
	/* A zombie's status has a Name but no Vm* lines: still well-formed. */
	(void)have_rss;
	return have_name;
}

bool procfs_parse_rollup(const char *buf, size_t len, struct procfs_rollup *out)
{
	static const struct {
		const char *key;
		size_t keylen;
		size_t offset;
	} keys[] = {
#define F(k, f) { KEY(k), offsetof(struct procfs_rollup, f) }
		F("Rss:", rss_bytes),
		F("Pss:", pss_bytes),
		F("Pss_Anon:", pss_anon_bytes),
		F("Pss_File:", pss_file_bytes),
		F("Pss_Shmem:", pss_shmem_bytes),
		F("Shared_Clean:", shared_clean_bytes),
		F("Shared_Dirty:", shared_dirty_bytes),
		F("Private_Clean:", private_clean_bytes),
		F("Private_Dirty:", private_dirty_bytes),
		F("Anonymous:", anonymous_bytes),
		F("LazyFree:", lazyfree_bytes),
		F("AnonHugePages:", anon_huge_bytes),
		F("Swap:", swap_bytes),
		F("SwapPss:", swap_pss_bytes),
#undef F
	};
	const char *p = buf, *end = buf + len;
	unsigned found = 0;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t i;

		if (!eol)
			eol = end;
		/* The first line is the [rollup] range header; fields start with
		 * a capital letter. */
		if (*p >= 'A' && *p <= 'Z') {
			for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
				const char *v = match_key(p, eol, keys[i].key,
							  keys[i].keylen);

				if (!v)
					continue;
				if (read_kb(v, eol, (uint64_t *)((char *)out +
								 keys[i].offset)))
					found |= 1u << i;
				break;
			}
		}
		p = eol + 1;
	}
	/* Pss_Anon, Pss_File and Pss_Shmem, each of them. */
	out->has_pss_split = (found & 0x1cu) == 0x1cu;
	/* Rss and Pss are the least any kernel with smaps_rollup gives. */
	return (found & 3u) == 3u;
}

bool procfs_parse_loadavg_last_pid(const char *buf, size_t len, pid_t *out)
{
	const char *p = buf + len;
	uint64_t v;

	while (p > buf && (p[-1] == '\n' || p[-1] == ' '))
		p--;
	while (p > buf && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p == buf || p[-1] != ' ')
		return false;
	if (!read_u64(&p, buf + len, &v))
		return false;
	*out = clamp_pid(v);
	return true;
}

bool procfs_parse_schedstat(const char *buf, size_t len, uint64_t *run_ns)
{
	const char *p = buf, *end = buf + len;

	/* Three numbers: time on a CPU (ns), time waiting for one (ns), and
	 * the number of times it ran. Only the first is needed. */
	if (!read_u64(&p, end, run_ns) || p >= end || *p != ' ')
		return false;
	return true;
}

int procfs_parse_pids(const char *buf, size_t len,
		      void (*fn)(pid_t pid, void *arg), void *arg)
{
	const char *p = buf, *end = buf + len;
	int count = 0;

	for (;;) {
		uint64_t v;

		while (p < end && (*p == ' ' || *p == '\n'))
			p++;
		if (p >= end)
			break;
		if (!read_u64(&p, end, &v) || v == 0 || v > INT32_MAX)
			return -1;
		if (p < end && *p != ' ' && *p != '\n')
			return -1;
		fn((pid_t)v, arg);
		count++;
	}
	return count;
}
