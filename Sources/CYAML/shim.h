#ifndef SWEREX_CYAML_SHIM_H
#define SWEREX_CYAML_SHIM_H
#include <yaml.h>
#endif
