/* test_strv.c - string vectors: growing, inserting, copying, joining */
#include "config.h"

#include <stdlib.h>

#include "util/strv.h"
#include "util/xalloc.h"
#include "tap.h"

int main(void)
{
	char **v = NULL, **c, *s;

	is_u64(strv_len(NULL), 0, "NULL is the empty vector");
	v = strv_new();
	ok(v && !v[0], "strv_new: an empty vector that is not NULL");
	strv_free(v);

	v = NULL;
	strv_push(&v, xstrdup("b"));
	strv_push(&v, xstrdup("c"));
	strv_insert(&v, 0, xstrdup("a"));
	strv_insert(&v, 99, xstrdup("d"));
	is_u64(strv_len(v), 4, "four strings after two pushes and two inserts");
	ok(v[4] == NULL, "... and the terminator after them");
	s = strv_join(v, " ");
	is_str(s, "a b c d", "insert at 0 goes first, past the end goes last");
	free(s);

	c = strv_copy(v);
	ok(c != v && c[0] != v[0], "a copy owns its strings");
	strv_free(v);
	s = strv_join(c, ", ");
	is_str(s, "a, b, c, d", "the copy outlives the original");
	free(s);
	strv_free(c);

	c = strv_copy(NULL);
	ok(c && !c[0], "the copy of NULL is an empty vector");
	s = strv_join(c, " ");
	is_str(s, "", "joining nothing gives the empty string");
	free(s);
	strv_free(c);
	strv_free(NULL);

	{
		char *argv[] = { "node", "-e", "console.log('hi there')", "", "a b",
				 "x=1,y/z", "$HOME", NULL };

		s = strv_join_shell(argv);
		is_str(s, "node -e 'console.log('\\''hi there'\\'')' '' 'a b' x=1,y/z '$HOME'",
		       "joined as a shell reads it: quoted where it would split or expand");
		free(s);
		s = strv_join_shell(NULL);
		is_str(s, "", "no words: an empty line");
		free(s);
	}
	return tap_done();
}
