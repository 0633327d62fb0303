/* lock.c: an output locked against other runs by an fcntl lock on "<path>.lock" beside it
 * (lock.h). */
#include "stance/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error_int.h"
#include "outpath_int.h"

struct stance_lock {
    int fd;     /* the lock file, open and locked */
    char *path; /* its path, "<output>.lock" */
};

/* Opens (or makes) the lock file: a regular file, not a link, readable and writable. */
static stance_status open_lock_file(const char *path, int *fd, stance_error *err)
{
    *fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
    if (*fd < 0)
        return stance_fail_errno(err, errno, path, "cannot open the lock file");
    struct stat sb;
    if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(*fd);
        *fd = -1;
        return stance_fail(err, STANCE_ERR_IO, path, 0,
                           "is not a regular file; cannot use it as the lock file");
    }
    return STANCE_OK;
}

/* One try at the write lock on fd, waiting for it when wait: 1 when taken, 0 when another
 * process holds it (*holder its pid, 0 when fcntl does not know it), -1 on failure (errno). */
static int take(int fd, int wait, pid_t *holder)
{
    for (;;) {
        struct flock fl;
        memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET; /* l_start 0, l_len 0: the whole file */
        if (fcntl(fd, wait ? F_SETLKW : F_SETLK, &fl) == 0)
            return 1;
        if (errno == EINTR)
            continue;
        if (errno != EACCES && errno != EAGAIN)
            return -1;
        fl.l_type = F_WRLCK;
        if (fcntl(fd, F_GETLK, &fl) != 0)
            return -1;
        if (fl.l_type == F_UNLCK) /* released in between: try again */
            continue;
        *holder = fl.l_pid;
        return 0;
    }
}

/* 1 if path still leads to the file open on fd: a holder that let go removed the file it
 * locked, so a lock taken on a file no longer there keeps nobody out. */
static int still_there(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* "another OWNER (pid N)", with the owner the holder wrote into the lock file when the pid
 * there is the one fcntl names (else the holder has not written it yet). */
static void describe_holder(int fd, pid_t pid, char *buf, size_t size)
{
    char text[96];
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    text[n > 0 ? n : 0] = '\0';
    char *end;
    long written = strtol(text, &end, 10);
    size_t len = *end == ' ' ? strcspn(end + 1, "\n") : 0;
    if (pid > 0 && written == (long)pid && len > 0 && end[1 + len] == '\n')
        snprintf(buf, size, "another %.*s (pid %ld)", (int)len, end + 1, (long)pid);
    else if (pid > 0)
        snprintf(buf, size, "another process (pid %ld)", (long)pid);
    else
        snprintf(buf, size, "another process");
}

/* Says who holds the lock now, for a look with cat: "PID OWNER". Best effort: the lock holds
 * whether or not this is written. */
static void record_holder(int fd, const char *owner)
{
    char text[96];
    int n = snprintf(text, sizeof text, "%ld %.64s\n", (long)getpid(), owner);
    if (ftruncate(fd, 0) == 0 && pwrite(fd, text, (size_t)n, 0) != n)
        (void)ftruncate(fd, 0);
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Sleeps pause seconds, or until the deadline if that comes first. */
static void nap(double pause, double left)
{
    double s = pause < left ? pause : left;
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Takes the lock on the lock file at path: waiting in the kernel when wait is negative, else
 * trying again (every 10 ms at first, then every 250 ms) for wait seconds. */
static stance_status take_lock(const char *path, const char *output, double wait, int *out,
                               stance_error *err)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    double pause = 0.01;
    for (;;) {
        int fd;
        stance_status st = open_lock_file(path, &fd, err);
        if (st != STANCE_OK)
            return st;
        pid_t holder = 0;
        int got = take(fd, wait < 0, &holder);
        if (got > 0 && still_there(fd, path)) {
            *out = fd;
            return STANCE_OK;
        }
        if (got < 0) {
            st = stance_fail_errno(err, errno, path, "cannot lock the lock file");
            close(fd);
            return st;
        }
        double left = wait - seconds_since(&start);
        if (got == 0 && left <= 0) {
            char who[128];
            describe_holder(fd, holder, who, sizeof who);
            close(fd);
            return wait > 0 ? stance_fail(err, STANCE_ERR_BUSY, output, 0,
                                          "still locked by %s after %g s", who, wait)
                            : stance_fail(err, STANCE_ERR_BUSY, output, 0, "locked by %s", who);
        }
        close(fd);
        if (got == 0) { /* else the holder removed the file as it let go: at once again */
            nap(pause, left);
            pause = pause * 2 < 0.25 ? pause * 2 : 0.25;
        }
    }
}

stance_status stance_lock_new(const char *path, const char *owner, double wait_seconds,
                              stance_lock **out, stance_error *err)
{
    *out = NULL;
    char *output;
    stance_status st = stance_outpath_normalize(path, 1, &output, err);
    if (st != STANCE_OK)
        return st;
    stance_lock *lock = calloc(1, sizeof *lock);
    size_t n = strlen(output) + sizeof ".lock";
    char *lock_path = lock ? malloc(n) : NULL;
    if (!lock_path) {
        free(lock);
        free(output);
        return stance_fail_nomem(err, path);
    }
    snprintf(lock_path, n, "%s.lock", output);
    st = take_lock(lock_path, path, wait_seconds, &lock->fd, err);
    free(output);
    if (st != STANCE_OK) {
        free(lock_path);
        free(lock);
        return st;
    }
    record_holder(lock->fd, owner);
    lock->path = lock_path;
    *out = lock;
    return STANCE_OK;
}

void stance_lock_free(stance_lock *lock)
{
    if (!lock)
        return;
    if (still_there(lock->fd, lock->path)) /* removed while held: a waiter takes it on anew */
        unlink(lock->path);
    close(lock->fd); /* releases the lock */
    free(lock->path);
    free(lock);
}
