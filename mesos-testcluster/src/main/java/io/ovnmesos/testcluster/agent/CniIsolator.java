package io.ovnmesos.testcluster.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mesos agent's {@code network/cni} isolator, as Mesos 1.11 runs CNI plugins
 * (src/slave/containerizer/mesos/isolators/network/cni/cni.cpp): the container's network namespace
 * bind-mounted at {@code <root>/<container id>/ns}, each named network's config checkpointed with
 * {@code args["org.apache.mesos"]["network_info"]} injected (keys sorted, compact) and fed to the
 * plugin on stdin, an environment of only the CNI variables and PATH, all networks in parallel, no
 * timeout, only the 0.2.0 result form understood, and DEL from the checkpoint, with
 * {@code CNI_NETNS} only while the namespace is still mounted.
 */
public final class CniIsolator {
  private static final Logger LOG = LoggerFactory.getLogger(CniIsolator.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final String RESERVED = "org.apache.mesos";

  /** A network found in the config directory. */
  record Network(String name, Path configFile, Path plugin) {}

  private final Path configDir;
  private final String pluginsDir;
  private final Path root;
  private final String agentPath;

  /**
   * @param configDir {@code --network_cni_config_dir}
   * @param pluginsDir {@code --network_cni_plugins_dir}, a colon-separated search path
   * @param root where checkpoints go ({@code <runtime_dir>/isolators/network/cni})
   * @param agentPath the agent's PATH, the only variable plugins inherit
   */
  public CniIsolator(Path configDir, String pluginsDir, Path root, String agentPath) {
    this.configDir = configDir;
    this.pluginsDir = pluginsDir;
    this.root = root;
    this.agentPath = agentPath;
  }

  /** Why a container could not be attached or detached; the message is Mesos' own wording. */
  public static final class CniFailure extends RuntimeException {
    CniFailure(String message) {
      super(message);
    }
  }

  /**
   * Reads the config directory as the isolator does: every regular file, parsed as one JSON object
   * with a {@code name} and a {@code type} whose binary is in the plugins path; others are skipped
   * with a log line, as are later files repeating a name. A conflist has no top-level type and is
   * skipped too.
   */
  Map<String, Network> networks() {
    Map<String, Network> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(configDir)) {
      for (Path f : files.sorted().filter(Files::isRegularFile).toList()) {
        JsonNode conf;
        try {
          conf = JSON.readTree(Files.readAllBytes(f));
        } catch (IOException e) {
          LOG.warn("skipping CNI config {}: not JSON: {}", f, e.getMessage());
          continue;
        }
        if (conf == null || !conf.path("name").isTextual() || !conf.path("type").isTextual()) {
          LOG.warn("skipping CNI config {}: needs a name and a type", f);
          continue;
        }
        Optional<Path> plugin = findPlugin(conf.get("type").asText());
        if (plugin.isEmpty()) {
          LOG.warn("skipping CNI config {}: plugin {} not found in {}", f, conf.get("type").asText(), pluginsDir);
          continue;
        }
        out.putIfAbsent(conf.get("name").asText(), new Network(conf.get("name").asText(), f, plugin.get()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private Optional<Path> findPlugin(String type) {
    for (String dir : pluginsDir.split(":")) {
      Path p = Path.of(dir, type);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@code stringify(ContainerID)}: the id, or {@code parent.child} for nested containers. */
  public static String stringify(Protos.ContainerID id) {
    return id.hasParent() ? stringify(id.getParent()) + "." + id.getValue() : id.getValue();
  }

  /**
   * Attaches the container whose first process is {@code pid} to each named network in
   * {@code networkInfos} (eth0, eth1, ... in order) and returns the status Mesos reports: each
   * NetworkInfo with its {@code ip_addresses} replaced by what the plugin returned.
   */
  public Protos.ContainerStatus attach(Protos.ContainerID containerId, long pid, List<Protos.NetworkInfo> networkInfos) {
    String cid = stringify(containerId);
    Map<String, Network> known = networks();
    List<Protos.NetworkInfo> named = networkInfos.stream().filter(Protos.NetworkInfo::hasName).toList();
    Set<String> seen = new HashSet<>();
    for (Protos.NetworkInfo n : named) {
      if (!known.containsKey(n.getName())) {
        throw new CniFailure("Unknown CNI network '" + n.getName() + "'");
      }
      if (!seen.add(n.getName())) {
        throw new CniFailure("Attempted to join CNI network '" + n.getName() + "' multiple times");
      }
    }
    Path dir = root.resolve(cid);
    Path ns = dir.resolve("ns");
    try {
      Files.createDirectories(dir);
      if (!Files.exists(ns)) {
        Files.createFile(ns);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Subprocess.run(List.of("mount", "--bind", "/proc/" + pid + "/ns/net", ns.toString()), null).orThrow("bind-mount the network namespace");

    List<CompletableFuture<Protos.NetworkInfo>> attaching = new ArrayList<>();
    for (int i = 0; i < named.size(); i++) {
      Protos.NetworkInfo info = named.get(i);
      String ifName = "eth" + i;
      attaching.add(CompletableFuture.supplyAsync(() -> attachOne(cid, ns, known.get(info.getName()), info, ifName)));
    }
    Protos.ContainerStatus.Builder status = Protos.ContainerStatus.newBuilder().setContainerId(containerId);
    List<String> failures = new ArrayList<>();
    for (CompletableFuture<Protos.NetworkInfo> f : attaching) {
      try {
        status.addNetworkInfos(f.join());
      } catch (java.util.concurrent.CompletionException e) {
        failures.add(e.getCause().getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new CniFailure(String.join("; ", failures));
    }
    return status.build();
  }

  private Protos.NetworkInfo attachOne(String cid, Path ns, Network network, Protos.NetworkInfo info, String ifName) {
    Path networkDir = root.resolve(cid).resolve(network.name());
    try {
      Files.createDirectories(networkDir.resolve(ifName));
      JsonNode conf = JSON.readTree(Files.readAllBytes(network.configFile()));
      Map<String, Object> config = sorted(conf);
      @SuppressWarnings("unchecked")
      Map<String, Object> args = config.get("args") instanceof Map<?, ?> m ? (Map<String, Object>) m : new TreeMap<>();
      if (args.containsKey(RESERVED)) {
        throw new CniFailure("'args' in the CNI network configuration for network '" + network.name()
            + "' contains the key '" + RESERVED + "' which is reserved by Mesos");
      }
      Map<String, Object> mesos = new TreeMap<>();
      mesos.put("network_info", sorted(JSON.readTree(JsonFormat.printer().preservingProtoFieldNames()
          .omittingInsignificantWhitespace().print(withProtocolDefaults(info)))));
      args.put(RESERVED, mesos);
      config.put("args", args);
      Path checkpoint = networkDir.resolve("network.conf");
      Files.write(checkpoint, JSON.writeValueAsBytes(config));

      Subprocess.Result r = Subprocess.run(List.of(network.plugin().toString()),
          env("ADD", cid, ifName, Optional.of(ns.toRealPath().toString())), checkpoint);
      if (r.exit() != 0) {
        throw new CniFailure("The CNI plugin '" + network.plugin() + "' failed to attach container " + cid
            + " to CNI network '" + network.name() + "': stdout='" + r.stdout() + "', stderr='" + r.stderr() + "'");
      }
      Protos.NetworkInfo.Builder result = info.toBuilder().clearIpAddresses();
      JsonNode out = r.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.stdout());
      // Mesos understands only the 0.1/0.2 form: ip4, ip6 and dns. Anything else yields no address.
      if (out.has("ip4")) {
        String ip = requireIp(out.get("ip4"), network);
        result.addIpAddresses(Protos.NetworkInfo.IPAddress.newBuilder().setProtocol(Protos.NetworkInfo.Protocol.IPv4)
            .setIpAddress(ip.contains("/") ? ip.substring(0, ip.indexOf('/')) : ip));
      }
      if (out.has("ip6")) {
        result.addIpAddresses(Protos.NetworkInfo.IPAddress.newBuilder().setProtocol(Protos.NetworkInfo.Protocol.IPv6)
            .setIpAddress(requireIp(out.get("ip6"), network)));
      }
      Files.writeString(networkDir.resolve(ifName).resolve("network.info"), r.stdout());
      return result.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String requireIp(JsonNode block, Network network) {
    if (!block.path("ip").isTextual()) {
      throw new CniFailure("Failed to parse the output of CNI network '" + network.name() + "': ip is required");
    }
    return block.get("ip").asText();
  }

  /** Mesos prints optional fields with explicit defaults: an IPAddress without protocol shows IPv4. */
  private static Protos.NetworkInfo withProtocolDefaults(Protos.NetworkInfo info) {
    Protos.NetworkInfo.Builder b = info.toBuilder();
    for (int i = 0; i < b.getIpAddressesCount(); i++) {
      if (!b.getIpAddresses(i).hasProtocol()) {
        b.setIpAddresses(i, b.getIpAddresses(i).toBuilder().setProtocol(Protos.NetworkInfo.Protocol.IPv4));
      }
    }
    return b.build();
  }

  /**
   * Detaches the container: a DEL per network that was checkpointed, from that checkpoint, in
   * parallel; then unmounts and removes its directory. Any failed DEL fails the cleanup and leaves
   * the directory, as Mesos does (there is no retry in the agent).
   */
  public void detach(Protos.ContainerID containerId) {
    String cid = stringify(containerId);
    Path dir = root.resolve(cid);
    if (!Files.isDirectory(dir)) {
      return;
    }
    Path ns = dir.resolve("ns");
    Optional<String> netns = isNetnsMounted(ns) ? Optional.of(realPath(ns)) : Optional.empty();
    Map<String, Network> known = networks();
    List<CompletableFuture<String>> deleting = new ArrayList<>();
    try (Stream<Path> nets = Files.list(dir)) {
      for (Path networkDir : nets.filter(Files::isDirectory).sorted().toList()) {
        Path checkpoint = networkDir.resolve("network.conf");
        if (!Files.exists(checkpoint)) {
          LOG.warn("no checkpointed config for network {} of {}: ADD never ran, skipping DEL", networkDir.getFileName(), cid);
          continue;
        }
        String networkName = networkDir.getFileName().toString();
        String type = JSON.readTree(Files.readAllBytes(checkpoint)).path("type").asText();
        Path plugin = Optional.ofNullable(known.get(networkName)).map(Network::plugin).or(() -> findPlugin(type))
            .orElseThrow(() -> new CniFailure("plugin " + type + " of network " + networkName + " not found"));
        try (Stream<Path> ifs = Files.list(networkDir)) {
          for (Path ifDir : ifs.filter(Files::isDirectory).toList()) {
            String ifName = ifDir.getFileName().toString();
            deleting.add(CompletableFuture.supplyAsync(() -> {
              Subprocess.Result r = Subprocess.run(List.of(plugin.toString()), env("DEL", cid, ifName, netns), checkpoint);
              if (r.exit() != 0) {
                return "The CNI plugin '" + plugin + "' failed to detach container " + cid + " from CNI network '"
                    + networkName + "': stdout='" + r.stdout() + "', stderr='" + r.stderr() + "'";
              }
              deleteTree(ifDir);
              return null;
            }));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> failures = deleting.stream().map(CompletableFuture::join).filter(m -> m != null).toList();
    if (!failures.isEmpty()) {
      throw new CniFailure(String.join("; ", failures));
    }
    if (isNetnsMounted(ns)) {
      Subprocess.run(List.of("umount", ns.toString()), null).orThrow("unmount the network namespace handle");
    }
    deleteTree(dir);
  }

  /** True while {@code ns} is a bind mount of a network namespace (Mesos compares device numbers). */
  static boolean isNetnsMounted(Path ns) {
    try {
      Object nsDev = Files.getAttribute(ns, "unix:dev");
      Object selfDev = Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:dev");
      return nsDev.equals(selfDev);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private Map<String, String> env(String command, String cid, String ifName, Optional<String> netns) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", cid);
    env.put("CNI_PATH", pluginsDir);
    env.put("CNI_IFNAME", ifName);
    netns.ifPresent(n -> env.put("CNI_NETNS", n));
    env.put("PATH", agentPath);
    return env;
  }

  private static String realPath(Path p) {
    try {
      return p.toRealPath().toString();
    } catch (IOException e) {
      return p.toAbsolutePath().toString();
    }
  }

  /** A JSON value as sorted maps and lists, as stout's JSON::Object (a std::map) prints it. */
  private static Map<String, Object> sorted(JsonNode node) {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) toSorted(node);
    return m;
  }

  private static Object toSorted(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        m.put(e.getKey(), toSorted(e.getValue()));
      }
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(toSorted(x)));
      return l;
    }
    return n;
  }

  private static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
