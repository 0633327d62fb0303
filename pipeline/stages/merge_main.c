/* stance-merge: the outputs of stance-tag --shard I/N -o, one complete set, back into one
 * output in input order. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "stage.h"
#include "stance/merge.h"
#include "stance/shard.h"

static const char usage[] =
    "Usage: stance-merge -o FILE SHARD_OUTPUT...\n"
    "Merge the outputs of the shards of one stance-tag run (stance-tag --shard I/N\n"
    "-o SHARD_OUTPUT, for I = 1..N) into FILE: the records in the order of the input\n"
    "articles, byte for byte what one stance-tag -o FILE run without --shard writes,\n"
    "and FILE.manifest.json beside it, as that run writes it too.\n"
    "\n"
    "  -o, --output FILE   the merged output (required); written atomically (a\n"
    "                      temporary beside it, then renamed), and left as it was\n"
    "                      on any error\n"
    "  -h, --help          show this help and exit\n"
    "      --version       print the version and exit\n"
    "\n"
    "Each SHARD_OUTPUT is read with its manifest, SHARD_OUTPUT.manifest.json. They\n"
    "must be one complete set: shards 1..N of the same N, each once, none missing,\n"
    "all JSON Lines made by the same stance version with the same model (the SHA-256\n"
    "of its manifest.json) and the same tag options (\"options\") over the same\n"
    "input (article count and the SHA-256 of the ordered article ids), and each\n"
    "output whole (its SHA-256 the manifest's).\n"
    "The article at 0-based input position k is the next of shard (k mod N) + 1:\n"
    "its records are that output's next lines with one \"doc\", or none when the\n"
    "manifest lists k in \"empty\". Anything else is an error naming the output.\n"
    "\n"
    "Exit status: 0 success, 1 a set that is not complete or an output that does\n"
    "not match its manifest (named), 2 usage error, 3 I/O or resource failure\n"
    "(e.g. a missing manifest).\n";

int main(int argc, char **argv)
{
    stage_start("stance-merge");
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, STAGE_OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL;
    int c;
    opterr = 0; /* report option errors ourselves, as 'prog: what' */
    while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'h': return stage_help(usage);
        case STAGE_OPT_VERSION: return stage_version();
        case ':': return stage_usage_error("missing argument for option '%s'", argv[optind - 1]);
        default: return stage_unknown_option(argv);
        }
    }
    if (!output)
        return stage_usage_error("-o FILE is required");
    if (optind == argc)
        return stage_usage_error("no shard outputs to merge");
    stance_error err;
    stance_error_clear(&err);
    struct timespec started; /* temporaries older than this run are stale */
    clock_gettime(CLOCK_REALTIME, &started);
    stance_status st = stance_tally_check(output, &err);
    if (st == STANCE_OK)
        st = stance_tally_remove_stale(output, &started, stage_removed, NULL, &err);
    if (st == STANCE_OK) {
        sigset_t old; /* an interrupt leaves the old FILE or the new one, no temporary */
        stage_hold_signals(&old);
        st = stance_merge_save(output, (const char *const *)argv + optind,
                               (size_t)(argc - optind), &err);
        stage_release_signals(&old);
    }
    return st == STANCE_OK ? 0 : stage_report(&err);
}
