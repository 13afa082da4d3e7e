package io.github.sparkarrow.processor.model;

import java.util.List;

/** A record and its columns, in declaration order. */
public record RecordModel(ClassRef type, List<Column> columns) {

  public RecordModel {
    columns = List.copyOf(columns);
  }
}
