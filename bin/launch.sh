#!/bin/sh
# The `grip` command's launcher (bin/grip hands over to it when run as a program): starts Node with the settings that must be given before it starts (glibc malloc's
# environment, V8 flags that cannot change at run time), listed in bin/node-settings, then runs bin/grip.mjs in
# that same process (exec: no parent left waiting). An environment variable the user has set wins over the
# file's value; the flags (all, or those listed for the command being run) come before the user's arguments,
# which go to grip unchanged.
# GRIP_NODE names the node binary (default: `node` on PATH).
set -f
self=$0
while [ -L "$self" ]; do # a link to this file: find the real one (bin/grip passes its real path already)
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) case $self in */*) self=${self%/*}/$link ;; *) self=$link ;; esac ;;
  esac
done
case $self in
  */*) here=${self%/*} ;;
  *) here=. ;;
esac
flags=
# Command-scoped flags are for imports into DuckDB; a PostgreSQL warehouse (an argument or GRIP_DB) gets none.
postgres=
case " $* ${GRIP_DB-}" in *postgres://* | *postgresql://*) postgres=1 ;; esac
while IFS= read -r line || [ -n "$line" ]; do
  case $line in
    '' | '#'*) ;;
    -*) flags="$flags $line" ;;
    [a-z]*:' '-*) # flags for some commands only: "import demo: --flag"
      [ -n "$postgres" ] && continue
      for command in ${line%%:*}; do
        [ "$command" = "${1-}" ] && flags="$flags ${line#*: }"
      done
      ;;
    [A-Za-z_]*=*)
      name=${line%%=*}
      case $name in
        *[!A-Za-z0-9_]*) ;;
        *) eval "[ -n \"\${$name+set}\" ]" || export "$line" ;;
      esac
      ;;
  esac
done <"$here/node-settings"
# $flags is split on spaces on purpose (one word per flag; globbing is off).
# shellcheck disable=SC2086
exec "${GRIP_NODE:-node}" $flags "$here/grip.mjs" "$@"
