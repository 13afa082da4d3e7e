package io.github.sparkarrow.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.arrow.vector.types.pojo.Schema;

/** An Arrow {@code Schema} (not itself serializable) shipped to executors as its JSON form. */
final class ShippedSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String json;
  private transient Schema schema;

  ShippedSchema(Schema schema) {
    this.json = schema.toJson();
    this.schema = schema;
  }

  Schema get() {
    if (schema == null) {
      try {
        schema = Schema.fromJSON(json);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return schema;
  }
}
