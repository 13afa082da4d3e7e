package io.github.sparkarrow.it.pipe;

import io.github.sparkarrow.it.records.OrderArrowReader;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.OrderTotal;
import io.github.sparkarrow.it.records.OrderTotalArrowSchema;
import io.github.sparkarrow.it.records.OrderTotalArrowWriter;
import io.github.sparkarrow.runtime.ArrowPipe;
import io.github.sparkarrow.runtime.BatchMapper;
import io.github.sparkarrow.runtime.TypedBatchFunction;

/**
 * A pipe program written in Java: the same typed batch function that runs inside Spark, served
 * on standard input and output ({@code java … OrderTotalsProgram < orders.arrows > totals.arrows}).
 */
public final class OrderTotalsProgram {

  private OrderTotalsProgram() {}

  public static void main(String[] args) throws Exception {
    BatchMapper<OrderArrowReader, OrderTotalArrowWriter> totals =
        (in, out) -> {
          System.out.println("stray output goes to stderr, not into the Arrow stream");
          for (int row = 0; row < in.rowCount(); row++) {
            out.write(OrderTotal.of(in.get(row)));
          }
        };
    ArrowPipe.serve(
        new TypedBatchFunction<>(OrderArrowSchema.INSTANCE, OrderTotalArrowSchema.INSTANCE, totals));
  }
}
