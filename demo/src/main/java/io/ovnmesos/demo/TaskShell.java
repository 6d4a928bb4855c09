package io.ovnmesos.demo;

import io.ovnmesos.testbed.Command;
import io.ovnmesos.testbed.CommandResult;
import io.ovnmesos.testbed.Container;
import io.ovnmesos.testbed.Echo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos;

/**
 * Runs programs in a running task's network namespace, found from the process the agent reported
 * (the executor's pid in the task's last container status), as {@code nsenter --net} does for an
 * operator. Arguments are passed as arguments, never as shell text.
 */
final class TaskShell {
  private final String name;
  private final long pid;
  private final List<String> addresses;

  private TaskShell(String name, long pid, List<String> addresses) {
    this.name = name;
    this.pid = pid;
    this.addresses = addresses;
  }

  /** The shell of a running task. */
  static TaskShell of(Protos.Task task) {
    Protos.TaskStatus last = task.getStatuses(task.getStatusesCount() - 1);
    List<String> ips = new ArrayList<>();
    last.getContainerStatus().getNetworkInfosList().forEach(n -> n.getIpAddressesList().forEach(a -> ips.add(a.getIpAddress())));
    return new TaskShell(task.getTaskId().getValue(), last.getContainerStatus().getExecutorPid(), List.copyOf(ips));
  }

  /** The task's addresses, one per network, in the order of its networks. */
  List<String> addresses() {
    return addresses;
  }

  String name() {
    return name;
  }

  long pid() {
    return pid;
  }

  CommandResult run(Duration timeout, String... argv) {
    List<String> all = new ArrayList<>(List.of("nsenter", "--net=/proc/" + pid + "/ns/net", "--"));
    all.addAll(List.of(argv));
    return Command.of(all.toArray(String[]::new)).timeout(timeout).run();
  }

  /**
   * What a resolver in the task, asking {@code server} as its resolv.conf would, answers for
   * {@code name}: the addresses, none if it got no answer. Without EDNS, as glibc's resolver asks
   * (ovn-controller 23.03 answers no query that carries it).
   */
  Set<String> resolve(String server, String name) {
    Set<String> out = new TreeSet<>();
    run(Duration.ofSeconds(10), "dig", "+short", "+noedns", "+tries=1", "+time=2", "@" + server, name).out().lines()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith(";")).forEach(out::add);
    return out;
  }

  /** One ping, a second to answer. */
  boolean pingOnce(String ip) {
    return run(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", ip).ok();
  }

  /** Pings until a reply comes or {@code limit} passes (the first packets may wait for flows to be installed). */
  boolean canReach(String ip, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    do {
      if (pingOnce(ip)) {
        return true;
      }
    } while (System.nanoTime() < deadline);
    return false;
  }

  /** What a peer echo server at {@code ip}:{@code port} saw as this task's address. */
  String addressSeenBy(String ip, int port) {
    CommandResult r = Echo.send(List.of("nsenter", "--net=/proc/" + pid + "/ns/net", "--"), Container.Protocol.PEER, ip, port,
        "hello");
    if (!r.ok()) {
      throw new IllegalStateException("no answer from " + ip + ":" + port + " in task " + name + ": " + r.stderr().strip());
    }
    return r.stdout().strip();
  }
}
