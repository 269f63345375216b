/*
 * fuzz.h - shared by the libFuzzer targets (tests/fuzz/fuzz_*.c) and the
 * plain replay driver (replay.c) that make check runs over each corpus.
 *
 * Each target defines LLVMFuzzerTestOneInput and aborts on anything that
 * breaks a promise of the code under test (a round trip that does not
 * hold, a header line that is too long), so the fuzzer reports it as a
 * crash like any sanitizer finding.
 */
#ifndef ALLY_TESTS_FUZZ_H
#define ALLY_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input (cut at its first NUL). */
char *fuzz_str(const uint8_t *data, size_t size);
/* A private directory, made on first use and removed at exit (under
 * /dev/shm when there is one, so fsync is cheap). */
const char *fuzz_tmpdir(void);
/* Write the bytes to NAME in fuzz_tmpdir(); the path (static storage). */
const char *fuzz_file(const char *name, const uint8_t *data, size_t size);

struct app;
/* A database made on first use (fuzz_db.c): program Spring ("percent 10"
 * on purchases), partner Acme with code ACME, opened as its admin. */
struct app *fuzz_app(void);

/* Abort with a message when cond is false. */
#define FUZZ_ASSERT(cond, ...) do { if (!(cond)) fuzz_fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)
void fuzz_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

#endif
