package io.ovnmesos.framework.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class MasterClientTest {
  @Test
  void aProtocolRelativeLocationNamesTheLeader() {
    // What a non-leading Mesos master sends: //<leader hostname>:<port><path>
    assertThat(MasterClient.leaderBase(URI.create("http://10.0.0.2:5050"), "//master-1.example:5050/api/v1/scheduler"))
        .isEqualTo(URI.create("http://master-1.example:5050"));
  }

  @Test
  void masterListsAreParsedAndBadOnesNamed() {
    assertThat(MasterDetector.parse("10.0.0.1:5050, http://10.0.0.2:5051").candidates())
        .containsExactly(URI.create("http://10.0.0.1:5050"), URI.create("http://10.0.0.2:5051"));
    assertThatThrownBy(() -> MasterDetector.parse("10.0.0.1")).hasMessageContaining("--master").hasMessageContaining("host:port");
    assertThatThrownBy(() -> MasterDetector.parse("zk://10.0.0.1:2181")).hasMessageContaining("zk://host:port");
  }
}
