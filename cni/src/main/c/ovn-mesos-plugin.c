/*
 * ovn-mesos-plugin: the CNI plugin the Mesos agent executes.
 *
 * It is deliberately thin, so that it starts in a millisecond: it forwards the CNI call (the CNI_*
 * environment and the network configuration on stdin) to the ovn-mesos executor hook over a
 * root-only Unix socket, prints the hook's answer and exits with the hook's exit code. All CNI spec
 * handling lives in the hook. The plugin itself answers VERSION, reports a missing hook with the
 * spec's "try again later" error (code 11) and bounds its own run time, since Mesos imposes none.
 *
 * Wire format (one request per connection), request:
 *   "OVNMESOS-CNI 1\n", then NAME=VALUE lines for each CNI_* variable present, then an empty line,
 *   then the raw stdin bytes, then the write side is shut down.
 * Reply: "<exit code>\n" followed by the bytes to print on stdout.
 *
 * The socket is the config's top-level "socket" (in the network's CNI config file), else
 * OVN_MESOS_CNI_SOCKET (Mesos passes only CNI_* and PATH, so that is for other runtimes), else
 * /run/ovn-mesos/cni.sock. The time limit is 120 s, or OVN_MESOS_CNI_TIMEOUT seconds.
 *
 * A hook that is restarting (systemd brings it back within seconds) must not fail the task: while
 * the socket is missing or refuses, and when the hook goes away before answering, the plugin sends
 * the call again after a growing pause. Every hook call is idempotent, so a repeated ADD or DEL
 * finishes what the first began. It keeps trying for the config's top-level "hookWait" seconds
 * (default 30; 0 fails at once).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/ovn-mesos/cni.sock"
#define DEFAULT_TIMEOUT 120
#define DEFAULT_HOOK_WAIT 30
#define MAX_CONFIG (4 * 1024 * 1024)
#define SUPPORTED "[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\"]"

static const char *const CNI_VARS[] = {"CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME",
                                       "CNI_ARGS",    "CNI_PATH",        NULL};

static char config[MAX_CONFIG + 1];
static size_t config_len;

static int version_char(char c) { return (c >= '0' && c <= '9') || c == '.'; }
static int path_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '.' ||
         c == '_' || c == '-';
}

static int space_char(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int digit_char(char c) { return c >= '0' && c <= '9'; }

/*
 * Where the value of a top-level key of the config starts, found by a small scanner that tracks
 * strings and nesting so that keys inside args (labels and the like) never match; -1 if absent.
 */
static long config_value(const char *key) {
  size_t key_len = strlen(key);
  int depth = 0, in_string = 0, escaped = 0, key_start = -1;
  for (size_t i = 0; i < config_len; i++) {
    char c = config[i];
    if (in_string) {
      if (escaped) {
        escaped = 0;
      } else if (c == '\\') {
        escaped = 1;
      } else if (c == '"') {
        in_string = 0;
        if (depth == 1 && key_start >= 0) {
          size_t len = i - (size_t)key_start;
          size_t j = i + 1;
          while (j < config_len && space_char(config[j])) j++;
          if (len == key_len && strncmp(config + key_start, key, key_len) == 0 && j < config_len && config[j] == ':') {
            j++;
            while (j < config_len && space_char(config[j])) j++;
            return j < config_len ? (long)j : -1;
          }
          key_start = -1;
        }
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = 1;
        /* A string right after '{' or ',' at depth 1 is a key. */
        key_start = -1;
        if (depth == 1) {
          size_t p = i;
          while (p > 0 && space_char(config[p - 1])) p--;
          if (p > 0 && (config[p - 1] == '{' || config[p - 1] == ',')) key_start = (int)i + 1;
        }
        break;
      case '{':
      case '[':
        depth++;
        break;
      case '}':
      case ']':
        depth--;
        break;
      default:
        break;
    }
  }
  return -1;
}

/*
 * The string value of a top-level key of the config. Returns 1 if found and every character passed
 * the check; otherwise leaves out unchanged and returns 0.
 */
static int config_string(const char *key, char *out, size_t cap, int (*ok)(char)) {
  long j = config_value(key);
  if (j < 0 || config[j] != '"') return 0;
  char value[512];
  size_t k = (size_t)j + 1, n = 0;
  while (k < config_len && config[k] != '"') {
    if (n + 1 >= sizeof value || n + 1 >= cap || !ok(config[k])) return 0;
    value[n++] = config[k++];
  }
  value[n] = '\0';
  memcpy(out, value, n + 1);
  return 1;
}

/* A top-level non-negative integer of the config (bare, or quoted digits); fallback if absent or malformed. */
static int config_number(const char *key, int fallback) {
  char quoted[8];
  if (config_string(key, quoted, sizeof quoted, digit_char)) return quoted[0] != '\0' ? atoi(quoted) : fallback;
  long j = config_value(key);
  if (j < 0 || !digit_char(config[j])) return fallback;
  int value = 0, digits = 0;
  size_t k = (size_t)j;
  while (k < config_len && digit_char(config[k]) && digits < 6) value = value * 10 + (config[k++] - '0'), digits++;
  return k < config_len && digit_char(config[k]) ? fallback : value;
}

/* Prints a CNI error object (the spec's shape) and exits 1. */
static void fail(int code, const char *msg, const char *details) {
  char version[32] = "0.2.0";
  config_string("cniVersion", version, sizeof version, version_char);
  printf("{\"cniVersion\":\"%s\",\"code\":%d,\"msg\":\"%s\",\"details\":\"%s\"}\n", version, code, msg, details);
  fflush(stdout);
  exit(1);
}

static void on_alarm(int sig) {
  (void)sig;
  /* Only async-signal-safe calls here: a fixed message. */
  static const char msg[] =
      "{\"cniVersion\":\"0.2.0\",\"code\":11,\"msg\":\"ovn-mesos executor hook did not answer in time\","
      "\"details\":\"the call was abandoned; the agent may retry it\"}\n";
  ssize_t ignored = write(STDOUT_FILENO, msg, sizeof msg - 1);
  (void)ignored;
  _exit(1);
}

static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

int main(void) {
  const char *command = getenv("CNI_COMMAND");

  while (config_len < MAX_CONFIG) {
    ssize_t n = read(STDIN_FILENO, config + config_len, MAX_CONFIG - config_len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    config_len += (size_t)n;
  }
  if (config_len == MAX_CONFIG) {
    char extra;
    if (read(STDIN_FILENO, &extra, 1) > 0) fail(4, "network configuration too large", "stdin exceeds 4 MiB");
  }

  if (command != NULL && strcmp(command, "VERSION") == 0) {
    printf("{\"cniVersion\":\"1.0.0\",\"supportedVersions\":%s}\n", SUPPORTED);
    return 0;
  }

  const char *timeout_env = getenv("OVN_MESOS_CNI_TIMEOUT");
  int timeout = timeout_env ? atoi(timeout_env) : DEFAULT_TIMEOUT;
  if (timeout <= 0) timeout = DEFAULT_TIMEOUT;
  signal(SIGALRM, on_alarm);
  /* A hook that dies while we write must not kill us: the write fails and the call is sent again. */
  signal(SIGPIPE, SIG_IGN);
  alarm((unsigned)timeout);

  static char configured[512];
  const char *path = NULL;
  if (config_string("socket", configured, sizeof configured, path_char)) path = configured;
  if (path == NULL) path = getenv("OVN_MESOS_CNI_SOCKET");
  if (path == NULL || *path == '\0') path = DEFAULT_SOCKET;
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr.sun_path) fail(11, "ovn-mesos executor hook socket path is too long", "");
  strcpy(addr.sun_path, path);

  char header[16384];
  size_t used = (size_t)snprintf(header, sizeof header, "OVNMESOS-CNI 1\n");
  for (const char *const *v = CNI_VARS; *v; v++) {
    const char *value = getenv(*v);
    if (value == NULL) continue;
    if (strchr(value, '\n') != NULL) fail(4, "a CNI variable contains a newline", *v);
    int n = snprintf(header + used, sizeof header - used, "%s=%s\n", *v, value);
    if (n < 0 || (size_t)n >= sizeof header - used) fail(4, "CNI variables are too long", *v);
    used += (size_t)n;
  }
  if (used + 1 >= sizeof header) fail(4, "CNI variables are too long", "");
  header[used++] = '\n';

  int hook_wait = config_number("hookWait", DEFAULT_HOOK_WAIT);
  struct timespec started;
  clock_gettime(CLOCK_MONOTONIC, &started);
  long pause_ms = 50;
  static char reply[MAX_CONFIG];
  size_t got;
  for (;;) {
    const char *problem = NULL;
    char details[600] = "";
    got = 0;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail(11, "cannot create a socket to reach the ovn-mesos executor hook", strerror(errno));
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
      snprintf(details, sizeof details, "%s: %s; is ovn-mesos-executor-hook running on this agent?", path, strerror(errno));
      problem = "ovn-mesos executor hook is not reachable; nothing was changed";
    } else if (write_all(fd, header, used) < 0 || write_all(fd, config, config_len) < 0) {
      snprintf(details, sizeof details, "%s", strerror(errno));
      problem = "lost the connection to the ovn-mesos executor hook";
    } else {
      shutdown(fd, SHUT_WR);
      /* The reply: an exit code line, then what to print. */
      while (got < sizeof reply) {
        ssize_t n = read(fd, reply + got, sizeof reply - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
      }
      if (memchr(reply, '\n', got) == NULL) {
        problem = "the ovn-mesos executor hook closed the connection without an answer";
      }
    }
    close(fd);
    if (problem == NULL) break;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long waited_ms = (now.tv_sec - started.tv_sec) * 1000 + (now.tv_nsec - started.tv_nsec) / 1000000;
    if (waited_ms + pause_ms > (long)hook_wait * 1000) {
      for (char *p = details; *p; p++) if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20) *p = '\'';
      fail(11, problem, details);
    }
    struct timespec pause = {pause_ms / 1000, (pause_ms % 1000) * 1000000};
    while (nanosleep(&pause, &pause) < 0 && errno == EINTR) {
    }
    pause_ms = pause_ms * 2 > 1000 ? 1000 : pause_ms * 2;
  }
  char *newline = memchr(reply, '\n', got);
  if (newline == NULL) fail(11, "the ovn-mesos executor hook closed the connection without an answer", "");
  *newline = '\0';
  char *end;
  long code = strtol(reply, &end, 10);
  if (*end != '\0' || code < 0 || code > 255) fail(11, "the ovn-mesos executor hook sent a malformed answer", "");
  size_t body = got - (size_t)(newline + 1 - reply);
  if (write_all(STDOUT_FILENO, newline + 1, body) < 0) return 1;
  return (int)code;
}
