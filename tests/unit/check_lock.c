/* check_lock.c: outputs locked against other runs (lock.h): a second process stops or waits,
 * a lock file left by a dead run keeps nobody out, and the lock file goes with the lock. The
 * other runs are child processes, since fcntl locks do not keep a process out of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stance/lock.h"
#include "suites.h"

/* A process holding the lock on path: it takes it, says so on a pipe, then keeps it for
 * hold_ms milliseconds, or (hold_ms < 0) until the parent closes *go. */
static pid_t start_holder(const char *path, int hold_ms, int *go)
{
    int ready[2], release[2];
    ck_assert_int_eq(pipe(ready), 0);
    ck_assert_int_eq(pipe(release), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(ready[0]);
        close(release[1]);
        stance_lock *lock = NULL;
        char c = stance_lock_new(path, "holder", 0, &lock, NULL) == STANCE_OK ? 'y' : 'n';
        if (write(ready[1], &c, 1) != 1)
            _exit(3);
        if (hold_ms >= 0) {
            struct timespec ts = {hold_ms / 1000, (hold_ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        } else {
            while (read(release[0], &c, 1) > 0)
                continue;
        }
        stance_lock_free(lock);
        _exit(0); /* not exit: the parent's test runner is no business of the child's */
    }
    close(ready[1]);
    close(release[0]);
    char c = 0;
    ck_assert_int_eq(read(ready[0], &c, 1), 1);
    ck_assert_int_eq(c, 'y');
    close(ready[0]);
    *go = release[1];
    return pid;
}

static void end_holder(pid_t pid, int go)
{
    close(go);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void read_file(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Takes the lock on out, whose lock file then names this process, and lets it go: the lock
 * file is gone. */
static void lock_and_free(const char *out, const char *lockfile)
{
    stance_lock *lock = NULL;
    stance_error err;
    char text[64], want[64];
    ck_assert_int_eq(stance_lock_new(out, "stance-test", 0, &lock, &err), STANCE_OK);
    read_file(lockfile, text, sizeof text);
    snprintf(want, sizeof want, "%ld stance-test\n", (long)getpid());
    ck_assert_str_eq(text, want);
    stance_lock_free(lock);
    ck_assert_int_eq(access(lockfile, F_OK), -1);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(test_busy_then_free)
{
    char dir[] = "/tmp/stance-lock-XXXXXX", out[64], lockfile[64], want[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/model", dir);
    snprintf(lockfile, sizeof lockfile, "%s/model.lock", dir);
    int go;
    pid_t holder = start_holder(out, -1, &go);
    stance_lock *lock = NULL;
    stance_error err;
    /* another process holds it: refused at once, naming it */
    ck_assert_int_eq(stance_lock_new(out, "stance-test", 0, &lock, &err), STANCE_ERR_BUSY);
    ck_assert_ptr_null(lock);
    ck_assert_str_eq(err.where, out);
    snprintf(want, sizeof want, "locked by another holder (pid %ld)", (long)holder);
    ck_assert_str_eq(err.message, want);
    /* the same spelled with a slash, after a short wait */
    char slashed[80];
    snprintf(slashed, sizeof slashed, "%s/", out);
    double start = now_seconds();
    ck_assert_int_eq(stance_lock_new(slashed, "stance-test", 0.05, &lock, &err), STANCE_ERR_BUSY);
    ck_assert(now_seconds() - start >= 0.05);
    snprintf(want, sizeof want, "still locked by another holder (pid %ld) after 0.05 s",
             (long)holder);
    ck_assert_str_eq(err.message, want);
    ck_assert_str_eq(err.where, slashed);
    end_holder(holder, go);
    /* the holder is gone, and its lock file with it */
    ck_assert_int_eq(access(lockfile, F_OK), -1);
    lock_and_free(out, lockfile);
    stance_lock_free(NULL);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_waits_for_holder)
{
    char dir[] = "/tmp/stance-lock-XXXXXX", out[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/model", dir);
    stance_error err;
    static const double waits[] = {-1, 30}; /* as long as it takes (in the kernel), or polling */
    for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++) {
        int go;
        pid_t holder = start_holder(out, 200, &go);
        stance_lock *lock = NULL;
        double start = now_seconds();
        ck_assert_int_eq(stance_lock_new(out, "stance-test", waits[i], &lock, &err), STANCE_OK);
        ck_assert(now_seconds() - start >= 0.1);
        end_holder(holder, go);
        stance_lock_free(lock);
    }
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* A lock file a killed run left behind: no lock on it, so it is taken over, then removed. */
START_TEST(test_left_behind)
{
    char dir[] = "/tmp/stance-lock-XXXXXX", out[64], lockfile[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/model", dir);
    snprintf(lockfile, sizeof lockfile, "%s/model.lock", dir);
    FILE *f = fopen(lockfile, "w");
    ck_assert_ptr_nonnull(f);
    fputs("999999 stance-train, and a long line left by someone else\n", f);
    ck_assert_int_eq(fclose(f), 0);
    lock_and_free(out, lockfile);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* What is at the lock file's place is not replaced: a link, a directory; no parent; no name. */
START_TEST(test_refusals)
{
    char dir[] = "/tmp/stance-lock-XXXXXX", out[64], lockfile[64], missing[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/model", dir);
    snprintf(lockfile, sizeof lockfile, "%s/model.lock", dir);
    snprintf(missing, sizeof missing, "%s/no/model", dir);
    stance_lock *lock = NULL;
    stance_error err;
    ck_assert_int_eq(symlink("/tmp/elsewhere", lockfile), 0);
    ck_assert_int_eq(stance_lock_new(out, "stance-test", 0, &lock, &err), STANCE_ERR_IO);
    ck_assert_ptr_null(lock);
    ck_assert_str_eq(err.where, lockfile);
    ck_assert_ptr_nonnull(strstr(err.message, "cannot open the lock file: "));
    ck_assert_int_eq(unlink(lockfile), 0);
    ck_assert_int_eq(mkdir(lockfile, 0755), 0);
    ck_assert_int_eq(stance_lock_new(out, "stance-test", 0, &lock, &err), STANCE_ERR_IO);
    ck_assert_str_eq(err.where, lockfile);
    ck_assert_int_eq(rmdir(lockfile), 0);
    ck_assert_int_eq(stance_lock_new(missing, "stance-test", 0, &lock, &err), STANCE_ERR_IO);
    ck_assert_str_eq(err.message, "cannot open the lock file: No such file or directory");
    ck_assert_int_eq(stance_lock_new("", "stance-test", 0, &lock, &err), STANCE_ERR_USAGE);
    ck_assert_int_eq(stance_lock_new("/", "stance-test", 0, &lock, &err), STANCE_ERR_USAGE);
    ck_assert_ptr_null(lock);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

Suite *lock_suite(void)
{
    Suite *s = suite_create("lock");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_busy_then_free);
    tcase_add_test(tc, test_waits_for_holder);
    tcase_add_test(tc, test_left_behind);
    tcase_add_test(tc, test_refusals);
    suite_add_tcase(s, tc);
    return s;
}
