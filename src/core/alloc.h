/*
 * alloc.h - allocation wrappers.  They never return NULL: on exhaustion
 * they print one line and exit(71), since no caller can do better.
 */
#ifndef ALLY_CORE_ALLOC_H
#define ALLY_CORE_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of *cap elements of size sz so that index need-1 fits. */
void *xgrow(void *p, size_t *cap, size_t need, size_t sz);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
