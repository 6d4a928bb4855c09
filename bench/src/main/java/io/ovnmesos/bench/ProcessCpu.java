package io.ovnmesos.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Predicate;

/** CPU time of processes and their threads, as Linux counts it in {@code /proc}. */
final class ProcessCpu {
  /** Clock ticks per second of {@code /proc}'s counters: 100 on Linux (USER_HZ). */
  private static final long TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /** User and system CPU time of process {@code pid}, in milliseconds; 0 if it is gone. */
  static long millis(long pid) {
    return ticks(Path.of("/proc", Long.toString(pid), "stat")) * 1000 / TICKS_PER_SECOND;
  }

  /** CPU time of those threads of {@code pid} whose name (comm) {@code named} accepts, in milliseconds. */
  static long threadMillis(long pid, Predicate<String> named) {
    long ticks = 0;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : threads) {
        try {
          if (named.test(Files.readString(t.resolve("comm")).strip())) {
            ticks += ticks(t.resolve("stat"));
          }
        } catch (NoSuchFileException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * 1000 / TICKS_PER_SECOND;
  }

  /** utime + stime from a stat file; the fields after the command name, which may hold spaces. */
  private static long ticks(Path stat) {
    try {
      String s = Files.readString(stat);
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException e) {
      return 0;
    }
  }
}
