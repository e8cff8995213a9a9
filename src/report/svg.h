/* report/svg.h - charts of memory over time, drawn as inline SVG
 *
 * A chart maps seconds to x and bytes to y linearly; its <svg> element
 * says how (data-x0, data-y0: the pixel of t = 0, 0 bytes; data-xscale,
 * data-yscale: pixels per second and per byte), so that a reader (or a
 * test) can turn any point of a path back into numbers. */
#ifndef MEMWATCH_REPORT_SVG_H
#define MEMWATCH_REPORT_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct svg_chart {
	FILE *f;
	double t_min, t_max;		/* seconds across */
	double bytes_max;		/* bytes up */
	double width, height;		/* pixels, margins included */
	double left, right, top, bottom;	/* margins */
};

/* Open the chart: <svg>, its axes and their ticks; title is its label
 * for screen readers. t_min may be negative (runs aligned at ready). */
void svg_begin(struct svg_chart *c, FILE *f, double t_min, double t_max,
	       double bytes_max, const char *title);
void svg_end(struct svg_chart *c);

double svg_x(const struct svg_chart *c, double t_s);
double svg_y(const struct svg_chart *c, double bytes);

/* A curve through (t_s[i] + shift_s, bytes[i]); cls is its CSS class,
 * style more attributes (a colour, a width) or NULL, title its tooltip. */
void svg_curve(struct svg_chart *c, const double *t_s, const uint64_t *bytes, size_t n,
	       double shift_s, const char *cls, const char *style, const char *title);

/* A shaded span of time, labelled at its top (a phase). */
void svg_span(struct svg_chart *c, double t0, double t1, const char *cls, const char *label);

/* A vertical line at t labelled label (a checkpoint). */
void svg_vline(struct svg_chart *c, double t, const char *cls, const char *label);

/* A dot at (t, bytes) labelled label (the peak). */
void svg_dot(struct svg_chart *c, double t, double bytes, const char *cls, const char *label);

/* text, escaped for HTML and SVG alike. */
void svg_text(FILE *f, const char *text);

#endif
