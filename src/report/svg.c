/* report/svg.c - charts of memory over time, drawn as inline SVG */
#include "config.h"

#include "report/svg.h"

#include <math.h>
#include <string.h>

#include "util/fmt.h"

void svg_text(FILE *f, const char *text)
{
	const unsigned char *p;

	for (p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			/* Control bytes are not allowed in XML text. */
			if (*p < 0x20 && *p != '\n' && *p != '\t')
				fputc('?', f);
			else
				fputc(*p, f);
		}
	}
}

double svg_x(const struct svg_chart *c, double t_s)
{
	double span = c->t_max > c->t_min ? c->t_max - c->t_min : 1;

	return c->left + (t_s - c->t_min) * (c->width - c->left - c->right) / span;
}

double svg_y(const struct svg_chart *c, double bytes)
{
	double top = c->bytes_max > 0 ? c->bytes_max : 1;

	return c->height - c->bottom - bytes * (c->height - c->top - c->bottom) / top;
}

/* A round step near span/5: 1, 2 or 5 times a power of ten (of 1024 for
 * bytes above 1 KiB, so that ticks fall on whole MiB). */
static double tick_step(double span, bool bytes)
{
	double raw = span / 5, p;

	if (raw <= 0)
		return 1;
	if (bytes && span > 5 * 1024) {
		for (p = 1024; p * 1024 <= raw; p *= 1024)
			;
		while (p * 2 <= raw)
			p *= 2;
		return p;
	}
	p = pow(10, floor(log10(raw)));
	return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
}

/* The axes, their ticks and grid lines. */
static void axes(struct svg_chart *c)
{
	double step, v;
	char buf[FMT_BUF];

	fprintf(c->f, "<g class=\"axes\">\n");
	step = tick_step(c->bytes_max, true);
	for (v = 0; v <= c->bytes_max * 1.0001; v += step) {
		fprintf(c->f, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", c->left,
			c->width - c->right, svg_y(c, v), svg_y(c, v), c->left - 4, svg_y(c, v) + 4);
		svg_text(c->f, fmt_bytes(buf, (uint64_t)v, false));
		fputs("</text>\n", c->f);
	}
	step = tick_step(c->t_max - c->t_min, false);
	for (v = ceil(c->t_min / step) * step; v <= c->t_max * 1.0001; v += step) {
		fprintf(c->f, "<line class=\"tick\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", svg_x(c, v),
			svg_x(c, v), c->height - c->bottom, c->height - c->bottom + 4,
			svg_x(c, v), c->height - c->bottom + 16);
		if (v < 0)
			fputc('-', c->f);
		svg_text(c->f, fmt_duration(buf, fabs(v) < step / 1e6 ? 0 : fabs(v)));
		fputs("</text>\n", c->f);
	}
	fprintf(c->f, "</g>\n");
}

void svg_begin(struct svg_chart *c, FILE *f, double t_min, double t_max,
	       double bytes_max, const char *title)
{
	c->f = f;
	c->t_min = t_min;
	c->t_max = t_max > t_min ? t_max : t_min + 1;
	c->bytes_max = bytes_max > 0 ? bytes_max * 1.08 : 1024;
	c->width = 900;
	c->height = 320;
	c->left = 80;
	c->right = 16;
	c->top = 22;
	c->bottom = 26;
	fprintf(f, "<svg role=\"img\" viewBox=\"0 0 %.0f %.0f\" "
		"data-x0=\"%.6f\" data-y0=\"%.6f\" data-xscale=\"%.9g\" data-yscale=\"%.9g\">\n"
		"<title>", c->width, c->height, svg_x(c, 0), svg_y(c, 0),
		svg_x(c, 1) - svg_x(c, 0), svg_y(c, 0) - svg_y(c, 1));
	svg_text(f, title);
	fputs("</title>\n", f);
	axes(c);
}

void svg_end(struct svg_chart *c)
{
	fputs("</svg>\n", c->f);
}

void svg_curve(struct svg_chart *c, const double *t_s, const uint64_t *bytes, size_t n,
	       double shift_s, const char *cls, const char *style, const char *title)
{
	size_t i;

	if (!n)
		return;
	fprintf(c->f, "<path class=\"%s\"%s%s d=\"", cls, style ? " " : "", style ? style : "");
	for (i = 0; i < n; i++)
		fprintf(c->f, "%s%.2f,%.2f", i ? " L" : "M", svg_x(c, t_s[i] + shift_s),
			svg_y(c, (double)bytes[i]));
	fputs("\">", c->f);
	if (title) {
		fputs("<title>", c->f);
		svg_text(c->f, title);
		fputs("</title>", c->f);
	}
	fputs("</path>\n", c->f);
}

void svg_span(struct svg_chart *c, double t0, double t1, const char *cls, const char *label)
{
	double w = svg_x(c, t1) - svg_x(c, t0);

	/* An empty phase (its end rounded to a millisecond before its start)
	 * is a rect of no width: SVG has no negative one. */
	if (w < 0)
		w = 0;
	fprintf(c->f, "<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\">"
		"<title>", cls, svg_x(c, t0), c->top, w, c->height - c->top - c->bottom);
	svg_text(c->f, label);
	fputs("</title></rect>\n", c->f);
	/* A label wider than its span would run into the next one's. */
	if (w < 8 * (double)strlen(label))
		return;
	fprintf(c->f, "<text class=\"span\" x=\"%.2f\" y=\"%.1f\">", svg_x(c, t0) + 3, c->top - 6);
	svg_text(c->f, label);
	fputs("</text>\n", c->f);
}

void svg_vline(struct svg_chart *c, double t, const char *cls, const char *label)
{
	fprintf(c->f, "<line class=\"%s\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%.1f\" y2=\"%.1f\">"
		"<title>", cls, svg_x(c, t), svg_x(c, t), c->top, c->height - c->bottom);
	svg_text(c->f, label);
	fputs("</title></line>\n", c->f);
}

void svg_dot(struct svg_chart *c, double t, double bytes, const char *cls, const char *label)
{
	fprintf(c->f, "<circle class=\"%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"4\"><title>", cls,
		svg_x(c, t), svg_y(c, bytes));
	svg_text(c->f, label);
	fprintf(c->f, "</title></circle><text class=\"dot\" x=\"%.2f\" y=\"%.2f\">", svg_x(c, t) + 6,
		svg_y(c, bytes) - 6);
	svg_text(c->f, label);
	fputs("</text>\n", c->f);
}
