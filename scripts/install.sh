#!/bin/sh
# install.sh install|uninstall: behind `make install` and `make uninstall`, which pass the
# places in the environment (DESTDIR, BINDIR, LIBDIR, INCLUDEDIR, MANDIR, PKGDATADIR) and, to
# install, what goes there (EXES, LIB, PC, MAN1, MAN7, HEADERS, MODEL: space-separated paths).
# install notes each file it writes and each directory it creates in PKGDATADIR/installed
# ("f PATH" or "d PATH", without DESTDIR, in the order made; a second install adds to it), so
# that uninstall removes exactly those files, then those directories that are empty, deepest
# first, whatever the source tree holds by then.
set -eu
mode=${1:-}
list=$PKGDATADIR/installed
noted=""

# Notes one line, KIND PATH, for the list.
note() {
    noted="$noted$1 $2
"
}

# Creates directory $1 (under DESTDIR) and its missing parents, noting each one it creates.
make_dir() {
    if [ -d "$DESTDIR$1" ]; then
        return 0
    fi
    make_dir "$(dirname "$1")"
    mkdir "$DESTDIR$1"
    note d "$1"
}

# put MODE DIR FILE...: installs each FILE into DIR under its own name.
put() {
    mode_bits=$1 dir=$2
    shift 2
    make_dir "$dir"
    for f in "$@"; do
        install -m "$mode_bits" "$f" "$DESTDIR$dir/"
        note f "$dir/${f##*/}"
    done
}

# The list: the old one's lines, then the new ones it lacks; written last, noted first.
write_list() {
    new=$DESTDIR$list.tmp
    { [ -f "$DESTDIR$list" ] && cat "$DESTDIR$list"; echo "f $list"; printf '%s' "$noted"; } |
        awk '!seen[$0]++' >"$new"
    chmod 644 "$new"
    mv "$new" "$DESTDIR$list"
}

do_install() {
    [ -n "$DESTDIR" ] && mkdir -p "$DESTDIR"
    # shellcheck disable=SC2086 # the lists are one word per path
    {
        put 755 "$BINDIR" $EXES
        put 644 "$LIBDIR" "$LIB"
        put 644 "$LIBDIR/pkgconfig" "$PC"
        put 644 "$INCLUDEDIR/stance" $HEADERS
        put 644 "$MANDIR/man1" $MAN1
        put 644 "$MANDIR/man7" $MAN7
        put 644 "$PKGDATADIR/models/default" $MODEL
    }
    write_list
    echo "install: $(printf '%s' "$noted" | grep -c '^f') files written; list in $DESTDIR$list"
}

# Removes the files on the list, then its directories that are empty (the list in reverse order:
# a directory's files and subdirectories come after it).
do_uninstall() {
    if [ ! -f "$DESTDIR$list" ]; then
        echo "uninstall: nothing to remove ($DESTDIR$list does not exist)"
        return 0
    fi
    entries=$(tac "$DESTDIR$list")
    rm -f "$DESTDIR$list"
    files=0 dirs=0
    printf '%s\n' "$entries" | {
        while read -r kind path; do
            case $kind:$path in
            f:/*) if [ -e "$DESTDIR$path" ] || [ -L "$DESTDIR$path" ]; then
                      rm -f "$DESTDIR$path" && files=$((files + 1))
                  fi ;;
            d:/*) if [ -d "$DESTDIR$path" ] && [ -z "$(ls -A "$DESTDIR$path")" ]; then
                      rmdir "$DESTDIR$path" && dirs=$((dirs + 1))
                  fi ;;
            *) echo "uninstall: $DESTDIR$list: ignored line '$kind $path'" >&2 ;;
            esac
        done
        echo "uninstall: removed $files files and $dirs empty directories"
    }
}

case $mode in
install) do_install ;;
uninstall) do_uninstall ;;
*) echo "usage: scripts/install.sh install|uninstall (run by make install, make uninstall)" >&2; exit 2 ;;
esac
