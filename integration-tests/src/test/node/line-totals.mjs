// A pipe program in JavaScript: reads an Arrow IPC stream of (id BIGINT, quantity INT,
// price DOUBLE) on stdin, writes (id BIGINT, total DOUBLE) = quantity * price, batch by batch,
// to stdout, with the apache-arrow package. A null quantity or price gives a null total.
import { RecordBatchReader, RecordBatchStreamWriter, Schema, Field, Int64, Float64, makeData, RecordBatch, Struct } from 'apache-arrow';

const schema = new Schema([
  new Field('id', new Int64(), false),
  new Field('total', new Float64(), true),
]);
const writer = new RecordBatchStreamWriter();
writer.pipe(process.stdout);
writer.reset(undefined, schema); // the schema goes out even for no input

const reader = await RecordBatchReader.from(process.stdin);
for await (const batch of reader) {
  const ids = batch.getChild('id');
  const quantities = batch.getChild('quantity');
  const prices = batch.getChild('price');
  const n = batch.numRows;
  const totals = new Float64Array(n);
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const q = quantities.get(i);
    const p = prices.get(i);
    if (q === null || p === null) {
      nulls++;
    } else {
      totals[i] = q * p;
      valid[i >> 3] |= 1 << (i & 7);
    }
  }
  const total = makeData({ type: new Float64(), length: n, nullCount: nulls, data: totals, nullBitmap: valid });
  const data = makeData({
    type: new Struct(schema.fields), length: n, nullCount: 0,
    children: [ids.data[0], total],
  });
  writer.write(new RecordBatch(schema, data));
}
writer.finish();
