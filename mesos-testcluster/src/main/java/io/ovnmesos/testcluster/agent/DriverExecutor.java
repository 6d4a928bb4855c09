package io.ovnmesos.testcluster.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the network sees of a driver-based executor (Mesos' exec.cpp, the command executor under the
 * agent's default {@code --http_command_executor=false}): inside the task's network namespace it
 * listens on a random port of every address ({@code LIBPROCESS_IP=0.0.0.0}), connects to the agent's
 * endpoint to register, and advertises {@code <first ip4 of the CNI result>:<port>}; the agent then
 * opens connections of its own, from its own namespace, to that address. The executor is a Perl
 * script (perl-base is in every Debian), given its values as arguments, never as script text.
 */
final class DriverExecutor {
  private static final String SCRIPT = String.join("\n",
      "use IO::Socket::INET;",
      "my ($host, $port, $wait) = @ARGV;",
      "$| = 1;",
      "my $l = IO::Socket::INET->new(Listen => 5, LocalAddr => '0.0.0.0', LocalPort => 0, Proto => 'tcp') or exit 2;",
      "my $a = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port, Proto => 'tcp', Timeout => $wait) or exit 3;",
      "print 'registered ', $l->sockport, \"\\n\";",
      "$SIG{ALRM} = sub { exit 4 };",
      "alarm $wait;",
      "my $c = $l->accept or exit 4;",
      "print 'linked ', $c->peerhost, \"\\n\";",
      "");

  private final Process process;
  private final BufferedReader out;

  private DriverExecutor(Process process) {
    this.process = process;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts the executor in the namespace of {@code holder}, registering with {@code agent} within {@code wait}. */
  static DriverExecutor start(Process holder, AgentEndpoint agent, Duration wait) throws IOException {
    return new DriverExecutor(new ProcessBuilder("nsenter", "--net=/proc/" + holder.pid() + "/ns/net", "perl", "-e", SCRIPT,
        agent.ip(), Integer.toString(agent.port()), Long.toString(wait.toSeconds()))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start());
  }

  /** The port the executor listens on once it has registered with the agent; empty if it could not. */
  Optional<Integer> registered(Duration wait) {
    return line(wait).filter(l -> l.startsWith("registered ")).map(l -> Integer.parseInt(l.substring(11).strip()));
  }

  /** The address the agent's connection came from, as the executor saw it; empty if none came. */
  Optional<String> linked(Duration wait) {
    return line(wait).filter(l -> l.startsWith("linked ")).map(l -> l.substring(7).strip());
  }

  void stop() {
    process.destroyForcibly();
  }

  private Optional<String> line(Duration wait) {
    CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    try {
      return Optional.ofNullable(next.get(wait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException | ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
