package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovnmesos.testcluster.master.Master;
import io.ovnmesos.testcluster.master.MasterServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A master that does not lead answers as Mesos does: 307 to the leader, protocol-relative; 503 with none. */
class LeaderRedirectTest {
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private HttpResponse<String> post(MasterServer to, String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + path))
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aNonLeaderRedirectsToTheLeaderOrSaysThereIsNone() throws Exception {
    Master state = new Master();
    try (MasterServer leader = MasterServer.start(state, Duration.ofSeconds(1));
        MasterServer other = MasterServer.start(state, Duration.ofSeconds(1))) {
      other.follow(leader);
      HttpResponse<String> r = post(other, "/api/v1?x=1", "{\"type\":\"GET_TASKS\"}");
      assertThat(r.statusCode()).isEqualTo(307);
      assertThat(r.headers().firstValue("Location")).contains("//127.0.0.1:" + leader.port() + "/api/v1?x=1");
      HttpResponse<String> s = post(other, "/api/v1/scheduler", "{\"type\":\"SUBSCRIBE\"}");
      assertThat(s.statusCode()).isEqualTo(307);
      assertThat(s.headers().firstValue("Location")).contains("//127.0.0.1:" + leader.port() + "/api/v1/scheduler");

      other.noLeader();
      HttpResponse<String> none = post(other, "/api/v1", "{\"type\":\"GET_TASKS\"}");
      assertThat(none.statusCode()).isEqualTo(503);
      assertThat(none.body()).isEqualTo("No leader elected");

      assertThat(post(leader, "/api/v1", "{\"type\":\"GET_TASKS\"}").statusCode()).isEqualTo(200);
    }
  }
}
