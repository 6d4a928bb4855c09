package io.ovnmesos.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ovnmesos.ovsdb.data.DatumCodec;
import io.ovnmesos.ovsdb.data.NamedUuid;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.schema.AtomicType;
import io.ovnmesos.ovsdb.schema.BaseType;
import io.ovnmesos.ovsdb.schema.ColumnType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatumCodecTest {
  static final ObjectMapper M = new ObjectMapper();
  static final ColumnType STRING = new ColumnType(BaseType.of(AtomicType.STRING), null, 1, 1);
  static final ColumnType OPTIONAL_INT = new ColumnType(BaseType.of(AtomicType.INTEGER), null, 0, 1);
  static final ColumnType STRING_SET = new ColumnType(BaseType.of(AtomicType.STRING), null, 0, ColumnType.UNLIMITED);
  static final ColumnType STRING_MAP = new ColumnType(BaseType.of(AtomicType.STRING), BaseType.of(AtomicType.STRING), 0, ColumnType.UNLIMITED);
  static final ColumnType UUID_SET = new ColumnType(BaseType.of(AtomicType.UUID), null, 0, ColumnType.UNLIMITED);

  @Test
  void encodesAtomsSetsMapsAndUuidsInRfc7047Form() {
    assertThat(DatumCodec.encode("a", STRING, "c").toString()).isEqualTo("\"a\"");
    assertThat(DatumCodec.encode(Optional.of(5), OPTIONAL_INT, "c").toString()).isEqualTo("[\"set\",[5]]");
    assertThat(DatumCodec.encode(Optional.empty(), OPTIONAL_INT, "c").toString()).isEqualTo("[\"set\",[]]");
    assertThat(DatumCodec.encode("only", STRING_SET, "c").toString()).isEqualTo("[\"set\",[\"only\"]]");
    assertThat(DatumCodec.encode(Map.of("k", "v"), STRING_MAP, "c").toString()).isEqualTo("[\"map\",[[\"k\",\"v\"]]]");
    assertThat(DatumCodec.encode(List.of(new NamedUuid("row0"), Uuid.ZERO), UUID_SET, "c").toString())
        .isEqualTo("[\"set\",[[\"named-uuid\",\"row0\"],[\"uuid\",\"00000000-0000-0000-0000-000000000000\"]]]");
  }

  @Test
  void aStringOutsideItsLengthLimitsIsRefusedInBytes() {
    ColumnType limited = new ColumnType(new BaseType(AtomicType.STRING, null, Long.MIN_VALUE, Long.MAX_VALUE,
        -Double.MAX_VALUE, Double.MAX_VALUE, 1, 3, null, true), null, 1, 1);
    assertThat(DatumCodec.encode("abc", limited, "T.c").asText()).isEqualTo("abc");
    assertThatThrownBy(() -> DatumCodec.encode("", limited, "T.c")).hasMessageContaining("T.c: expected a string of 1 to 3 bytes, got 0");
    assertThatThrownBy(() -> DatumCodec.encode("éé", limited, "T.c")).hasMessageContaining("got 4 bytes");
    assertThat(DatumCodec.encode("x".repeat(10_000), STRING, "T.c").asText()).hasSize(10_000);
  }

  @Test
  void decodesABareAtomAsASetOfOneAndDuplicateMapKeysKeepTheLast() throws Exception {
    assertThat(DatumCodec.decode(M.readTree("\"x\""), STRING_SET)).isEqualTo(Set.of("x"));
    assertThat(DatumCodec.decode(M.readTree("[\"set\",[\"x\",\"y\"]]"), STRING_SET)).isEqualTo(Set.of("x", "y"));
    assertThat(DatumCodec.decode(M.readTree("[\"map\",[[\"k\",\"1\"],[\"k\",\"2\"]]]"), STRING_MAP)).isEqualTo(Map.of("k", "2"));
  }

  @Test
  void rejectsWrongShapesWithWhatWasExpected() throws Exception {
    assertThatThrownBy(() -> DatumCodec.encode(List.of(1, 2), OPTIONAL_INT, "T.c"))
        .hasMessageContaining("T.c: expected 0 to 1 elements, got 2");
    assertThatThrownBy(() -> DatumCodec.encode(null, STRING, "T.c")).hasMessageContaining("T.c: expected a value, got null");
    assertThatThrownBy(() -> DatumCodec.encode(Set.of("a"), STRING, "T.c")).hasMessageContaining("expected a single string");
    assertThatThrownBy(() -> DatumCodec.decode(M.readTree("[\"uuid\",\"not-a-uuid\"]"), UUID_SET))
        .isInstanceOf(OvsdbException.class).hasMessageContaining("malformed OVSDB value: expected uuid");
    assertThatThrownBy(() -> DatumCodec.decode(M.readTree("[\"map\",[[\"k\"]]]"), STRING_MAP))
        .hasMessageContaining("expected map pair");
    assertThatThrownBy(() -> DatumCodec.decode(M.readTree("12"), STRING)).hasMessageContaining("expected string, got 12");
    assertThatThrownBy(() -> new NamedUuid("bad-name")).hasMessageContaining("named-uuid must match");
  }
}
