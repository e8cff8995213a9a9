/* fuzz_result_load.c - result_load_text on any document
 *
 * Checked: it fails with a one-line message (not empty, no control bytes,
 * valid UTF-8) and leaves the result zeroed, or it loads a result that
 * result_json_write writes as valid UTF-8, that loads again, and that is
 * then written the same: what the writer writes, the loader reads back
 * without loss. */
#include "config.h"

#include "fuzz.h"
#include "result/result.h"
#include "result/json.h"
#include "result/load.h"

/* As big as the callers' (cmd_report.c, cmd_diff.c). */
#define ERR_LEN 512

/* r written to memory; *len its length. Caller frees. */
static char *write_result(const struct result *r, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	FUZZ_ASSERT(f);
	FUZZ_ASSERT(result_json_write(r, f) == 0);
	FUZZ_ASSERT(fclose(f) == 0);
	return text;
}

static void check_message(const char *err)
{
	size_t len = strlen(err);

	FUZZ_ASSERT(len > 0);
	FUZZ_ASSERT(!fuzz_has_control(err, len));
	FUZZ_ASSERT(fuzz_utf8_valid(err, len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct result zero;
	char *buf = fuzz_copy(data, size), *text, *text2;
	struct result r = { 0 }, again = { 0 };
	char err[ERR_LEN] = "";
	size_t len, len2;

	if (result_load_text(buf, size, &r, err, sizeof(err)) < 0) {
		check_message(err);
		FUZZ_ASSERT(memcmp(&r, &zero, sizeof(r)) == 0);
		free(buf);
		return 0;
	}
	text = write_result(&r, &len);
	FUZZ_ASSERT(fuzz_utf8_valid(text, len));
	if (result_load_text(text, len, &again, err, sizeof(err)) < 0) {
		fprintf(stderr, "written result does not load: %s\n%s", err, text);
		FUZZ_ASSERT(!"a written result loads");
	}
	text2 = write_result(&again, &len2);
	if (len2 != len || memcmp(text, text2, len) != 0) {
		fprintf(stderr, "written once:\n%s\nwritten again:\n%s", text, text2);
		FUZZ_ASSERT(!"a loaded result is written as it was read");
	}
	free(text);
	free(text2);
	result_free(&r);
	result_free(&again);
	free(buf);
	return 0;
}
