package io.ovnmesos.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import io.ovnmesos.testcluster.recordio.RecordIo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.master.Protos.Event;
import org.junit.jupiter.api.Test;

class RecordIoTest {
  /** Copies of what a real Mesos master and agent sent (shared/reference/mesos-captures). */
  static final Path CAPTURES = Path.of("src/test/resources/captures");

  @Test
  void aRealMastersEventStreamDecodesIntoMesosEventsAndReencodesByteForByte() throws Exception {
    Path capture = CAPTURES.resolve("t2-master-subscribe.recordio");
    byte[] raw = Files.readAllBytes(capture);
    RecordIo.Reader reader = new RecordIo.Reader(new ByteArrayInputStream(raw));
    List<String> types = new ArrayList<>();
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    for (var rec = reader.next(); rec.isPresent(); rec = reader.next()) {
      Event.Builder e = Event.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(new String(rec.get(), StandardCharsets.UTF_8), e);
      types.add(e.getType().name());
      again.write(RecordIo.encode(rec.get()));
    }

    assertThat(types).containsExactly("SUBSCRIBED", "HEARTBEAT", "FRAMEWORK_ADDED", "TASK_ADDED", "TASK_UPDATED",
        "TASK_UPDATED", "HEARTBEAT", "TASK_UPDATED", "TASK_UPDATED", "FRAMEWORK_REMOVED");
    assertThat(again.toByteArray()).isEqualTo(raw);
  }

  @Test
  void recordsSplitAcrossReadsAreReassembled() throws Exception {
    byte[] stream = concat(RecordIo.encode("{\"type\":\"HEARTBEAT\"}".getBytes(StandardCharsets.UTF_8)),
        RecordIo.encode(new byte[0]), RecordIo.encode("x".repeat(20000).getBytes(StandardCharsets.UTF_8)));
    // One byte per read, as a slow chunked response might deliver it.
    var dribble = new java.io.FilterInputStream(new ByteArrayInputStream(stream)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(1, len));
      }
    };
    RecordIo.Reader r = new RecordIo.Reader(dribble);
    assertThat(new String(r.next().orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"HEARTBEAT\"}");
    assertThat(r.next().orElseThrow()).isEmpty();
    assertThat(r.next().orElseThrow()).hasSize(20000);
    assertThat(r.next()).isEmpty();
  }

  @Test
  void aCutOrMalformedStreamIsAnErrorNotAHang() {
    assertThatThrownBy(() -> new RecordIo.Reader(new ByteArrayInputStream("10\nabc".getBytes())).next())
        .hasMessageContaining("7 of 10 bytes missing");
    assertThatThrownBy(() -> new RecordIo.Reader(new ByteArrayInputStream("1x\n".getBytes())).next())
        .hasMessageContaining("malformed RecordIO length");
    assertThatThrownBy(() -> new RecordIo.Reader(new ByteArrayInputStream("12".getBytes())).next())
        .hasMessageContaining("inside a record length");
  }

  private static byte[] concat(byte[]... parts) throws IOException {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.write(p);
    }
    return o.toByteArray();
  }

  static final ObjectMapper JSON = new ObjectMapper();
}
