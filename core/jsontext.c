/* jsontext.c - strings of any bytes as JSON. */
#include "jsontext.h"

json_t *jsontext(const char *s)
{
	json_t *j;
	struct buf b;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	buf_init(&b);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x80)
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "\\x%02X", *p);
	}
	j = json_string(b.data ? b.data : "");
	buf_fini(&b);
	return j;
}

json_t *jsontext_or_null(const char *s)
{
	return s && *s ? jsontext(s) : json_null();
}

json_t *jsontext_array(const struct strv *v)
{
	json_t *a = json_array();

	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, jsontext(v->v[i]));
	return a;
}
