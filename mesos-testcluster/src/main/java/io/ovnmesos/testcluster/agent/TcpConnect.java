package io.ovnmesos.testcluster.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection made from a network namespace, as an executor or an agent makes it: bash's
 * /dev/tcp there, the values passed as arguments, never as script text; or a socket of this process
 * when the namespace is its own.
 */
final class TcpConnect {
  private TcpConnect() {}

  /** True if a connection to {@code ip:port}, made from {@code netns} (empty: this process'), was accepted within {@code wait}. */
  static boolean from(Optional<String> netns, String ip, int port, Duration wait) {
    if (netns.isEmpty()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(ip, port), (int) wait.toMillis());
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    List<String> argv = List.of("nsenter", "--net=" + netns.get(), "timeout", Long.toString(wait.toSeconds()), "bash", "-c",
        "exec 3<>\"/dev/tcp/$1/$2\"", "connect", ip, Integer.toString(port));
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(wait.toSeconds() + 5, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
