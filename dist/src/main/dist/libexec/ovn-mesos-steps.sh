#!/usr/bin/env bash
# Steps shared by install.sh, uninstall.sh and the Vagrant provisioning: placing files with a
# record of what was placed (so that removal takes exactly that), and setting up OVN on a host.
# Source it; it defines functions only.

# The distribution directory this library belongs to (read by the scripts that source it).
# shellcheck disable=SC2034
OVN_MESOS_DIST="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

# The record of installed files: one "<sha256>  <path>" line per file, paths as on the target.
ovn_mesos_manifest() { # root prefix
  printf '%s%s/share/ovn-mesos/installed-files' "$1" "$2"
}

# Copies SOURCE to TARGET under ROOT with MODE, and records it. With "keep", an existing TARGET that
# differs (an operator's edit) is left alone.
ovn_mesos_place() { # root source target mode [keep]
  local root="$1" source="$2" target="$3" mode="$4" keep="${5:-}"
  local dest="$root$target"
  mkdir -p "$(dirname "$dest")"
  if [ "$keep" = keep ] && [ -e "$dest" ] && ! cmp -s "$source" "$dest"; then
    # The operator's now: not recorded, so that removal leaves it.
    echo "kept $target (it differs from the distribution's)" >&2
    return 0
  fi
  if ! [ "$source" -ef "$dest" ]; then
    install -m "$mode" "$source" "$dest"
  fi
  printf '%s  %s\n' "$(sha256sum < "$dest" | cut -d' ' -f1)" "$target" >> "$OVN_MESOS_MANIFEST_NEW"
}

# Writes TEXT to TARGET under ROOT with MODE (a generated file), and records it.
ovn_mesos_place_text() { # root text target mode
  local tmp
  tmp="$(mktemp)"
  printf '%s\n' "$2" > "$tmp"
  ovn_mesos_place "$1" "$tmp" "$3" "$4"
  rm -f "$tmp"
}

# Removes what the manifest under ROOT/PREFIX lists: files unchanged since they were placed, then
# the directories that became empty. Edited files are kept, and named.
ovn_mesos_remove_recorded() { # root prefix
  local root="$1" prefix="$2" manifest
  manifest="$(ovn_mesos_manifest "$root" "$prefix")"
  [ -f "$manifest" ] || { echo "nothing recorded at $manifest: ovn-mesos is not installed there" >&2; return 1; }
  ovn_mesos_remove_listed "$root" < "$manifest"
  rm -f "$manifest"
  ovn_mesos_remove_empty_dirs "$root" "$(dirname "$manifest")"
}

# Removes the files of manifest lines read from stdin that are unchanged, and then the directories
# they leave empty.
ovn_mesos_remove_listed() { # root
  local root="$1" sum path dirs=()
  while read -r sum path; do
    if [ -e "$root$path" ]; then
      if [ "$(sha256sum < "$root$path" | cut -d' ' -f1)" = "$sum" ]; then
        rm -f "$root$path"
      else
        echo "kept $path (edited since it was installed)" >&2
      fi
    fi
    dirs+=("$(dirname "$root$path")")
  done
  ovn_mesos_remove_empty_dirs "$root" "${dirs[@]}"
}

# Removes each directory given if empty, and then its parents while they are empty, up to ROOT.
ovn_mesos_remove_empty_dirs() { # root dir...
  local root="$1" d
  shift
  [ $# -gt 0 ] || return 0
  # Deepest first, so that a parent empties after its children.
  printf '%s\n' "$@" | sort -u -r | while read -r d; do
    while [ "$d" != "$root" ] && [ "$d" != "/" ] && rmdir "$d" 2>/dev/null; do
      d="$(dirname "$d")"
    done
  done
}

# Installs Open vSwitch and OVN from Debian's packages: central (northd and the databases) or host
# (ovn-controller). Does nothing for what is there already.
ovn_mesos_install_ovn() { # central|host
  local packages=(openvswitch-switch)
  case "$1" in
    central) packages+=(ovn-central ovn-host) ;;
    host) packages+=(ovn-host) ;;
    *) echo "ovn_mesos_install_ovn: expected central or host, got '$1'" >&2; return 2 ;;
  esac
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" default-jre-headless
  fi
}

# Lets the OVN databases on this host listen on TCP for the other hosts.
ovn_mesos_open_ovn_databases() {
  ovn-nbctl set-connection ptcp:6641
  ovn-sbctl set-connection ptcp:6642
}

# Joins this host to OVN as a chassis: the Southbound at CENTRAL_IP, Geneve tunnels from ENCAP_IP.
ovn_mesos_join_chassis() { # central_ip encap_ip
  ovs-vsctl set Open_vSwitch . external_ids:ovn-remote="tcp:$1:6642" external_ids:ovn-encap-type=geneve \
    external_ids:ovn-encap-ip="$2" external_ids:system-id="$(hostname)"
}
