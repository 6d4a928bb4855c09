package io.ovnmesos.executorhook.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes results and errors in the form each CNI version defines: 0.1.0/0.2.0 with {@code ip4},
 * {@code ip6} and {@code dns} (the only form Mesos reads); 0.3.x and 0.4.0 with {@code interfaces},
 * {@code ips} (with {@code version}) and {@code routes}; 1.0.0 likewise without {@code version}.
 */
public final class CniResultWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CniResultWriter() {}

  public static String result(CniResult r, String version) {
    ObjectNode out = JSON.createObjectNode().put("cniVersion", version);
    if (version.equals("0.1.0") || version.equals("0.2.0")) {
      for (CniResult.IpConfig ip : r.ips()) {
        String key = ip.ipv6() ? "ip6" : "ip4";
        if (out.has(key)) {
          continue;
        }
        ObjectNode block = out.putObject(key).put("ip", ip.address());
        if (ip.gateway() != null) {
          block.put("gateway", ip.gateway());
        }
        ArrayNode routes = JSON.createArrayNode();
        r.routes().stream().filter(rt -> rt.destination().contains(":") == ip.ipv6())
            .forEach(rt -> routes.addObject().put("dst", rt.destination()).put("gw", rt.gateway()));
        if (!routes.isEmpty()) {
          block.set("routes", routes);
        }
      }
    } else {
      ArrayNode ifaces = out.putArray("interfaces");
      ifaces.addObject().put("name", r.hostInterface()).put("mac", r.hostMac());
      ifaces.addObject().put("name", r.containerInterface()).put("mac", r.containerMac()).put("sandbox", r.netns());
      ArrayNode ips = out.putArray("ips");
      for (CniResult.IpConfig ip : r.ips()) {
        ObjectNode o = ips.addObject();
        if (!version.equals("1.0.0")) {
          o.put("version", ip.ipv6() ? "6" : "4");
        }
        o.put("interface", 1).put("address", ip.address());
        if (ip.gateway() != null) {
          o.put("gateway", ip.gateway());
        }
      }
      ArrayNode routes = out.putArray("routes");
      r.routes().forEach(rt -> routes.addObject().put("dst", rt.destination()).put("gw", rt.gateway()));
    }
    CniResult.Dns dns = r.dns();
    if (!dns.nameservers().isEmpty() || dns.domain() != null || !dns.search().isEmpty()) {
      ObjectNode d = out.putObject("dns");
      dns.nameservers().forEach(d.putArray("nameservers")::add);
      if (dns.domain() != null) {
        d.put("domain", dns.domain());
      }
      if (!dns.search().isEmpty()) {
        dns.search().forEach(d.putArray("search")::add);
      }
      if (!dns.options().isEmpty()) {
        dns.options().forEach(d.putArray("options")::add);
      }
    }
    return write(out);
  }

  /** The spec's error object. */
  public static String error(CniException e, String version) {
    return write(JSON.createObjectNode().put("cniVersion", version).put("code", e.code()).put("msg", e.getMessage())
        .put("details", e.details()));
  }

  /** The answer to VERSION. */
  public static String version() {
    ObjectNode out = JSON.createObjectNode().put("cniVersion", "1.0.0");
    CniRequestParser.SUPPORTED_VERSIONS.forEach(out.putArray("supportedVersions")::add);
    return write(out);
  }

  private static String write(ObjectNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
