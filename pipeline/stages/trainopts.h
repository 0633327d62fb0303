/* trainopts.h: the training settings stance-train and stance-audit both take (-c, --c-grid,
 * --folds, --seed, -j, the engine, the features, NB weights, the threshold rule): their long
 * options and one parser, so that the two read them alike. */
#ifndef STANCE_TRAINOPTS_H
#define STANCE_TRAINOPTS_H

#include <getopt.h>

#include "stance/train.h"

/* The long options both mains take, for their getopt_long tables; the short ones are -c C
 * and -j N. Each value is the option's case in trainopts_parse. */
#define TRAINOPTS_LONGOPTS                                                                       \
    {"c-grid", required_argument, NULL, 'G'}, {"folds", required_argument, NULL, 'F'},          \
    {"seed", required_argument, NULL, 'S'}, {"threads", required_argument, NULL, 'j'},          \
    {"engine", required_argument, NULL, 'E'}, {"balance", no_argument, NULL, 'a'},              \
    {"language", required_argument, NULL, 'L'}, {"stopwords", required_argument, NULL, 'W'},    \
    {"no-bigrams", no_argument, NULL, '2'}, {"min-df", required_argument, NULL, 'm'},           \
    {"no-sublinear-tf", no_argument, NULL, 't'}, {"no-idf", no_argument, NULL, 'i'},            \
    {"no-l2", no_argument, NULL, 'l'}, {"nb-weight", no_argument, NULL, 'N'},                   \
    {"nb-beta", required_argument, NULL, 'Z'}, {"threshold", required_argument, NULL, 'T'},       \
    {"scopes", required_argument, NULL, 'P'}, {"actors", required_argument, NULL, 'A'},  \
    {"actors-applies", no_argument, NULL, 'Y'}

/* The kernel settings only stance-train takes (stance-audit trains linear models). */
#define TRAINOPTS_KERNEL_LONGOPTS                                                                \
    {"kernel", required_argument, NULL, 'K'}, {"gamma", required_argument, NULL, 'g'},          \
    {"degree", required_argument, NULL, 'd'}, {"no-balance", no_argument, NULL, 'b'}

/* The help of the tone features both mains take (--scopes, --actors, --actors-applies). */
#define TRAINOPTS_HELP_SCOPES \
    "  --scopes LIST       tone features that see clauses: 'contrast' (words after\n" \
    "                      but/however/... to the sentence end), 'negation' (3 words\n" \
    "                      after not/no/...), 'last' (the last sentence), joined by\n" \
    "                      ',', or 'none' (default)\n" \
    "  --actors FILE       tone features that see who the parties are: FILE lists\n" \
    "                      each side's words ('side: word word ...', '#' comments,\n" \
    "                      two sides at least); the words of sentences that name\n" \
    "                      two sides are copied, and the passage marked as naming\n" \
    "                      both sides in a sentence, both apart, one or none\n" \
    "  --actors-applies    with --actors: only the unit that decides whether a tone\n" \
    "                      applies weighs those features, not the one that picks it\n"

/* What parsing keeps besides the options themselves. */
typedef struct {
    double grid[64]; /* --c-grid's values: the options' c_grid points here */
    int no_folds;    /* set by the caller: --folds 0 (no cross-validation) is allowed */
    int beta_given;  /* --nb-beta was given */
} trainopts;

/* Parses the option c, as getopt_long returned it (its argument in optarg), into opt: 0 when
 * taken, -1 when c is no training option, else the exit code of a bad value, reported. */
int trainopts_parse(trainopts *t, int c, stance_train_options *opt, stance_error *err);

/* What only all the options together tell (--nb-beta without --nb-weight): 0, or the exit
 * code of the mistake, reported. */
int trainopts_check(const trainopts *t, const stance_train_options *opt);

#endif
