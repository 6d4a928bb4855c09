package io.ovnmesos.topology;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code external_ids} that mark a Northbound object as ovn-mesos'. Only objects with
 * {@link #KIND} are ever changed or deleted by ovn-mesos; everything else is someone else's.
 */
public final class Ownership {
  /** What the object is to ovn-mesos; present on every object ovn-mesos made. */
  public static final String KIND = "ovn-mesos/kind";
  /** The tenant the object belongs to. */
  public static final String TENANT = "ovn-mesos/tenant";
  /** The network (logical switch) the object belongs to. */
  public static final String NETWORK = "ovn-mesos/network";

  /** The kinds of object ovn-mesos makes. */
  public enum Kind {
    TENANT_ROUTER("tenant-router"), JOIN_SWITCH("join-switch"), NETWORK("network"),
    GATEWAY_ROUTER("gateway-router"), EXTERNAL_SWITCH("external-switch"), GATEWAY_GROUP("gateway-group"),
    ROUTE("route"), NAT("nat"), PORT("port"), DNS("dns");

    private final String value;

    Kind(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  private Ownership() {}

  /** The marks for a {@code kind} object of {@code tenant} (which may be null for shared objects). */
  public static Map<String, String> marks(Kind kind, String tenant) {
    Map<String, String> ids = new HashMap<>();
    ids.put(KIND, kind.value());
    if (tenant != null) {
      ids.put(TENANT, tenant);
    }
    return ids;
  }

  /** True if {@code externalIds} say ovn-mesos made the object, as a {@code kind}. */
  public static boolean is(Map<String, String> externalIds, Kind kind) {
    return kind.value().equals(externalIds.get(KIND));
  }

  /** True if ovn-mesos made the object, whatever its kind. */
  public static boolean ours(Map<String, String> externalIds) {
    return externalIds.containsKey(KIND);
  }

  /** The tenant an object of ours belongs to. */
  public static Optional<String> tenant(Map<String, String> externalIds) {
    return Optional.ofNullable(externalIds.get(TENANT));
  }
}
