package io.ovnmesos.ovsdb.nb;

import io.ovnmesos.ovsdb.data.Row;
import io.ovnmesos.ovsdb.data.Uuid;
import io.ovnmesos.ovsdb.typed.TypedTable;
import java.util.Map;

/** The NB_Global row: deployment-wide options and sync counters. */
public record NbGlobal(
    Uuid uuid,
    long nbCfg,
    long sbCfg,
    long hvCfg,
    Map<String, String> options,
    Map<String, String> externalIds) {
  /** The table's name in OVN_Northbound. */
  public static final String TABLE_NAME = "NB_Global";
  public static final String NB_CFG = "nb_cfg";
  public static final String SB_CFG = "sb_cfg";
  public static final String HV_CFG = "hv_cfg";
  public static final String OPTIONS = "options";
  public static final String EXTERNAL_IDS = "external_ids";

  /** The table, its columns and the mapping from rows. */
  public static final TypedTable<NbGlobal> TABLE = new TypedTable<>("OVN_Northbound", TABLE_NAME, NbGlobal::from,
      TypedTable.column(NB_CFG, TypedTable.Kind.LONG),
      TypedTable.column(SB_CFG, TypedTable.Kind.LONG),
      TypedTable.column(HV_CFG, TypedTable.Kind.LONG),
      TypedTable.column(OPTIONS, TypedTable.Kind.STRMAP),
      TypedTable.column(EXTERNAL_IDS, TypedTable.Kind.STRMAP));

  /** Reads a row monitored or selected with (at least) this table's columns. */
  public static NbGlobal from(Row r) {
    return new NbGlobal(
        r.uuid(),
        r.integer("nb_cfg"),
        r.integer("sb_cfg"),
        r.integer("hv_cfg"),
        r.map("options"),
        r.map("external_ids"));
  }
}
