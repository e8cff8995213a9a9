/* test_statusline.c - the text of the live status line */
#include "config.h"

#include "run/statusline.h"
#include "tap.h"

#define MIB (1024ULL * 1024)

int main(void)
{
	struct statusline_view v = {
		.phase = "load", .elapsed_s = 2.5,
		.footprint_bytes = 10 * MIB, .peak_bytes = 12 * MIB, .processes = 1,
	};
	char text[256];

	statusline_format(text, sizeof(text), &v);
	is_str(text, "memwatch: load 2.5 s · footprint 10.0 MiB · peak 12.0 MiB · 1 process",
	       "phase, time, footprint, peak, processes");

	v.prefix = "jemalloc 2/3";
	v.processes = 3;
	v.note = STATUSLINE_NOTE_DRIVING;
	statusline_format(text, sizeof(text), &v);
	is_str(text, "memwatch: jemalloc 2/3 · load 2.5 s (driving) · footprint 10.0 MiB · peak 12.0 MiB · 3 processes",
	       "a comparison's run first; the driver after the time");

	v.prefix = NULL;
	v.phase = "idle";
	v.note = STATUSLINE_NOTE_CHECKPOINT;
	v.checkpoint = 2;
	v.checkpoints = 4;
	v.note_left_s = 0.75;
	statusline_format(text, sizeof(text), &v);
	is_str(text, "memwatch: idle 2.5 s (checkpoint 2/4 in 750 ms) · footprint 10.0 MiB · peak 12.0 MiB · 3 processes",
	       "the next idle checkpoint and the time to it");

	v.phase = "start";
	v.note = STATUSLINE_NOTE_READY;
	statusline_format(text, sizeof(text), &v);
	is_str(text, "memwatch: start 2.5 s (waiting for ready, 750 ms left) · footprint 10.0 MiB · peak 12.0 MiB · 3 processes",
	       "waiting for the ready line");

	v.phase = "stop";
	v.note = STATUSLINE_NOTE_STOPPING;
	statusline_format(text, 40, &v);
	is_str(text, "memwatch: stop 2.5 s (stopping) · foot", "cut to the buffer, from the end");
	return tap_done();
}
