package io.ovnmesos.topology.access;

import java.util.List;

/**
 * The one rule for the role a task runs as, which tenant rules check: the role its resources were
 * allocated to, else the role of their innermost reservation, else its framework's only role (a
 * framework older than multi-role has just one), else "*". The framework reads a task from the
 * master, an agent from its checkpoint; both hand the fields here.
 */
public final class TaskRole {
  /** What one resource of a task says of roles: its allocation's role ("" if none) and its reservations', outermost first. */
  public record Resource(String allocationRole, List<String> reservationRoles) {
    public Resource {
      reservationRoles = List.copyOf(reservationRoles);
    }
  }

  private TaskRole() {}

  /**
   * @param frameworkRoles FrameworkInfo.roles, empty if unknown
   * @param frameworkRole the deprecated FrameworkInfo.role, "" if unset or unknown
   */
  public static String of(List<Resource> resources, List<String> frameworkRoles, String frameworkRole) {
    for (Resource r : resources) {
      if (!r.allocationRole().isEmpty()) {
        return r.allocationRole();
      }
    }
    for (Resource r : resources) {
      if (!r.reservationRoles().isEmpty()) {
        return r.reservationRoles().get(r.reservationRoles().size() - 1);
      }
    }
    if (frameworkRoles.size() == 1) {
      return frameworkRoles.get(0);
    }
    return frameworkRole.isEmpty() ? "*" : frameworkRole;
  }
}
