/* version.h: the version of stance, one string for the library, every stage's --version, the
 * model bundle's manifest ("versions": {"stance": ...}) and pkg-config's stance.pc (the
 * Makefile reads it from here). */
#ifndef STANCE_VERSION_H
#define STANCE_VERSION_H

#define STANCE_VERSION "0.1.0"

#endif
