package io.ovnmesos.topology;

import java.util.regex.Pattern;

/**
 * Object names, kept as the 2017 prototype made them so its users' scripts and tasks' labels keep
 * working: the tenant router is named after the tenant, a network's logical switch after the network
 * (so a task's {@code logical_switch} label names it; network names are unique across tenants).
 */
public final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private Names() {}

  /** Checks a tenant, network or chassis name supplied by a user; {@code field} names it in the error. */
  public static String check(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw TopologyException.invalid(field, "must not be empty");
    }
    if (!NAME.matcher(value).matches()) {
      throw TopologyException.invalid(field, "\"" + printable(value) + "\" is not a valid name: use 1 to 63 letters, "
          + "digits, '_', '.' or '-', starting with a letter or digit");
    }
    return value;
  }

  public static String tenantRouter(String tenant) {
    return tenant;
  }

  public static String joinSwitch(String tenant) {
    return "join_" + tenant;
  }

  public static String routerToJoin(String router) {
    return "rtoj-" + router;
  }

  public static String joinToRouter(String router) {
    return "jtor-" + router;
  }

  public static String networkSwitch(String network) {
    return network;
  }

  public static String routerToNetwork(String tenant, String network) {
    return "rtos-" + tenant + "-" + network;
  }

  public static String networkToRouter(String tenant, String network) {
    return "stor-" + network + "-" + tenant;
  }

  public static String gatewayRouter(String tenant, String chassis) {
    return "GR_" + tenant + "_" + chassis;
  }

  public static String routerToExternal(String router) {
    return "rtoe-" + router;
  }

  public static String externalToRouter(String router) {
    return "etor-" + router;
  }

  public static String externalSwitch(String physicalNetwork) {
    return "ext_" + physicalNetwork;
  }

  public static String localnetPort(String physicalNetwork) {
    return "ln-" + physicalNetwork;
  }

  public static String gatewayGroup(String tenant) {
    return tenant + "-gateway";
  }

  /** A user string made safe to echo in an error: control characters shown escaped, length bounded. */
  public static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 80; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return s.length() > 80 ? b + "..." : b.toString();
  }
}
