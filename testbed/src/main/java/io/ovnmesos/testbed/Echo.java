package io.ovnmesos.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A tiny TCP/UDP echo, run as its own program inside a container's network namespace (a JVM thread
 * cannot enter a namespace). Uses nothing but the JDK.
 *
 * <pre>
 * Echo server tcp|udp PORT              echo every connection / datagram until killed
 * Echo server peer PORT                 answer every TCP connection with the caller's address
 * Echo client tcp|udp HOST PORT TEXT    send TEXT, print the reply, exit 0 (exit 1 after 3 s)
 * Echo client tcp HOST PORT TEXT FROM   the same over TCP, from local address FROM
 * </pre>
 */
public final class Echo {
  static final String READY = "echo: listening";

  private Echo() {}

  /** Entry point; see the class comment. */
  /**
   * Starts an echo server on {@code port} in {@code netns} (its console in {@code dir}) and returns
   * once it listens; stop the daemon to end it.
   */
  public static Daemon serve(Netns netns, Path dir, Container.Protocol protocol, int port) {
    String tag = "echo-" + protocol.name().toLowerCase() + "-" + port;
    Path console = dir.resolve(netns.name() + "-" + tag + ".console");
    Daemon server = new Daemon(tag, netns, Map.of(), console,
        javaArgv("server", protocol.name().toLowerCase(), Integer.toString(port))).start();
    Waiter.until(tag + " listening in " + netns, Duration.ofSeconds(30), () -> {
      if (!server.isAlive()) {
        throw new IllegalStateException(tag + " exited; see " + console);
      }
      return Files.exists(console) && Files.readString(console).contains(READY);
    });
    return server;
  }

  /** Sends {@code text} from {@code netns} to an echo server and returns the reply; fails after 3 s without one. */
  public static CommandResult send(Netns netns, Container.Protocol protocol, String host, int port, String text) {
    return send(List.of("ip", "netns", "exec", netns.name()), protocol, host, port, text);
  }

  /**
   * Sends {@code text} to an echo server from wherever {@code enter} (a command prefix such as
   * {@code nsenter --net=/proc/<pid>/ns/net --}) runs the client, and returns the reply.
   */
  public static CommandResult send(List<String> enter, Container.Protocol protocol, String host, int port, String text) {
    String wire = protocol == Container.Protocol.PEER ? "tcp" : protocol.name().toLowerCase();
    List<String> argv = new java.util.ArrayList<>(enter);
    argv.addAll(javaArgv("client", wire, host, Integer.toString(port), text));
    return Command.of(argv.toArray(String[]::new)).timeout(Duration.ofSeconds(30)).run();
  }

  /** Sends {@code text} over TCP from {@code netns}, from its local address {@code from}, and returns the reply. */
  public static CommandResult sendFrom(Netns netns, String from, String host, int port, String text) {
    List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", netns.name()));
    argv.addAll(javaArgv("client", "tcp", host, Integer.toString(port), text, from));
    return Command.of(argv.toArray(String[]::new)).timeout(Duration.ofSeconds(30)).run();
  }

  private static List<String> javaArgv(String... args) {
    String launcher = ProcessHandle.current().info().command().orElse("java");
    String classpath;
    try {
      classpath = Path.of(Echo.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return Command.argv(launcher, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classpath, Echo.class.getName(), args);
  }

  public static void main(String[] args) throws IOException {
    if (args.length == 3 && args[0].equals("server")) {
      int port = Integer.parseInt(args[2]);
      if (args[1].equals("tcp")) {
        tcpServer(port);
      } else if (args[1].equals("peer")) {
        peerServer(port);
      } else {
        udpServer(port);
      }
    } else if ((args.length == 5 || args.length == 6) && args[0].equals("client")) {
      byte[] text = args[4].getBytes(StandardCharsets.UTF_8);
      int port = Integer.parseInt(args[3]);
      String from = args.length == 6 ? args[5] : null;
      try {
        byte[] reply = args[1].equals("tcp") ? tcpClient(args[2], port, text, from) : udpClient(args[2], port, text);
        System.out.print(new String(reply, StandardCharsets.UTF_8));
      } catch (IOException e) {
        System.err.println("echo: " + e);
        System.exit(1);
      }
    } else {
      System.err.println("usage: Echo server tcp|udp|peer PORT | Echo client tcp|udp HOST PORT TEXT [FROM]");
      System.exit(2);
    }
  }

  private static void tcpServer(int port) throws IOException {
    try (ServerSocket ss = new ServerSocket()) {
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(port));
      announce();
      while (true) {
        Socket s = ss.accept();
        Thread t = new Thread(() -> {
          try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            in.transferTo(out);
          } catch (IOException ignored) {
            // the client went away; nothing to echo
          }
        });
        t.setDaemon(true);
        t.start();
      }
    }
  }

  private static void peerServer(int port) throws IOException {
    try (ServerSocket ss = new ServerSocket()) {
      ss.setReuseAddress(true);
      ss.bind(new InetSocketAddress(port));
      announce();
      while (true) {
        try (Socket s = ss.accept(); OutputStream out = s.getOutputStream()) {
          s.getInputStream().readAllBytes();
          out.write(s.getInetAddress().getHostAddress().getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
          // the client went away
        }
      }
    }
  }

  private static void udpServer(int port) throws IOException {
    try (DatagramSocket ds = new DatagramSocket(port)) {
      announce();
      byte[] buf = new byte[65535];
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        ds.receive(p);
        ds.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
      }
    }
  }

  private static void announce() {
    System.out.println(READY);
    System.out.flush();
  }

  private static byte[] tcpClient(String host, int port, byte[] text, String from) throws IOException {
    try (Socket s = new Socket()) {
      if (from != null) {
        s.bind(new InetSocketAddress(from, 0));
      }
      s.connect(new InetSocketAddress(host, port), 3000);
      s.setSoTimeout(3000);
      s.getOutputStream().write(text);
      s.shutdownOutput();
      return s.getInputStream().readAllBytes();
    }
  }

  private static byte[] udpClient(String host, int port, byte[] text) throws IOException {
    try (DatagramSocket ds = new DatagramSocket()) {
      ds.setSoTimeout(3000);
      ds.send(new DatagramPacket(text, text.length, new InetSocketAddress(host, port)));
      byte[] buf = new byte[65535];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      ds.receive(p);
      return java.util.Arrays.copyOf(p.getData(), p.getLength());
    }
  }
}
