package io.ovnmesos.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovnmesos.ovsdb.jsonrpc.Remote;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RemoteTest {

  @Test
  void parsesEachKindAndAList() {
    assertThat(Remote.parse("tcp:10.0.0.1:6641")).isEqualTo(new Remote(Remote.Kind.TCP, "10.0.0.1", 6641, null));
    assertThat(Remote.parse("ssl:[fd00::1]:6641")).isEqualTo(new Remote(Remote.Kind.SSL, "fd00::1", 6641, null));
    assertThat(Remote.parse("tcp:nb.example")).isEqualTo(new Remote(Remote.Kind.TCP, "nb.example", 6640, null));
    assertThat(Remote.parse("unix:/var/run/ovn/ovnnb_db.sock").path()).isEqualTo(Path.of("/var/run/ovn/ovnnb_db.sock"));
    assertThat(Remote.parseList("tcp:a:1, tcp:b:2,tcp:c:3")).extracting(Remote::host).containsExactly("a", "b", "c");
    assertThat(Remote.parse("ssl:[fd00::1]:6641").toString()).isEqualTo("ssl:[fd00::1]:6641");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://x:1|expected tcp:HOST:PORT",
      "tcp::6641|missing host",
      "tcp:h:99999|port must be 1-65535",
      "tcp:h:abc|port must be 1-65535",
      "unix:|needs a socket path",
      "tcp:[::1|unterminated IPv6",
  })
  void rejectsWhatCannotBeUsedAndSaysWhy(String remote, String why) {
    assertThatThrownBy(() -> Remote.parse(remote)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
  }

  @Test
  void anEmptyListIsRejected() {
    assertThatThrownBy(() -> Remote.parseList(" , ")).hasMessageContaining("no remote given");
  }
}
