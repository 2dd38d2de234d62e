/* driver.c: runs a libFuzzer-style target without libFuzzer, so the fuzz
 * targets run in every build (gcc, ASan+UBSan) as tests: each seed file
 * as it is, then a fixed number of deterministic mutations of the seeds
 * (byte flips, inserts, deletes, splices). With clang, build the targets
 * with -fsanitize=fuzzer instead (VNCBOT_FUZZ=ON) for coverage-guided runs.
 * Usage: TARGET [-runs N] SEED_FILE_OR_DIR... */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_INPUT 4096
#define MAX_SEEDS 256

static uint8_t *seeds[MAX_SEEDS];
static size_t seed_len[MAX_SEEDS];
static size_t nseeds;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void add_seed(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (!f || nseeds == MAX_SEEDS) {
		if (f)
			fclose(f);
		return;
	}
	buf = malloc(FUZZ_MAX_INPUT);
	n = fread(buf, 1, FUZZ_MAX_INPUT, f);
	fclose(f);
	seeds[nseeds] = buf;
	seed_len[nseeds++] = n;
}

static void add_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char child[4096];

	if (stat(path, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		add_seed(path);
		return;
	}
	d = opendir(path);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		add_path(child);
	}
	if (d)
		closedir(d);
}

/* One mutation of a random seed into buf; returns its length. */
static size_t mutate(uint8_t *buf)
{
	static const char tokens[] = "\"'{}\\;#$\n\t%:/[]@?=&-+";
	size_t i = next_rand() % nseeds, len = seed_len[i], k, edits;

	memcpy(buf, seeds[i], len);
	edits = 1 + next_rand() % 8;
	for (k = 0; k < edits; k++) {
		size_t at = len ? next_rand() % (len + 1) : 0;

		switch (next_rand() % 5) {
		case 0: /* flip a byte */
			if (at < len)
				buf[at] = (uint8_t)next_rand();
			break;
		case 1: /* insert a syntax character */
			if (len < FUZZ_MAX_INPUT) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = (uint8_t)tokens[next_rand() % (sizeof(tokens) - 1)];
				len++;
			}
			break;
		case 2: /* delete a run */
			if (at < len) {
				size_t n = 1 + next_rand() % (len - at);

				memmove(buf + at, buf + at + n, len - at - n);
				len -= n;
			}
			break;
		case 3: { /* splice in part of another seed */
			size_t j = next_rand() % nseeds, from, n;

			if (!seed_len[j])
				break;
			from = next_rand() % seed_len[j];
			n = 1 + next_rand() % (seed_len[j] - from);
			if (len + n > FUZZ_MAX_INPUT)
				n = FUZZ_MAX_INPUT - len;
			memmove(buf + at + n, buf + at, len - at);
			memcpy(buf + at, seeds[j] + from, n);
			len += n;
			break;
		}
		default: /* truncate */
			len = at;
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	long runs = 20000, r;
	uint8_t *buf = malloc(FUZZ_MAX_INPUT);
	size_t i;
	int a;

	/* A mutated script may 'include /dev/stdin': give it nothing to wait for. */
	if (!freopen("/dev/null", "r", stdin))
		return 2;
	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-runs") == 0 && a + 1 < argc)
			runs = atol(argv[++a]);
		else
			add_path(argv[a]);
	}
	if (nseeds == 0) {
		fprintf(stderr, "%s: no seed inputs given\n", argv[0]);
		return 2;
	}
	for (i = 0; i < nseeds; i++)
		LLVMFuzzerTestOneInput(seeds[i], seed_len[i]);
	for (r = 0; r < runs; r++) {
		size_t len = mutate(buf);

		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("%s: %zu seeds and %ld mutations ran clean\n", argv[0], nseeds, runs);
	for (i = 0; i < nseeds; i++)
		free(seeds[i]);
	free(buf);
	return 0;
}
