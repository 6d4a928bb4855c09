package io.ovnmesos.topology.access;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which Mesos roles and framework principals may put tasks on which tenants' networks. Rules are
 * written {@code role:<role>=<tenant>[,<tenant>...]} or {@code principal:<principal>=<tenant>,...};
 * a tenant of {@code *} means every tenant. A task may use a tenant if its role or its framework's
 * principal is granted it. With no rules at all, everything is allowed, as in the prototype.
 */
public final class TenantAccess {
  private final Map<String, Set<String>> byRole = new HashMap<>();
  private final Map<String, Set<String>> byPrincipal = new HashMap<>();
  private final boolean open;
  private final List<String> rules;

  private TenantAccess(boolean open, List<String> rules) {
    this.open = open;
    this.rules = List.copyOf(rules);
  }

  /** Everything allowed. */
  public static TenantAccess allowAll() {
    return new TenantAccess(true, List.of());
  }

  /** Nothing allowed: for an agent that has not heard its framework's rules. Never handed on. */
  public static TenantAccess denyAll() {
    return new TenantAccess(false, List.of());
  }

  /** Parses rules; a malformed one is an IllegalArgumentException naming it and the expected form. */
  public static TenantAccess parse(List<String> rules) {
    if (rules.isEmpty()) {
      return allowAll();
    }
    TenantAccess access = new TenantAccess(false, rules);
    for (String rule : rules) {
      int eq = rule.indexOf('=');
      int colon = rule.indexOf(':');
      if (eq < 0 || colon < 0 || colon > eq) {
        throw new IllegalArgumentException("--allow \"" + rule + "\": expected role:<role>=<tenant>[,<tenant>...] "
            + "or principal:<principal>=<tenant>[,...]");
      }
      String kind = rule.substring(0, colon);
      String who = rule.substring(colon + 1, eq);
      Set<String> tenants = new HashSet<>(List.of(rule.substring(eq + 1).split(",")));
      tenants.removeIf(String::isBlank);
      if (who.isEmpty() || tenants.isEmpty()) {
        throw new IllegalArgumentException("--allow \"" + rule + "\": names no " + (who.isEmpty() ? kind : "tenant"));
      }
      Map<String, Set<String>> target = switch (kind) {
        case "role" -> access.byRole;
        case "principal" -> access.byPrincipal;
        default -> throw new IllegalArgumentException("--allow \"" + rule + "\": \"" + kind
            + "\" is neither role nor principal");
      };
      target.computeIfAbsent(who, k -> new HashSet<>()).addAll(tenants);
    }
    return access;
  }

  /** The rules as given, for handing on (agents take them from the framework); empty if open. */
  public List<String> rules() {
    return rules;
  }

  /** True if no rule restricts anything. */
  public boolean isOpen() {
    return open;
  }

  /** True if a task of {@code role}, launched by a framework with {@code principal}, may use {@code tenant}. */
  public boolean allows(String role, String principal, String tenant) {
    return open || grants(byRole.get(role), tenant) || grants(byPrincipal.get(principal), tenant);
  }

  /** Why a task of {@code role} and {@code principal} may not use {@code network} of {@code tenant}, in one sentence. */
  public static String denial(String role, String principal, String network, String tenant) {
    return "role \"" + role + "\"" + (principal.isEmpty() ? "" : " and principal \"" + principal + "\"")
        + " may not use network \"" + network + "\" of tenant \"" + tenant + "\"";
  }

  private static boolean grants(Set<String> tenants, String tenant) {
    return tenants != null && (tenants.contains("*") || tenants.contains(tenant));
  }
}
