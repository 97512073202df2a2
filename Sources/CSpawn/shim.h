#ifndef SWEREX_CSPAWN_SHIM_H
#define SWEREX_CSPAWN_SHIM_H
#include <spawn.h>
/* In glibc since 2.34, but not among the declarations Swift's Glibc module shows. */
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
#endif
