/* check_outpath.c: files written atomically (outpath_int.h, stance_outfile_*): what may be
 * replaced, and a failed write leaving the old file as it was and no temporary. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "../../pipeline/outpath_int.h"
#include "suites.h"

/* A kind whose files begin with "OURS" (or are empty). */
static int starts_ours(int fd)
{
    char buf[4];
    ssize_t n = pread(fd, buf, sizeof buf, 0);
    return n == 0 || (n == 4 && memcmp(buf, "OURS", 4) == 0);
}

static const stance_outfile_kind kind = {"test", starts_ours};

static stance_status write_ours(FILE *f, void *ctx, const char *path, stance_error *err)
{
    (void)path, (void)err;
    fputs("OURS ", f);
    fputs(ctx, f);
    return STANCE_OK;
}

static stance_status write_then_fail(FILE *f, void *ctx, const char *path, stance_error *err)
{
    (void)ctx;
    fputs("OURS half", f);
    return stance_error_set(err, STANCE_ERR_DATA, path, 0, "made to fail");
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void expect_file(const char *path, const char *text)
{
    char buf[64] = {0};
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    ck_assert_uint_eq(n, strlen(text));
    ck_assert_str_eq(buf, text);
}

/* Entries of dir other than . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

START_TEST(test_save_replaces_ours_only)
{
    char dir[] = "/tmp/stance-outfile-XXXXXX", path[64], other[64], sub[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out", dir);
    snprintf(other, sizeof other, "%s/user", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    stance_error err;
    /* a new name, then our own file again */
    ck_assert_int_eq(stance_outfile_check(path, &kind, &err), STANCE_OK);
    ck_assert_int_eq(stance_outfile_save(path, &kind, write_ours, "one", &err), STANCE_OK);
    expect_file(path, "OURS one");
    ck_assert_int_eq(stance_outfile_save(path, &kind, write_ours, "two", &err), STANCE_OK);
    expect_file(path, "OURS two");
    struct stat sb;
    ck_assert_int_eq(stat(path, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0644);
    /* a failed write: the old file stays, no temporary is left */
    ck_assert_int_eq(stance_outfile_save(path, &kind, write_then_fail, NULL, &err), STANCE_ERR_DATA);
    ck_assert_str_eq(err.message, "made to fail");
    expect_file(path, "OURS two");
    ck_assert_int_eq(entries(dir), 1);
    /* a user's file, a directory: refused, untouched */
    put_file(other, "precious");
    ck_assert_int_eq(stance_outfile_check(other, &kind, &err), STANCE_ERR_IO);
    ck_assert_str_eq(err.message, "exists and is not a stance test; refusing to replace it");
    ck_assert_int_eq(stance_outfile_save(other, &kind, write_ours, "x", &err), STANCE_ERR_IO);
    expect_file(other, "precious");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    ck_assert_int_eq(stance_outfile_check(sub, &kind, &err), STANCE_ERR_IO);
    ck_assert_str_eq(err.message, "is a directory; give the name of the test file to write");
    /* a kind without a signature replaces any regular file */
    const stance_outfile_kind any = {"plain", NULL};
    ck_assert_int_eq(stance_outfile_save(other, &any, write_ours, "three", &err), STANCE_OK);
    expect_file(other, "OURS three");
    ck_assert_int_eq(entries(dir), 3);
    unlink(path);
    unlink(other);
    rmdir(sub);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* dir/name holding text, marked as a temporary of the kind named mark (NULL: not marked),
 * last changed an hour ago. */
static void put_temp(const char *dir, const char *name, const char *mark, const char *text)
{
    char path[96];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    put_file(path, text);
    if (mark)
        ck_assert_int_eq(setxattr(path, "user.stance.temporary", mark, strlen(mark), 0), 0);
    struct timespec old[2];
    clock_gettime(CLOCK_REALTIME, &old[0]);
    old[0].tv_sec -= 3600;
    old[1] = old[0];
    ck_assert_int_eq(utimensat(AT_FDCWD, path, old, 0), 0);
}

static int exists_in(const char *dir, const char *name)
{
    char path[96];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

static void count_removed(void *ctx, const char *path)
{
    (void)path;
    ++*(int *)ctx;
}

/* Whether files in dir take user extended attributes (the temporaries' mark); some file
 * systems refuse them, and there no save marks its temporary. */
static int marks_supported(const char *dir)
{
    char probe[96];
    snprintf(probe, sizeof probe, "%s/probe", dir);
    put_file(probe, "");
    int ok = setxattr(probe, "user.stance.probe", "1", 1, 0) == 0;
    unlink(probe);
    return ok;
}

START_TEST(test_remove_stale_marked_only)
{
    char dir[] = "/tmp/stance-stale-XXXXXX", path[64], slash[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    if (!marks_supported(dir)) {
        fprintf(stderr, "check_outpath: %s takes no user extended attributes: "
                        "marked temporaries not tested\n", dir);
        rmdir(dir);
        return;
    }
    snprintf(path, sizeof path, "%s/out", dir);
    const stance_outfile_kind plain = {"plain", NULL};
    /* a save marks its temporary only while it writes: FILE carries no mark */
    stance_error err;
    ck_assert_int_eq(stance_outfile_save(path, &plain, write_ours, "x", &err), STANCE_OK);
    ck_assert_int_eq(listxattr(path, NULL, 0), 0);
    put_temp(dir, "out.tmp.AAAAAA", "plain", "partial");  /* a killed save's */
    put_temp(dir, "out.tmp.backup", NULL, "partial");     /* a user's, named alike */
    put_temp(dir, "out.tmp.CCCCCC", "test", "partial");   /* another kind's */
    put_temp(dir, "out.tmp.DDDDDD", "plain", "partial");  /* a save in progress */
    char held[96];
    snprintf(held, sizeof held, "%s/out.tmp.DDDDDD", dir);
    int fd = open(held, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    stance_outpath_lock(fd);
    struct timespec since;
    clock_gettime(CLOCK_REALTIME, &since);
    int removed = 0;
    ck_assert_int_eq(stance_outfile_remove_stale(path, &plain, &since, count_removed, &removed, &err),
                     STANCE_OK);
    ck_assert_int_eq(removed, 1);
    ck_assert(!exists_in(dir, "out.tmp.AAAAAA"));
    ck_assert(exists_in(dir, "out.tmp.backup") && exists_in(dir, "out.tmp.CCCCCC") &&
              exists_in(dir, "out.tmp.DDDDDD"));
    close(fd);
    /* one newer than the run is left too */
    since.tv_sec -= 7200;
    ck_assert_int_eq(stance_outfile_remove_stale(path, &plain, &since, count_removed, &removed, &err),
                     STANCE_OK);
    ck_assert_int_eq(removed, 1);
    /* a kind with a signature also takes an unmarked one that has it; "test" takes its own */
    put_temp(dir, "out.tmp.EEEEEE", NULL, "OURS half");
    put_temp(dir, "out.tmp.FFFFFF", NULL, "mine");
    clock_gettime(CLOCK_REALTIME, &since);
    ck_assert_int_eq(stance_outfile_remove_stale(path, &kind, &since, count_removed, &removed, &err),
                     STANCE_OK);
    ck_assert_int_eq(removed, 3);
    ck_assert(!exists_in(dir, "out.tmp.EEEEEE") && !exists_in(dir, "out.tmp.CCCCCC"));
    snprintf(slash, sizeof slash, "%s/", dir); /* names no file */
    ck_assert_int_eq(stance_outfile_remove_stale(slash, &plain, &since, NULL, NULL, &err),
                     STANCE_ERR_USAGE);
    static const char *const left[] = {"out", "out.tmp.backup", "out.tmp.DDDDDD", "out.tmp.FFFFFF"};
    ck_assert_int_eq(entries(dir), 4);
    for (size_t i = 0; i < sizeof left / sizeof *left; i++) {
        char p[96];
        snprintf(p, sizeof p, "%s/%s", dir, left[i]);
        ck_assert_int_eq(unlink(p), 0);
    }
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

Suite *outpath_suite(void)
{
    Suite *s = suite_create("outpath");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_save_replaces_ours_only);
    tcase_add_test(tc, test_remove_stale_marked_only);
    suite_add_tcase(s, tc);
    return s;
}
