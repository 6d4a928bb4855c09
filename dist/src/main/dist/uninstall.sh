#!/usr/bin/env bash
# Removes what install.sh placed, as its record lists: files unchanged since, and the directories that
# are left empty. Settings files an operator edited are kept, and named.
set -euo pipefail
root="" prefix=/opt/ovn-mesos
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    -h|--help) echo "usage: uninstall.sh [--root DIR] [--prefix DIR]   (as given to install.sh)"; exit 0 ;;
    *) echo "uninstall.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
# shellcheck source-path=SCRIPTDIR source=libexec/ovn-mesos-steps.sh
. "$(dirname "$(readlink -f "$0")")/libexec/ovn-mesos-steps.sh"
ovn_mesos_remove_recorded "$root" "$prefix"
echo "ovn-mesos removed from ${root}${prefix}"
