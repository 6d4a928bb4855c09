package io.ovnmesos.executorhook.cni;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and hostile CNI calls for the request parser, a thousand tries per property in every build:
 * whatever comes in, the answer is a request or a CNI error with one of the spec's codes and a
 * message; nothing else escapes.
 */
class CniRequestParserFuzzTest {
  private static final Set<Integer> CODES = Set.of(CniException.INCOMPATIBLE_VERSION, CniException.UNSUPPORTED_FIELD,
      CniException.INVALID_ENVIRONMENT, CniException.DECODE_FAILURE, CniException.INVALID_CONFIG);

  private static void parsesOrRefusesClearly(Map<String, String> env, byte[] stdin) {
    try {
      CniRequest r = CniRequestParser.parse(env, stdin);
      if (r.command() != CniRequest.Command.VERSION) { // VERSION names no container
        assertThat(r.containerId()).matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
        assertThat(r.ifName()).matches("[A-Za-z0-9_.-]{1,15}");
        r.netns().ifPresent(ns -> assertThat(ns).startsWith("/").doesNotContain(".."));
      }
    } catch (CniException e) {
      assertThat(CODES).as(e.getMessage()).contains(e.code());
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    }
  }

  @Property
  void anyBytesOnStdinAreAnsweredClearly(@ForAll("env") Map<String, String> env, @ForAll byte[] stdin) {
    parsesOrRefusesClearly(env, stdin);
  }

  @Property
  void anyEnvironmentIsAnsweredClearly(@ForAll("anyEnv") Map<String, String> env, @ForAll("config") String stdin) {
    parsesOrRefusesClearly(env, stdin.getBytes(StandardCharsets.UTF_8));
  }

  @Property
  void mutatedConfigsAreAnsweredClearly(@ForAll("env") Map<String, String> env, @ForAll("mutatedConfig") String stdin) {
    parsesOrRefusesClearly(env, stdin.getBytes(StandardCharsets.UTF_8));
  }

  /** A plausible environment, sometimes with one variable replaced by anything. */
  @Provide
  Arbitrary<Map<String, String>> env() {
    Arbitrary<String> any = Arbitraries.strings().ofMaxLength(300);
    return Combinators.combine(Arbitraries.of("ADD", "DEL", "CHECK", "VERSION", "GC", ""), any,
        Arbitraries.of("CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS", "CNI_PATH", "NONE")).as((cmd, value, replaced) -> {
          Map<String, String> e = new HashMap<>(Map.of("CNI_COMMAND", cmd, "CNI_CONTAINERID", "c0ffee00-0000-4000-8000-000000000001",
              "CNI_IFNAME", "eth0", "CNI_NETNS", "/var/run/mesos/isolators/network/cni/c0ffee/ns", "CNI_PATH", "/opt/cni/bin"));
          if (!replaced.equals("NONE")) {
            e.put(replaced, value);
          }
          return e;
        });
  }

  @Provide
  Arbitrary<Map<String, String>> anyEnv() {
    return Arbitraries.maps(Arbitraries.of("CNI_COMMAND", "CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS", "CNI_PATH", "CNI_ARGS"),
        Arbitraries.strings().ofMaxLength(200)).ofMaxSize(6);
  }

  private static final String CONFIG = "{\"cniVersion\":\"0.3.1\",\"name\":\"ovn\",\"type\":\"ovn-mesos-plugin\","
      + "\"args\":{\"org.apache.mesos\":{\"network_info\":{\"name\":\"ovn\",\"labels\":{\"labels\":"
      + "[{\"key\":\"logical_switch\",\"value\":\"coke1\"},{\"key\":\"ip_address\",\"value\":\"192.168.1.7\"}]}}}}}";

  @Provide
  Arbitrary<String> config() {
    return Arbitraries.oneOf(Arbitraries.just(CONFIG), Arbitraries.strings().ofMaxLength(500));
  }

  /** The good config with a slice cut out, or a random string put in at a random place. */
  @Provide
  Arbitrary<String> mutatedConfig() {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, CONFIG.length());
    return Combinators.combine(at, at, Arbitraries.strings().ofMaxLength(40)).as((a, b, insert) -> {
      int from = Math.min(a, b);
      int to = Math.max(a, b);
      return CONFIG.substring(0, from) + insert + CONFIG.substring(to);
    });
  }
}
